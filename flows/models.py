"""Process models of the legalisation flow and the decisions officials record in it."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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
    # The kab/kota Disperindag's acceptance of a pengelola's periodic report.
    DITERIMA = "diterima", _("Laporan diterima")


ScopedProcessQuerySet = scoped_queryset(ProcessQuerySet, region_field="region", sentra_field="pengelola__sentra")


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

    # The lookup path to the sentra (``flows.nodes``: the scope of a pengelola's officer).
    SENTRA_PATH = "pengelola__sentra_id"

    class Meta:
        verbose_name = _("usulan legalisasi pengelola")
        verbose_name_plural = _("usulan legalisasi pengelola")
        ordering = ["-created"]
        indexes = [models.Index(fields=["region", "tahap"])]

    def __str__(self):
        return f"#{self.pk} {self.pengelola}"

    # A stage set by a unit of work and not written yet (``flows.services._set_tahap``).
    tahap_unsaved = False

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "tahap" in update_fields:
            self.tahap_unsaved = False  # written with the row


class ScopedTaskQuerySet(scoped_queryset(TaskQuerySet, region_field="process__legalisasiprocess__region",
                                         sentra_field="process__legalisasiprocess__pengelola__sentra")):
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


# --- Periodic reports of the pengelola (issue 15 section 4) ----------------------------------------


class StatusLaporan(models.TextChoices):
    """Where a period's report stands."""

    DIBUKA = "dibuka", _("Belum diajukan")
    DIAJUKAN = "diajukan", _("Diajukan, menunggu reviu")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan untuk perbaikan")
    DITERIMA = "diterima", _("Diterima")


class KondisiAset(models.TextChoices):
    BAIK = "baik", _("Baik")
    RUSAK_RINGAN = "rusak_ringan", _("Rusak ringan")
    RUSAK_BERAT = "rusak_berat", _("Rusak berat")
    TIDAK_DITEMUKAN = "tidak_ditemukan", _("Tidak ditemukan")


class PemanfaatanAset(models.TextChoices):
    DIGUNAKAN = "digunakan", _("Digunakan aktif")
    SEBAGIAN = "sebagian", _("Digunakan sebagian")
    TIDAK_DIGUNAKAN = "tidak_digunakan", _("Tidak digunakan")


# Numbers a report carries: at most 15 digits before the decimal point (a Rupiah amount of a thousand
# trillion is not a sentra's), two after.
REPORT_MAX_NUMBER = 10**15 - 1


class LaporanProcess(Process):
    """One period's report of the pengelola of a sentra, from its opening to the Disperindag's acceptance.

    Opened by the beat job for every sentra with a pengelola ber-SK (``flows.laporan.periods_open``,
    one row per sentra and period: the unique constraint makes it idempotent). ``region`` repeats the
    sentra's kab/kota for the scope; ``due_on`` is the last working day to submit
    (``SKSENTRA_REPORT_DUE_WORKING_DAYS`` after the period ends). The content is the latest submission;
    ``aset`` holds one entry per asset line (see ``flows.laporan.asset_lines``).
    """

    sentra = models.ForeignKey("sentra.Sentra", verbose_name=_("sentra"), on_delete=models.PROTECT, related_name="laporan_set")
    pengelola = models.ForeignKey("sentra.Pengelola", verbose_name=_("pengelola"), on_delete=models.PROTECT, related_name="laporan_set")
    region = models.ForeignKey("sentra.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+")
    periode = models.CharField(_("periode"), max_length=20, help_text=_("Mis. 2026-S1"))
    periode_mulai = models.DateField(_("awal periode"))
    periode_selesai = models.DateField(_("akhir periode"))
    due_on = models.DateField(_("batas pengajuan"))
    status_laporan = models.CharField(_("status laporan"), max_length=20, choices=StatusLaporan.choices, default=StatusLaporan.DIBUKA)
    putaran = models.PositiveSmallIntegerField(_("putaran"), default=1)
    diajukan_pada = models.DateTimeField(_("pertama diajukan"), null=True, blank=True)
    diajukan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diajukan oleh"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    diterima_pada = models.DateTimeField(_("diterima pada"), null=True, blank=True)
    catatan_reviu = models.TextField(_("catatan reviu terakhir"), blank=True)
    # The review's deadline (the step table's, ``flows.deadlines.step_deadline("reviu_laporan")``), set
    # each time the report reaches the Disperindag.
    reviu_received_on = models.DateField(_("diterima untuk reviu"), null=True, blank=True)
    reviu_due_on = models.DateField(_("batas reviu"), null=True, blank=True)
    # Reminders of the open deadline, the submission's or the review's (the sweep reads
    # ``next_reminder_at``, as for a task deadline); ``escalated`` for the open one.
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)
    # Content (the latest submission).
    produksi_jumlah = models.DecimalField(_("jumlah produksi"), max_digits=17, decimal_places=2, null=True, blank=True,
                                          validators=[MinValueValidator(0), MaxValueValidator(REPORT_MAX_NUMBER)])
    produksi_satuan = models.CharField(_("satuan produksi"), max_length=30, blank=True)
    penjualan_jumlah = models.DecimalField(_("jumlah terjual"), max_digits=17, decimal_places=2, null=True, blank=True,
                                           validators=[MinValueValidator(0), MaxValueValidator(REPORT_MAX_NUMBER)])
    penjualan_nilai = models.DecimalField(_("nilai penjualan (Rp)"), max_digits=17, decimal_places=2, null=True, blank=True,
                                          validators=[MinValueValidator(0), MaxValueValidator(REPORT_MAX_NUMBER)])
    anggota_aktif = models.PositiveIntegerField(_("anggota IKM aktif"), null=True, blank=True,
                                                validators=[MaxValueValidator(100_000)])
    kegiatan = models.TextField(_("kegiatan"), blank=True)
    masalah = models.TextField(_("masalah dan kendala"), blank=True)
    aset = models.JSONField(_("pemanfaatan dan kondisi aset"), default=list, blank=True)

    objects = scoped_queryset(ProcessQuerySet, region_field="region", sentra_field="sentra").as_manager()
    history = HistoricalRecords()

    SENTRA_PATH = "sentra_id"

    class Meta:
        verbose_name = _("laporan berkala pengelola")
        verbose_name_plural = _("laporan berkala pengelola")
        ordering = ["-periode_mulai", "region", "sentra"]
        constraints = [
            models.UniqueConstraint(fields=["sentra", "periode_mulai"], name="laporan_one_per_sentra_period"),
        ]
        indexes = [
            models.Index(fields=["periode", "region"]),
            models.Index(fields=["next_reminder_at"], name="laporan_next_reminder_idx",
                         condition=models.Q(next_reminder_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.sentra.name} — {self.periode}"

    def is_late(self, today: dt.date) -> bool:
        """Submitted after the due date, or still not submitted once it has passed."""
        if self.diajukan_pada is not None:
            return timezone.localtime(self.diajukan_pada).date() > self.due_on
        return today > self.due_on


class LaporanTaskQuerySet(scoped_queryset(TaskQuerySet, region_field="process__laporanprocess__region",
                                           sentra_field="process__laporanprocess__sentra")):
    def filter_available(self, flow_classes, user):
        return super().filter_available(flow_classes, user).visible_to(user)


class LaporanTask(Task):
    """viewflow's task row of a report, seen through the region (and sentra) scope."""

    objects = LaporanTaskQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("tugas laporan")
        verbose_name_plural = _("tugas laporan")


def laporan_foto_upload_to(instance, filename):
    return f"laporan/{instance.laporan_id}/{instance.sha256}.jpg"


class LaporanFoto(models.Model):
    """A photo of a report, stored as the JPEG re-encoded from the uploaded image (no metadata kept)."""

    laporan = models.ForeignKey(LaporanProcess, on_delete=models.CASCADE, related_name="foto_set")
    file = models.FileField(_("foto"), upload_to=laporan_foto_upload_to, max_length=255)
    keterangan = models.CharField(_("keterangan"), max_length=200, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset(region_field="laporan__region", sentra_field="laporan__sentra").as_manager()

    class Meta:
        verbose_name = _("foto laporan")
        verbose_name_plural = _("foto laporan")
        ordering = ["pk"]

    def __str__(self):
        return self.keterangan or self.sha256[:12]
