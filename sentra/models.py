"""The register's domain: regions, Sentra IKM, their Pengelola, its people and papers, and the SK."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scope import scoped_queryset

from .choices import (
    BentukHukum,
    JenisDokumen,
    JenisKeputusan,
    KapasitasPenandatangan,
    RegionKind,
    StatusPemanfaatanAset,
    StatusPencatatan,
    StatusSK,
    bentuk_hukum_label,
    dasar_hukum_keys,
)
from .asset_rules import DasarPemanfaatan
from .validators import (
    validate_kbli,
    validate_kode_barang,
    validate_nib,
    validate_nik,
    validate_signer_name,
    validate_sk_number,
)


class Region(models.Model):
    """A province or kabupaten/kota, keyed by its Kemendagri code.

    The BPS code is kept separately: for Sulawesi Tengah the two differ for 72.01-72.07, so neither
    is ever derived from the other.
    """

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    bps_code = models.CharField(_("kode BPS"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("provinsi induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    timezone = models.CharField(
        _("zona waktu"), max_length=32, default="Asia/Makassar", help_text=_("WIB, WITA atau WIT (nama IANA).")
    )
    ibu_kota = models.CharField(
        _("ibu kota"),
        max_length=100,
        blank=True,
        help_text=_("Tempat penetapan keputusan kepala daerah (\"Ditetapkan di …\"); kosong berarti nama wilayah."),
    )

    objects = scoped_queryset(region_field="code", sentra_field="sentra_set").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self):
        if self.kind == RegionKind.KABUPATEN:
            return f"Kabupaten {self.name}"
        if self.kind == RegionKind.KOTA:
            return f"Kota {self.name}"
        return f"Provinsi {self.name}"

    @property
    def is_province(self) -> bool:
        return self.kind == RegionKind.PROVINSI

    @property
    def head_title(self) -> str:
        """Title of the kepala daerah who signs for this region."""
        return {RegionKind.KABUPATEN: "Bupati", RegionKind.KOTA: "Wali Kota"}.get(self.kind, "Gubernur")

    @property
    def province(self) -> "Region":
        return self if self.is_province else self.parent

    @property
    def seat(self) -> str:
        """Where the kepala daerah's decrees are signed ("Ditetapkan di …")."""
        return self.ibu_kota or self.name


class Sentra(models.Model):
    """A Sentra IKM: at least five IKM units in one place making similar products (PP 29/2018)."""

    region = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="sentra_set"
    )
    name = models.CharField(_("nama sentra"), max_length=200)
    komoditas = models.CharField(_("komoditas / produk utama"), max_length=200)
    alamat = models.CharField(_("alamat / lokasi"), max_length=300)
    desa = models.CharField(_("desa/kelurahan"), max_length=100, blank=True)
    kecamatan = models.CharField(_("kecamatan"), max_length=100, blank=True)
    tahun_dak = models.PositiveSmallIntegerField(
        _("tahun anggaran DAK"), null=True, blank=True, validators=[MinValueValidator(2000)]
    )
    # The DAK register (issue 14): where the sentra stands, and whether the province has confirmed a
    # sentra a kab/kota registered itself (the province's own import is confirmed at once).
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    confirmed = models.BooleanField(
        _("dikonfirmasi provinsi"), default=False,
        help_text=_("Sentra yang didaftarkan kabupaten/kota sendiri menunggu konfirmasi Disperindag Provinsi."),
    )

    objects = scoped_queryset(region_field="region", sentra_field="pk").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sentra IKM")
        verbose_name_plural = _("sentra IKM")
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="sentra_unique_name_per_region"),
        ]

    def __str__(self):
        return f"{self.name} ({self.region.name})"


class DakAlokasi(models.Model):
    """One year of DAK money spent on a sentra, and what it built (the DAK register, issue 14)."""

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.CASCADE, related_name="dak_set")
    tahun = models.PositiveSmallIntegerField(
        _("tahun anggaran DAK"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    nilai = models.DecimalField(
        _("nilai DAK (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    output_bangunan = models.CharField(_("output: bangunan"), max_length=300, blank=True)
    output_mesin = models.CharField(_("output: mesin"), max_length=300, blank=True)
    output_peralatan = models.CharField(_("output: peralatan"), max_length=300, blank=True)

    objects = scoped_queryset(region_field="sentra__region", sentra_field="sentra").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alokasi DAK")
        verbose_name_plural = _("alokasi DAK")
        ordering = ["sentra", "tahun"]
        constraints = [
            models.UniqueConstraint(fields=["sentra", "tahun"], name="dak_alokasi_one_per_year"),
        ]

    def __str__(self):
        return f"{self.sentra_id}: DAK {self.tahun}"


class Pengelola(models.Model):
    """The Kelembagaan Pengelola proposed (and, once the SK is recorded, established) for a Sentra."""

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.PROTECT, related_name="pengelola_set")
    name = models.CharField(_("nama pengelola"), max_length=200)
    bentuk_hukum = models.CharField(_("bentuk kelembagaan"), max_length=20, choices=BentukHukum.choices)
    # A BLUD is a UPTD applying the financial pattern PPK-BLUD (Permendagri 79/2018), not a body of its own.
    ppk_blud = models.BooleanField(
        _("UPTD menerapkan PPK-BLUD"),
        default=False,
        help_text=_(
            "Hanya untuk UPTD yang menerapkan Pola Pengelolaan Keuangan BLUD; unggah keputusan kepala daerah "
            "tentang penerapannya."
        ),
    )
    alamat = models.CharField(_("alamat sekretariat"), max_length=300)
    masa_bakti_tahun = models.PositiveSmallIntegerField(
        _("masa bakti (tahun)"), default=3, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = scoped_queryset(region_field="sentra__region", sentra_field="sentra").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengelola")
        verbose_name_plural = _("pengelola")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.ppk_blud and self.bentuk_hukum != BentukHukum.UPTD:
            raise ValidationError(
                {"ppk_blud": _("PPK-BLUD diterapkan oleh UPTD; bentuk kelembagaan ini tidak dapat menerapkannya.")}
            )

    def get_bentuk_hukum_display(self) -> str:
        """The form as documents and the register name it ("UPTD … yang menerapkan PPK-BLUD")."""
        return bentuk_hukum_label(self.bentuk_hukum, ppk_blud=self.ppk_blud)

    @property
    def dasar_hukum_keys(self) -> list[str]:
        """The legal-form keys of the laws its Keputusan cites (``produk_hukum.selectors.mengingat``)."""
        return dasar_hukum_keys(self.bentuk_hukum, ppk_blud=self.ppk_blud)

    @property
    def region(self) -> Region:
        return self.sentra.region


class Pengurus(models.Model):
    """A member of the pengelola's board (ketua, sekretaris, bendahara, …)."""

    pengelola = models.ForeignKey(Pengelola, on_delete=models.CASCADE, related_name="pengurus_set")
    nama = models.CharField(_("nama"), max_length=150)
    jabatan = models.CharField(_("jabatan"), max_length=100)
    nik = models.CharField(_("NIK"), max_length=16, validators=[validate_nik])
    telepon = models.CharField(_("telepon"), max_length=15, blank=True, help_text=_("Disimpan sebagai 62…"))

    objects = scoped_queryset(region_field="pengelola__sentra__region", sentra_field="pengelola__sentra").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengurus")
        verbose_name_plural = _("pengurus")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.nama} ({self.jabatan})"


class AnggotaIKM(models.Model):
    """An IKM business unit, member of a sentra (its census); listed in a proposal through its pengelola.

    A member belongs to the sentra, which may have no pengelola yet, and outlives a proposal: rows
    imported from the census (``impor``) have no pengelola until a proposal lists them.
    """

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.PROTECT, related_name="anggota_set")
    pengelola = models.ForeignKey(
        Pengelola, on_delete=models.CASCADE, related_name="anggota_set", null=True, blank=True
    )
    impor = models.ForeignKey(
        "ImporAnggota", verbose_name=_("impor Excel"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="anggota_set", editable=False,
    )
    nama_usaha = models.CharField(_("nama usaha"), max_length=200)
    pemilik = models.CharField(_("nama pemilik"), max_length=150)
    nik_pemilik = models.CharField(_("NIK pemilik"), max_length=16, validators=[validate_nik])
    nib = models.CharField(_("NIB"), max_length=13, validators=[validate_nib])
    kbli = models.CharField(_("KBLI"), max_length=5, validators=[validate_kbli])
    produk = models.CharField(_("produk"), max_length=200)
    tenaga_kerja = models.PositiveIntegerField(_("tenaga kerja"), validators=[MinValueValidator(1)])
    telepon = models.CharField(_("telepon"), max_length=15, blank=True)

    objects = scoped_queryset(region_field="sentra__region", sentra_field="sentra").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anggota IKM")
        verbose_name_plural = _("anggota IKM")
        ordering = ["pk"]
        # The census looks members up by NIK and NIB (duplicates across sentra).
        indexes = [
            models.Index(fields=["nib"], name="anggota_nib_idx"),
            models.Index(fields=["nik_pemilik"], name="anggota_nik_idx"),
        ]

    def __str__(self):
        return self.nama_usaha

    def clean(self):
        super().clean()
        if self.pengelola_id is not None and self.sentra_id is not None and self.pengelola.sentra_id != self.sentra_id:
            raise ValidationError({"pengelola": _("Pengelola ini mengelola sentra lain.")})

    def save(self, *args, **kwargs):
        # A member typed in a proposal (or the admin's pengelola page) belongs to the pengelola's sentra.
        if self.sentra_id is None and self.pengelola_id is not None:
            self.sentra_id = self.pengelola.sentra_id
        super().save(*args, **kwargs)


def dokumen_upload_to(instance: "Dokumen", filename: str) -> str:
    # The stored name never reuses the uploaded name: it is chosen by us and carries no user input.
    return f"dokumen/{instance.pengelola.sentra.region_id}/{instance.pengelola_id}/{instance.sha256[:16]}.pdf"


class Dokumen(models.Model):
    """An uploaded document of a proposal. Files are PDFs checked by content; the hash proves the bytes."""

    pengelola = models.ForeignKey(Pengelola, on_delete=models.CASCADE, related_name="dokumen_set")
    jenis = models.CharField(_("jenis dokumen"), max_length=30, choices=JenisDokumen.choices)
    file = models.FileField(_("berkas"), upload_to=dokumen_upload_to, max_length=255)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    # A revision supersedes a document instead of deleting it: what an official saw stays provable.
    superseded = models.BooleanField(_("sudah diganti"), default=False)

    objects = scoped_queryset(region_field="pengelola__sentra__region", sentra_field="pengelola__sentra").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["jenis", "-uploaded_at"]

    def __str__(self):
        return f"{self.get_jenis_display()} ({self.original_name})"

    def get_absolute_url(self):
        return reverse("sentra:dokumen_download", args=[self.pk])


class PemeriksaanAset(models.Model):
    """BPKAD's check of the DAK assets (BMD) the pengelola is to operate."""

    pengelola = models.ForeignKey(Pengelola, on_delete=models.CASCADE, related_name="pemeriksaan_aset_set")
    kode_kib = models.CharField(_("kode KIB"), max_length=100)
    nomor_bast = models.CharField(_("nomor BAST"), max_length=100)
    status_pemanfaatan = models.CharField(
        _("status/bentuk pemanfaatan"), max_length=20, choices=StatusPemanfaatanAset.choices
    )
    jangka_waktu_tahun = models.PositiveSmallIntegerField(_("jangka waktu pemanfaatan (tahun)"), null=True, blank=True)
    catatan = models.TextField(_("catatan"), blank=True)
    diperiksa_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    diperiksa_pada = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset(region_field="pengelola__sentra__region", sentra_field="pengelola__sentra").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pemeriksaan aset")
        verbose_name_plural = _("pemeriksaan aset")
        ordering = ["-diperiksa_pada"]

    def __str__(self):
        return f"{self.kode_kib} / {self.nomor_bast}"


class JenisKIB(models.TextChoices):
    """The Kartu Inventaris Barang an asset is recorded on (Permendagri 19/2016)."""

    A = "A", _("KIB A - Tanah")
    B = "B", _("KIB B - Peralatan dan mesin")
    C = "C", _("KIB C - Gedung dan bangunan")
    D = "D", _("KIB D - Jalan, irigasi dan jaringan")
    E = "E", _("KIB E - Aset tetap lainnya")
    F = "F", _("KIB F - Konstruksi dalam pengerjaan")


class KondisiAset(models.TextChoices):
    BAIK = "baik", _("Baik")
    RUSAK_RINGAN = "rusak_ringan", _("Rusak ringan")
    RUSAK_BERAT = "rusak_berat", _("Rusak berat")


class AsetDAK(models.Model):
    """One line of a sentra's DAK assets (BMD) as BPKAD records it, and the basis of its use.

    Entered or imported by BPKAD of the kab/kota (``asset_services``), never uploaded by the pengusul.
    Whether the basis is lawful for a pengelola depends on its legal form (``asset_rules.RULES``).
    """

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.PROTECT, related_name="aset_set")
    jenis_kib = models.CharField(_("jenis KIB"), max_length=1, choices=JenisKIB.choices)
    kode_barang = models.CharField(_("kode barang"), max_length=40, validators=[validate_kode_barang])
    nup = models.PositiveIntegerField(_("NUP"), validators=[MinValueValidator(1), MaxValueValidator(999_999)])
    nama = models.CharField(_("nama barang"), max_length=200)
    tahun_perolehan = models.PositiveSmallIntegerField(
        _("tahun perolehan"), validators=[MinValueValidator(1945), MaxValueValidator(2100)]
    )
    nilai_perolehan = models.DecimalField(
        _("nilai perolehan (Rp)"), max_digits=17, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("999999999999999"))],
    )
    nomor_bast = models.CharField(_("nomor BAST"), max_length=100)
    tanggal_bast = models.DateField(_("tanggal BAST"))
    opd_pemilik = models.CharField(
        _("OPD pemilik KIB"), max_length=200, help_text=_("OPD yang mencatat aset ini dalam KIB-nya, mis. Dinas Perindustrian dan Perdagangan.")
    )
    sertifikat_tanah = models.CharField(
        _("nomor sertifikat tanah"), max_length=100, blank=True, help_text=_("Wajib untuk KIB A (tanah).")
    )
    kondisi = models.CharField(_("kondisi"), max_length=20, choices=KondisiAset.choices, default=KondisiAset.BAIK)
    dasar_pemanfaatan = models.CharField(
        _("dasar pemanfaatan"), max_length=20, choices=DasarPemanfaatan.choices, default=DasarPemanfaatan.BELUM
    )
    nomor_perjanjian = models.CharField(_("nomor perjanjian"), max_length=100, blank=True)
    tanggal_perjanjian = models.DateField(_("tanggal perjanjian"), null=True, blank=True)
    jangka_waktu_tahun = models.PositiveSmallIntegerField(
        _("jangka waktu (tahun)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    perpanjangan_ke = models.PositiveSmallIntegerField(
        _("perpanjangan ke-"), default=0, validators=[MaxValueValidator(99)],
        help_text=_("0 untuk perjanjian pertama; 1 untuk perpanjangan pertama, dan seterusnya."),
    )
    # The last day of the agreement's term, kept for the dashboard and reminders (asset_services sets it).
    berakhir_pada = models.DateField(_("berakhir pada"), null=True, blank=True, editable=False)
    nomor_perda = models.CharField(_("nomor Perda penyertaan modal"), max_length=100, blank=True)
    catatan = models.CharField(_("catatan"), max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = scoped_queryset(region_field="sentra__region").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aset DAK")
        verbose_name_plural = _("aset DAK")
        ordering = ["jenis_kib", "kode_barang", "nup"]
        constraints = [
            models.UniqueConstraint(fields=["sentra", "kode_barang", "nup"], name="aset_dak_unique_kode_nup"),
        ]
        indexes = [
            models.Index(fields=["berakhir_pada"], name="aset_dak_berakhir_idx",
                         condition=models.Q(berakhir_pada__isnull=False)),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """How a refusal names the line: "KIB B 02.06.01.01.001 NUP 3 (Mesin jahit)"."""
        return f"KIB {self.jenis_kib} {self.kode_barang} NUP {self.nup} ({self.nama})"

    def clean(self):
        super().clean()
        if self.jenis_kib == JenisKIB.A and not self.sertifikat_tanah:
            raise ValidationError({"sertifikat_tanah": _("Tanah (KIB A) wajib dicatat dengan nomor sertifikatnya.")})


def sk_upload_to(instance: "SK", filename: str) -> str:
    return f"sk/{instance.pengelola.sentra.region_id}/{instance.pengelola_id}/{instance.sha256[:16]}.pdf"


def sk_copy_upload_to(instance: "SK", filename: str) -> str:
    return f"sk/{instance.region_id}/{instance.pengelola_id}/salinan-{instance.salinan_sha256[:16]}.pdf"


def sk_basis_upload_to(instance: "SK", filename: str) -> str:
    return f"sk/{instance.region_id}/{instance.pengelola_id}/dasar-{secrets.token_hex(8)}.pdf"


def sk_verification_token_new() -> str:
    """An unguessable public name for a register entry: its verification page never shows a database id."""
    return secrets.token_urlsafe(18)


class SK(models.Model):
    """The Keputusan Bupati/Wali Kota establishing a pengelola, as issued and signed.

    The number is recorded as Bagian Hukum issued it; the system never invents official numbers.
    The provincial register number is the province's own, given when the SK is recorded.
    """

    pengelola = models.ForeignKey(Pengelola, on_delete=models.PROTECT, related_name="sk_set")
    # The kab/kota and year repeat the pengelola's region and the date's year so that the database
    # itself can hold an SK number unique per kab/kota and year (a constraint cannot follow joins).
    region = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="sk_set"
    )
    nomor = models.CharField(_("nomor SK"), max_length=100, validators=[validate_sk_number])
    tanggal = models.DateField(_("tanggal penetapan (ditandatangani)"))
    tahun = models.PositiveSmallIntegerField(_("tahun SK"), editable=False)
    penandatangan_nama = models.CharField(
        _("nama penandatangan"), max_length=150, validators=[validate_signer_name], help_text=_("Tanpa gelar akademik.")
    )
    penandatangan_kapasitas = models.CharField(
        _("kapasitas penandatangan"), max_length=10, choices=KapasitasPenandatangan.choices
    )
    file = models.FileField(_("SK bertanda tangan (PDF)"), upload_to=sk_upload_to, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    srikandi_ref = models.CharField(_("referensi SRIKANDI"), max_length=100, blank=True)
    status = models.CharField(_("status hukum"), max_length=15, choices=StatusSK.choices, default=StatusSK.BERLAKU)
    # The life of the pengelola after its first SK (issue 15): what this Keputusan does, the SK it
    # amends or renews ("mengubah SK Nomor …") or revokes ("mencabut SK Nomor …"), and the end of the
    # pengurus' term (masa bakti) it sets. An SK past that date without a renewal has ended (berakhir).
    jenis = models.CharField(
        _("jenis keputusan"), max_length=15, choices=JenisKeputusan.choices, default=JenisKeputusan.PENETAPAN
    )
    mengubah = models.ForeignKey(
        "self", verbose_name=_("mengubah SK"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="diubah_dengan",
    )
    mencabut = models.ForeignKey(
        "self", verbose_name=_("mencabut SK"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="dicabut_dengan",
    )
    masa_bakti_berakhir = models.DateField(_("masa bakti pengurus berakhir"), null=True, blank=True)
    status_pencatatan = models.CharField(
        _("status pencatatan provinsi"), max_length=20, choices=StatusPencatatan.choices,
        default=StatusPencatatan.BELUM_DICATAT,
    )
    catatan_pencatatan = models.TextField(_("catatan provinsi"), blank=True)
    tanggapan_pencatatan = models.TextField(_("tanggapan kabupaten/kota atas catatan provinsi"), blank=True)
    # The authenticated copy ("salinan sesuai dengan aslinya") Bagian Hukum issues after numbering.
    salinan_file = models.FileField(_("salinan autentik (PDF)"), upload_to=sk_copy_upload_to, max_length=255, blank=True)
    salinan_sha256 = models.CharField(_("SHA-256 salinan"), max_length=64, blank=True)
    # Plt./Plh./Pj./a.n.: the surat perintah or delegation the signature rests on (UU 30/2014 art. 14).
    dasar_nomor = models.CharField(_("nomor surat perintah/pelimpahan"), max_length=100, blank=True)
    dasar_tanggal = models.DateField(_("tanggal surat perintah/pelimpahan"), null=True, blank=True)
    dasar_berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)
    dasar_file = models.FileField(_("pindaian surat perintah/pelimpahan (PDF)"), upload_to=sk_basis_upload_to,
                                  max_length=255, blank=True)
    plh_peringatan_diakui = models.BooleanField(
        _("peringatan Plh. (UU 30/2014 pasal 14 ayat 7) telah dibaca"), default=False
    )
    nomor_register = models.CharField(_("nomor register provinsi"), max_length=40, blank=True, db_index=True)
    verification_token = models.CharField(
        _("token verifikasi publik"), max_length=32, unique=True, default=sk_verification_token_new, editable=False
    )
    # What the register entry says of the pengelola and its sentra, frozen when the province records
    # it: the public page and the printed summary show this, whatever happens to the live rows later.
    register_snapshot = models.JSONField(_("data yang dicatat"), default=dict, blank=True, editable=False)
    # The members its Lampiran lists, frozen at numbering (``sentra.census.lampiran_snapshot``: their
    # ids, number and a SHA-256 of their data): the sentra compares its members with it.
    lampiran_anggota = models.JSONField(_("anggota di lampiran"), default=dict, blank=True, editable=False)
    dicatat_pada = models.DateTimeField(_("dicatat pada"), null=True, blank=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ditetapkan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset(region_field="region", sentra_field="pengelola__sentra").as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SK")
        verbose_name_plural = _("SK")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomor_register"],
                condition=~models.Q(nomor_register=""),
                name="sk_unique_register_number",
            ),
            # An SK number is used once per kab/kota and year (compared without regard to case, as
            # sentra.services.sk_create does); only SKs replaced under the old return rule share one.
            models.UniqueConstraint(
                Lower("nomor"),
                models.F("region"),
                models.F("tahun"),
                condition=~models.Q(status=StatusSK.DIGANTI),
                name="sk_unique_number_per_region_year",
                violation_error_message=_("Nomor SK ini sudah tercatat untuk kabupaten/kota ini pada tahun yang sama."),
            ),
        ]

    def __str__(self):
        return self.nomor

    def save(self, *args, **kwargs):
        if self.tanggal:
            self.tahun = self.tanggal.year
        if self.region_id is None and self.pengelola_id is not None:
            self.region_id = self.pengelola.sentra.region_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("sentra:sk_download", args=[self.pk])

    @property
    def term_ended(self) -> bool:
        """In force, but the pengurus' term ended without a renewal: *berakhir* (issue 15 §2)."""
        return (
            self.status == StatusSK.BERLAKU and self.masa_bakti_berakhir is not None
            and self.masa_bakti_berakhir < timezone.localdate()
        )

    @property
    def is_registered(self) -> bool:
        """Recorded in the province's register (in force, or revoked later): it has a public page."""
        return bool(self.nomor_register)


class RegisterCounter(models.Model):
    """Last provincial register sequence used per province and year (locked row: no gaps, no twins)."""

    province = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="register_counter_unique")]

    def __str__(self):
        return f"{self.province_id}/{self.year}: {self.last_number}"


def sk_template_upload_to(instance: "SKTemplate", filename: str) -> str:
    return f"sk_template/{instance.region_id or 'semua'}/{instance.sha256[:16]}.docx"


class SKTemplate(models.Model):
    """A kab/kota's own Word template of the draft SK, replacing the one shipped with the application.

    The file is a .docx with docxtpl (Jinja) tags; ``sentra/templates_sk/default.docx`` shows every
    tag available. Without a row for the region, the row without a region applies, else the shipped
    default.
    """

    region = models.ForeignKey(
        Region,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": ["kabupaten", "kota"]},
        help_text=_("Kosongkan untuk template semua kabupaten/kota yang tidak punya template sendiri."),
    )
    file = models.FileField(_("template (.docx)"), upload_to=sk_template_upload_to, max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    catatan = models.CharField(_("catatan"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah pada"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("template rancangan SK")
        verbose_name_plural = _("template rancangan SK")
        ordering = ["region"]
        constraints = [
            # One template per kab/kota, and one for "all the others" (no region).
            models.UniqueConstraint(
                Coalesce("region", models.Value("")),
                name="sk_template_one_per_region",
                violation_error_message=_("Wilayah ini sudah punya template; ubah template yang ada."),
            ),
        ]

    def __str__(self):
        return str(self.region) if self.region_id else str(_("Semua kabupaten/kota"))


def impor_upload_to(instance: "ImporAnggota", filename: str) -> str:
    return f"impor_anggota/{instance.sentra.region_id}/{instance.sentra_id}/{instance.sha256[:16]}.xlsx"


class ImporAnggota(models.Model):
    """One Excel file of members imported into a sentra: checked by a Celery job, saved on confirmation.

    The status says where the job is; a job whose worker died is run again from its status
    (``sentra.census``): checking writes nothing, saving is one transaction.
    """

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu diperiksa")
        MEMERIKSA = "memeriksa", _("Sedang diperiksa")
        ADA_KESALAHAN = "ada_kesalahan", _("Ada kesalahan")
        SIAP = "siap", _("Siap disimpan")
        MENYIMPAN = "menyimpan", _("Sedang disimpan")
        SELESAI = "selesai", _("Tersimpan")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    sentra = models.ForeignKey(Sentra, verbose_name=_("sentra"), on_delete=models.PROTECT, related_name="impor_set")
    file = models.FileField(_("berkas Excel"), upload_to=impor_upload_to, max_length=255)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.MENUNGGU)
    total_rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    processed_rows = models.PositiveIntegerField(_("baris diproses"), default=0)
    saved_rows = models.PositiveIntegerField(_("baris tersimpan"), default=0)
    # [{"row": 7, "column": "C", "header": "NIK pemilik", "message": "…"}, …] in row order (capped).
    errors = models.JSONField(_("laporan kesalahan"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("diunggah pada"), auto_now_add=True)
    # Touched by the job at every progress write: a running job not touched for long has lost its worker.
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    objects = scoped_queryset(region_field="sentra__region").as_manager()

    class Meta:
        verbose_name = _("impor anggota IKM")
        verbose_name_plural = _("impor anggota IKM")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.sentra.name})"

    def get_absolute_url(self):
        return reverse("anggota:impor", args=[self.pk])
