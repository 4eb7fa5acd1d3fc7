"""The outbox: every message SK Sentra owes someone, written in the transaction that causes it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_CREATED = "task_created", _("Tugas baru")
    DUE_SOON = "due_soon", _("Pengingat: jatuh tempo besok")
    DUE_TODAY = "due_today", _("Pengingat: jatuh tempo hari ini")
    OVERDUE = "overdue", _("Terlambat")
    ESCALATION = "escalation", _("Eskalasi ke pimpinan")
    DIGEST = "digest", _("Ringkasan harian")
    TERM_ENDING = "term_ending", _("Masa bakti pengurus berakhir")
    ALERT = "alert", _("Peringatan operator")
    TASK_REASSIGNED = "task_reassigned", _("Tugas dialihkan")
    AGREEMENT_ENDING = "agreement_ending", _("Perjanjian pemanfaatan aset DAK akan berakhir")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")


class Status(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    HELD = "held", _("Ditahan untuk ringkasan harian")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim ke penyedia")
    DELIVERED = "delivered", _("Diterima")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")
    DIGESTED = "digested", _("Masuk ringkasan")


# Status order for provider reports: a status never moves backwards.
STATUS_RANK = {Status.SENT: 1, Status.DELIVERED: 2, Status.READ: 3}


class Preference(models.Model):
    """How one user wants to be told: channels, and single messages or a daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email = models.BooleanField(_("email"), default=True)
    whatsapp = models.BooleanField(_("WhatsApp"), default=True)
    digest = models.BooleanField(
        _("ringkasan harian"), default=False, help_text=_("Satu pesan per hari kerja alih-alih pesan satu per satu.")
    )

    class Meta:
        verbose_name = _("preferensi notifikasi")
        verbose_name_plural = _("preferensi notifikasi")

    def __str__(self):
        return f"{self.user}: email={self.email} wa={self.whatsapp} digest={self.digest}"


class Notification(models.Model):
    """One message to one recipient on one channel.

    ``dedup_key`` is (task, kind, slot, channel, recipient): the database refuses a second row for
    it, so however many sweeps run at once each reminder exists once; a row is sent at most once
    (the send claims it under a row lock), and a send that may have happened twice is flagged.
    """

    dedup_key = models.CharField(max_length=200)  # unique: ``Meta.constraints``
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    slot = models.CharField(_("slot"), max_length=20, blank=True, help_text=_("Hari pengingat (YYYY-MM-DD)."))
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE, related_name="notifications"
    )
    task = models.ForeignKey(
        "viewflow.Task", verbose_name=_("tugas"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The proposal the message is about, by id only (as in the audit trail): this app knows no process.
    process_id = models.BigIntegerField(_("usulan"), null=True, blank=True, db_index=True)
    context = models.JSONField(_("isi"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    not_before = models.DateTimeField(_("dikirim paling cepat"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    provider_message_id = models.CharField(_("ID pesan penyedia"), max_length=128, blank=True)
    last_error = models.TextField(_("alasan"), blank=True)
    possible_duplicate = models.BooleanField(
        _("mungkin terkirim dua kali"),
        default=False,
        help_text=_("Pengiriman sebelumnya terputus di tengah jalan; penerima mungkin menerima pesan ini dua kali."),
    )
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="digested", verbose_name=_("ringkasan")
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi (outbox)")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["not_before"],
                name="notification_due_idx",
                condition=models.Q(status__in=["pending", "sending", "held"]),
            ),
            models.Index(fields=["status", "channel"]),
            # A webhook's status finds its message by the provider's id; unsent rows (most) have none.
            models.Index(fields=["provider_message_id"], name="notification_provider_id_idx",
                         condition=~models.Q(provider_message_id="")),
        ]
        # Declared as constraints rather than ``unique=True``: on PostgreSQL that would add a second
        # (``LIKE``) index to every row the sweep writes, and nothing searches the key by pattern.
        constraints = [models.UniqueConstraint(fields=["dedup_key"], name="notification_dedup_key_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.channel}, {self.status})"


class WhatsAppStatus(models.Model):
    """A delivery status reported by the WhatsApp webhook, kept once per (message, status)."""

    wamid = models.CharField(max_length=128)
    status = models.CharField(max_length=20)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="wa_statuses")
    timestamp = models.DateTimeField(null=True, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_title = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status WhatsApp")
        verbose_name_plural = _("status WhatsApp")
        constraints = [models.UniqueConstraint(fields=["wamid", "status"], name="wa_status_once")]

    def __str__(self):
        return f"{self.wamid}: {self.status}"


class ChannelState(models.Model):
    """A channel stopped by an error that concerns every message (expired token, paused template)."""

    channel = models.CharField(max_length=10, choices=Channel.choices, unique=True)
    stopped = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("status kanal")
        verbose_name_plural = _("status kanal")

    def __str__(self):
        return f"{self.channel}: {'berhenti' if self.stopped else 'aktif'}"
