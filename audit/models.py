"""The audit trail: an append-only, hash-chained record of every act in SK Sentra.

Each event's hash covers the previous event's hash and the event's own canonical content, so a row
changed or deleted afterwards breaks the chain at that row (``verify_audit_chain`` names it). On
PostgreSQL a trigger refuses UPDATE and DELETE on the table outright.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register
from viewflow.workflow.models import Task

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    PROCESS_START = "process_start", _("Usulan diajukan")
    PROCESS_RESUBMIT = "process_resubmit", _("Perbaikan diajukan")
    TASK_CLAIM = "task_claim", _("Tugas diambil")
    TASK_UNCLAIM = "task_unclaim", _("Tugas dilepas")
    TASK_REASSIGN = "task_reassign", _("Tugas dialihkan")
    DECISION_APPROVE = "decision_approve", _("Disetujui")
    DECISION_RETURN = "decision_return", _("Dikembalikan untuk perbaikan")
    DECISION_REJECT = "decision_reject", _("Ditolak")
    DRAFT_PARAF = "draft_paraf", _("Rancangan SK diparaf")
    SK_SIGNED = "sk_signed", _("SK ditandatangani")
    SK_NUMBERED = "sk_numbered", _("SK dinomori dan diautentikasi")
    SK_ISSUED = "sk_issued", _("SK ditetapkan")
    SK_RECORDED = "sk_recorded", _("SK dicatat provinsi")
    REGISTER_ENTRY = "register_entry", _("Masuk register provinsi")
    NOTES_ANSWERED = "notes_answered", _("Catatan provinsi dijawab")
    SK_AMENDED = "sk_amended", _("SK diubah dengan Keputusan baru")
    SK_REVOKED = "sk_revoked", _("SK dicabut")
    PROCESS_CANCEL = "process_cancel", _("Usulan dibatalkan")
    LOGIN = "login", _("Masuk")
    LOGOUT = "logout", _("Keluar")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    DOCUMENT_UPLOAD = "document_upload", _("Dokumen diunggah")
    DOCUMENT_DOWNLOAD = "document_download", _("Dokumen diunduh")
    NOTIFICATION_STATUS = "notification_status", _("Status notifikasi")
    CHANNEL_RESUME = "channel_resume", _("Kanal notifikasi dilanjutkan")
    CHAIN_VERIFIED = "chain_verified", _("Rantai audit diperiksa")
    ACCESS_DENIED = "access_denied", _("Akses ditolak")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Verifikasi dua langkah diaktifkan")
    TWO_FACTOR_RESET = "two_factor_reset", _("Faktor kedua direset")
    ACTING_GRANT_RECORD = "acting_grant_record", _("Plt./Plh. dicatat")
    ACTING_GRANT_START = "acting_grant_start", _("Plt./Plh. mulai berlaku")
    ACTING_GRANT_END = "acting_grant_end", _("Plt./Plh. berakhir")
    ABSENCE_RECORD = "absence_record", _("Ketidakhadiran dicatat")
    ACTING_GRANT_END_EARLY = "acting_grant_end_early", _("Plt./Plh. diakhiri lebih awal")
    ABSENCE_END = "absence_end", _("Ketidakhadiran diakhiri")
    USER_DEACTIVATE = "user_deactivate", _("Pengguna dinonaktifkan")
    ASSET_LINE = "asset_line", _("Aset DAK dicatat atau diubah BPKAD")
    REPORT_OPENED = "report_opened", _("Laporan berkala dibuka")
    REPORT_SUBMITTED = "report_submitted", _("Laporan berkala diajukan")
    REPORT_RESUBMITTED = "report_resubmitted", _("Perbaikan laporan berkala diajukan")
    REPORT_ACCEPTED = "report_accepted", _("Laporan berkala diterima")
    REPORT_RETURNED = "report_returned", _("Laporan berkala dikembalikan")
    ACCOUNT_CREATED = "account_created", _("Akun pengguna dibuat")
    SENTRA_IMPORT = "sentra_import", _("Daftar sentra DAK diimpor")
    SENTRA_REGISTER = "sentra_register", _("Sentra didaftarkan")
    SENTRA_UPDATE = "sentra_update", _("Data sentra diubah")
    SENTRA_CONFIRM = "sentra_confirm", _("Sentra dikonfirmasi provinsi")
    CENSUS_UPLOAD = "census_upload", _("Berkas sensus anggota IKM diunggah")
    CENSUS_IMPORT = "census_import", _("Anggota IKM diimpor")
    CENSUS_CANCEL = "census_cancel", _("Impor anggota IKM dibatalkan")
    CENSUS_EXPORT = "census_export", _("Anggota IKM diekspor")
    NIK_SEARCH = "nik_search", _("Pencarian NIK")


class AuditEvent(models.Model):
    """One act: who (and in which role, region and capacity), did what, to which objects, when, from where."""

    seq = models.BigIntegerField(_("nomor urut"), unique=True)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_username = models.CharField(_("nama pengguna"), max_length=150)
    role = models.CharField(_("peran"), max_length=100, blank=True)
    region = models.CharField(_("wilayah"), max_length=13, blank=True)
    capacity = models.CharField(_("kapasitas"), max_length=100, blank=True)
    action = models.CharField(_("tindakan"), max_length=30, choices=Action.choices)
    process_id = models.BigIntegerField(_("usulan"), null=True, blank=True, db_index=True)
    task_id = models.BigIntegerField(_("tugas"), null=True, blank=True)
    object_type = models.CharField(_("jenis objek"), max_length=50, blank=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        ordering = ["seq"]
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self):
        return f"#{self.seq} {self.get_action_display()} — {self.actor_username}"

    def canonical(self) -> dict:
        """The content the hash covers, in a form that does not depend on the database."""
        return {
            "seq": self.seq,
            "at": self.at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "role": self.role,
            "region": self.region,
            "capacity": self.capacity,
            "action": self.action,
            "process_id": self.process_id,
            "task_id": self.task_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "details": self.details,
            "note": self.note,
            "ip": self.ip,
            "user_agent": self.user_agent,
        }


class ChainHead(models.Model):
    """The newest event's number: one row, locked while events are appended (``services._chain_reserve``).

    Its hash is the hash of the event with that number, read from the event itself: the head keeps no
    copy (a copy costs an UPDATE per append and says nothing the event does not)."""

    seq = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("kepala rantai audit")

    def __str__(self):
        return f"#{self.seq}"


# viewflow's task rows are process data too: their history is kept here (its app is not ours).
register(Task, app="audit", table_name="audit_historicaltask")
