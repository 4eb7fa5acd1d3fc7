"""Process models of the legalisation flow and the decisions officials record in it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from viewflow.workflow.managers import ProcessQuerySet, TaskQuerySet
from viewflow.workflow.models import Process, Task

from accounts.scope import scoped_queryset
from sentra.choices import JenisKeputusan


class Tahap(models.TextChoices):
    """Where a proposal stands, in the words the officials use."""

    VERIFIKASI_DINAS = "verifikasi_dinas", _("Verifikasi Disperindag")
    PERBAIKAN = "perbaikan", _("Perbaikan oleh pengusul")
    PERBAIKAN_PENCABUTAN = "perbaikan_pencabutan", _("Perbaikan usulan pencabutan oleh Disperindag")
    VERIFIKASI_ASET_HUKUM = "verifikasi_aset_hukum", _("Verifikasi aset (BPKAD) dan harmonisasi hukum")
    PARAF_KOORDINASI = "paraf_koordinasi", _("Paraf koordinasi rancangan SK")
    REVISI_RANCANGAN = "revisi_rancangan", _("Revisi rancangan SK oleh Bagian Hukum")
    PENETAPAN_SK = "penetapan_sk", _("Penandatanganan SK oleh kepala daerah")
    PENOMORAN_SK = "penomoran_sk", _("Penomoran dan autentikasi SK")
    PENCATATAN_PROVINSI = "pencatatan_provinsi", _("Pencatatan di provinsi")
    TANGGAPAN_CATATAN = "tanggapan_catatan", _("Tanggapan atas catatan provinsi")
    TERCATAT = "tercatat", _("SK tercatat di register provinsi")
    DITOLAK = "ditolak", _("Ditolak")


class AlasanPencabutan(models.TextChoices):
    """Why the kab/kota Disperindag proposes to revoke a pengelola's SK, after its evaluation."""

    TIDAK_AKTIF = "tidak_aktif", _("Pengelola tidak aktif")
    PENYALAHGUNAAN_ASET = "penyalahgunaan_aset", _("Penyalahgunaan aset")
    PEMBUBARAN = "pembubaran", _("Pengelola bubar")
    PERMINTAAN_SENDIRI = "permintaan_sendiri", _("Atas permintaan pengelola sendiri")


class Hasil(models.TextChoices):
    """Outcome of one official's action on a step."""

    DIAJUKAN = "diajukan", _("Diajukan")
    DISETUJUI = "disetujui", _("Disetujui")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan untuk perbaikan")
    DITOLAK = "ditolak", _("Ditolak")
    DIPARAF = "diparaf", _("Diparaf, diteruskan untuk ditandatangani")
    DITANDATANGANI = "ditandatangani", _("Ditandatangani kepala daerah")
    DINOMORI = "dinomori", _("Dinomori dan diautentikasi")
    # ``ditetapkan``: the number was typed at signing (before the numbering step existed); kept for old rows.
    DITETAPKAN = "ditetapkan", _("SK ditetapkan")
    DICATAT = "dicatat", _("Dicatat di register provinsi")
    DICATAT_DENGAN_CATATAN = "dicatat_dengan_catatan", _("Dicatat dengan catatan")
    DIJAWAB = "dijawab", _("Catatan provinsi dijawab")


ScopedProcessQuerySet = scoped_queryset(ProcessQuerySet, region_field="region")


class LegalisasiProcess(Process):
    """One proposal to legalise the Pengelola of a Sentra IKM, from usulan to the provincial register.

    ``region`` repeats the sentra's kab/kota so that every list can be scoped without joins through
    the register's tables; it never changes after the start.
    """

    pengelola = models.ForeignKey(
        "sentra.Pengelola", verbose_name=_("pengelola"), on_delete=models.PROTECT, related_name="processes"
    )
    region = models.ForeignKey(
        "sentra.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    diusulkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diusulkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    tahap = models.CharField(_("tahap"), max_length=30, choices=Tahap.choices, default=Tahap.VERIFIKASI_DINAS)
    # Incremented each time the pengusul resubmits: decisions of one round are read together.
    putaran = models.PositiveSmallIntegerField(_("putaran"), default=1)
    # What the Keputusan at the end of this process does (issue 15): establish a pengelola, amend or
    # renew the SK ``target_sk`` (a new SK "mengubah" it), or revoke it (a new SK "mencabut" it).
    jenis = models.CharField(
        _("jenis keputusan"), max_length=15, choices=JenisKeputusan.choices, default=JenisKeputusan.PENETAPAN
    )
    target_sk = models.ForeignKey(
        "sentra.SK", verbose_name=_("SK yang diubah/dicabut"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="processes",
    )
    # An amendment or renewal that touches the assets (or the legal form, which decides the basis of
    # their use) goes through BPKAD's asset check; one that does not skips it (``services.asset_review_needed``).
    asset_review = models.BooleanField(_("perlu verifikasi aset BPKAD"), default=True)
    revocation_reason = models.CharField(
        _("alasan pencabutan"), max_length=30, choices=AlasanPencabutan.choices, blank=True
    )
    revocation_grounds = models.TextField(_("uraian hasil evaluasi"), blank=True)

    objects = ScopedProcessQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usulan legalisasi pengelola")
        verbose_name_plural = _("usulan legalisasi pengelola")
        ordering = ["-created"]
        indexes = [models.Index(fields=["region", "tahap"])]

    def __str__(self):
        return f"#{self.pk} {self.pengelola}"


class ScopedTaskQuerySet(scoped_queryset(TaskQuerySet, region_field="process__legalisasiprocess__region")):
    def filter_available(self, flow_classes, user):
        # Every inbox/queue/archive query of viewflow passes here: the region scope holds for all.
        return super().filter_available(flow_classes, user).visible_to(user)


class LegalisasiTask(Task):
    """viewflow's task row, seen through the region scope."""

    objects = ScopedTaskQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("tugas")
        verbose_name_plural = _("tugas")


class Keputusan(models.Model):
    """What one official decided on one step: who, when, in which role and capacity, and why."""

    process = models.ForeignKey(LegalisasiProcess, on_delete=models.PROTECT, related_name="keputusan_set")
    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="keputusan")
    langkah = models.CharField(_("langkah"), max_length=50)
    putaran = models.PositiveSmallIntegerField(_("putaran"))
    hasil = models.CharField(_("hasil"), max_length=30, choices=Hasil.choices)
    catatan = models.TextField(_("catatan"), blank=True)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, related_name="+")
    peran = models.CharField(_("peran"), max_length=30)
    kapasitas = models.CharField(_("kapasitas"), max_length=100, blank=True, help_text=_("Mis. Plt. Kepala Dinas"))
    # A decision taken by a Plt./Plh. (not in the official's own role): the grant and its basis in words.
    acting_grant = models.ForeignKey("accounts.ActingGrant", verbose_name=_("Plt./Plh."), on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    dasar_kapasitas = models.CharField(_("dasar kapasitas"), max_length=255, blank=True)
    dibuat = models.DateTimeField(_("waktu"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keputusan")
        verbose_name_plural = _("keputusan")
        ordering = ["dibuat", "pk"]
        indexes = [models.Index(fields=["process", "langkah"])]

    def __str__(self):
        return f"{self.langkah}: {self.get_hasil_display()}"


class StepDeadline(models.Model):
    """How many working days an official has for a step, and when an overdue task escalates."""

    step = models.CharField(_("langkah"), max_length=50, unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("batas waktu (hari kerja)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila langkah ini tidak berbatas waktu (mis. perbaikan oleh pengusul)."),
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("eskalasi setelah terlambat (hari kerja)"), default=3
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("batas waktu langkah")
        verbose_name_plural = _("batas waktu langkah")
        ordering = ["step"]

    def __str__(self):
        return f"{self.step}: {self.working_days}"


class TaskDeadline(models.Model):
    """The deadline of one open human task and the moment its next reminder falls due.

    ``next_reminder_at`` is indexed so that the reminder sweep reads only the tasks that need a
    reminder now, however many tasks are open.
    """

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="deadline")
    process = models.ForeignKey(LegalisasiProcess, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(_("langkah"), max_length=50)
    received_on = models.DateField(_("diterima (hari kerja)"))
    due_on = models.DateField(_("jatuh tempo"))
    working_days = models.PositiveSmallIntegerField(_("hari kerja"))
    escalate_after = models.PositiveSmallIntegerField(_("eskalasi setelah (hari kerja)"))
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("tenggat tugas")
        verbose_name_plural = _("tenggat tugas")
        indexes = [
            models.Index(
                fields=["next_reminder_at"],
                name="deadline_next_reminder_idx",
                condition=models.Q(next_reminder_at__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.task_id}: {self.due_on}"
