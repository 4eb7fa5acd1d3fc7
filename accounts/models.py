"""Users of SK Sentra: officials attached to one region, with roles as groups."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .phone import normalize_phone
from .roles import Role


class User(AbstractUser):
    """An official (or a sentra's pengurus) who acts for one region in a given capacity."""

    region = models.ForeignKey(
        "sentra.Region",
        verbose_name=_("wilayah tugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Kabupaten/kota atau provinsi yang dilayani pengguna ini."),
    )
    # A pengelola's officer sees their own sentra only (``accounts.scope``); officials have none.
    sentra = models.ForeignKey(
        "sentra.Sentra",
        verbose_name=_("sentra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pengelola_users",
        help_text=_("Hanya untuk peran pengelola: sentra yang dikelolanya. Wilayah tugas adalah kabupaten/kota sentra itu."),
    )
    phone = models.CharField(
        _("nomor WhatsApp/telepon"), max_length=15, blank=True, help_text=_("Disimpan sebagai 62…")
    )
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names


class LoginThrottle(models.Model):
    """Recent wrong passwords typed for one username from one IP address, and the lock they caused.

    The key is always the pair: officials of one office share one public address (NAT), so a lock
    never reaches a colleague behind the same address, nor the same username typed from elsewhere.
    Rules live in ``accounts.throttle``; a row disappears at the next successful login of the pair.
    """

    username = models.CharField(_("nama pengguna yang diketik"), max_length=150)
    ip_address = models.GenericIPAddressField(_("alamat IP"))
    failures = models.PositiveIntegerField(_("jumlah percobaan gagal"), default=0)
    first_failure_at = models.DateTimeField(_("percobaan gagal pertama"))
    last_failure_at = models.DateTimeField(_("percobaan gagal terakhir"), db_index=True)
    locked_until = models.DateTimeField(_("terkunci sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pembatasan masuk")
        verbose_name_plural = _("pembatasan masuk")
        constraints = [
            models.UniqueConstraint(fields=["username", "ip_address"], name="login_throttle_one_row_per_pair"),
        ]

    def __str__(self):
        return f"{self.username} @ {self.ip_address}"
