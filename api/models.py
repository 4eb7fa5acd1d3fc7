"""The REST API's own records: service-account tokens and the answers to idempotent writes."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a token may do. A session user (an official on the site) holds every scope; what they
    see is still their region and what they may act on still their roles."""

    REGISTER_READ = "register:read", _("Membaca register, sentra, pengelola dan usulan")
    PERSONAL_READ = "personal:read", _("Membaca data pribadi (NIK)")
    INBOX_WRITE = "inbox:write", _("Kotak masuk: mengambil, melepas dan memutuskan tugas (token pengguna)")


class ApiToken(models.Model):
    """A token for a system (service account) or for one official's client (mobile, offline).

    Only the SHA-256 of the secret is stored; the secret is shown once, when the token is created in
    the admin. A service account's region scope is ``region`` (a kab/kota, or the province for all of
    its kab/kota), read through the one scope rule (``accounts.scope``); a user token acts as its user
    and sees exactly what the user sees.
    """

    name = models.CharField(_("nama"), max_length=100, help_text=_("Mis. 'SIINas Kemenperin' atau 'Aplikasi seluler'."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="api_tokens",
        help_text=_("Kosongkan untuk akun layanan (sistem lain). Token pengguna bertindak sebagai pengguna itu."),
    )
    region = models.ForeignKey(
        "sentra.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Wajib untuk akun layanan: kabupaten/kota, atau provinsi untuk semua kabupaten/kotanya."),
    )
    scopes = models.JSONField(_("cakupan"), default=list)
    prefix = models.CharField(_("awalan"), max_length=16, editable=False)
    key_hash = models.CharField(_("SHA-256 rahasia"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def clean(self):
        super().clean()
        unknown = set(self.scopes or []) - set(Scope.values)
        if unknown:
            raise ValidationError({"scopes": _("Cakupan tidak dikenal: %(s)s") % {"s": ", ".join(sorted(unknown))}})
        if self.user_id is None:
            if self.region_id is None:
                raise ValidationError({"region": _("Akun layanan wajib memiliki wilayah.")})
            if Scope.INBOX_WRITE in (self.scopes or []):
                raise ValidationError({"scopes": _("Kotak masuk hanya untuk token pengguna.")})
        elif self.region_id is not None and self.region_id != self.user.region_id:
            raise ValidationError({"region": _("Token pengguna memakai wilayah penggunanya; kosongkan wilayah.")})

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key``: the same key and body get it
    again, and the write is never done twice; the same key with another body is refused."""

    key = models.CharField(_("kunci"), max_length=200)
    principal = models.CharField(_("pengirim"), max_length=40, help_text=_("token:<id> atau user:<id>"))
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    # JSON text, ASCII-escaped: an answer may echo what a client sent (a NUL, a lone surrogate), which
    # PostgreSQL's jsonb refuses and escaped text keeps exactly.
    response = models.TextField(default="{}")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kunci idempotensi")
        verbose_name_plural = _("kunci idempotensi")
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="api_idempotency_unique_key")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.principal} {self.key}"


class ApiDocs(ApiToken):
    """Not data: the admin's link to the API's documentation page (its list opens the page)."""

    class Meta:
        proxy = True
        verbose_name = _("dokumentasi API (OpenAPI)")
        verbose_name_plural = _("dokumentasi API (OpenAPI)")


class WebhookSubscriber(models.Model):
    """A system told when an SK of its region is recorded (``api.webhooks``)."""

    name = models.CharField(_("nama"), max_length=100)
    url = models.URLField(_("URL penerima"), max_length=500)
    secret = models.CharField(
        _("rahasia bersama"), max_length=200,
        help_text=_("Kunci HMAC-SHA256 tanda tangan header X-SKSentra-Signature (t=<unix>,v1=<hex>)."),
    )
    region = models.ForeignKey(
        "sentra.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+",
        help_text=_("Kabupaten/kota, atau provinsi untuk semua kabupaten/kotanya."),
    )
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("pelanggan webhook")
        verbose_name_plural = _("pelanggan webhook")

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event for one subscriber, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RETRYING = "retrying", _("Diulang")
        DELIVERED = "delivered", _("Terkirim")
        FAILED = "failed", _("Gagal")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscriber = models.ForeignKey(WebhookSubscriber, on_delete=models.PROTECT, related_name="deliveries")
    event = models.CharField(_("peristiwa"), max_length=50)
    sk_id = models.BigIntegerField(_("SK"))
    payload = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    response_code = models.PositiveSmallIntegerField(_("kode jawaban"), null=True, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["subscriber", "event", "sk_id"], name="api_webhook_once_per_sk")]

    def __str__(self):
        return f"{self.event} SK {self.sk_id} → {self.subscriber}"
