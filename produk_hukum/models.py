"""The legal basis a Keputusan cites ("Mengingat") and the names of a region's offices.

Both are per region and edited by Bagian Hukum in the admin. The region is a foreign key by name
(``"sentra.Region"``): schema, not an import; this app sits below ``sentra``.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

BLANK_NUMBER = "...."


# Keys of laws cited besides a legal form's own: a UPTD applying PPK-BLUD (a BLUD is no body of its own,
# Permendagri 79/2018) cites the UPTD's laws and those under "blud". The register gives each pengelola
# its keys (``Pengelola.dasar_hukum_keys``); this app only names them.
EXTRA_KEYS = {"uptd": [("blud", _("UPTD dengan PPK-BLUD"))]}


def bentuk_hukum_choices():
    """The legal forms of a pengelola, as the register defines them (``sentra.choices.BentukHukum``),
    each followed by the extra keys of its patterns ("blud" after "uptd").

    Read from the ``Pengelola`` model at run time: this app may not import ``sentra``.
    """
    choices = []
    for value, label in apps.get_model("sentra", "Pengelola")._meta.get_field("bentuk_hukum").choices:
        choices.append((value, label))
        choices.extend(EXTRA_KEYS.get(value, []))
    return choices


class JenisPeraturan(models.IntegerChoices):
    """The hierarchy of laws (UU 12/2011 art. 7-8): "Mengingat" lists the higher first."""

    UU = 10, _("Undang-Undang")
    PP = 20, _("Peraturan Pemerintah")
    PERPRES = 30, _("Peraturan Presiden")
    PERMEN = 40, _("Peraturan Menteri")
    PERDA_PROVINSI = 50, _("Peraturan Daerah Provinsi")
    PERDA = 60, _("Peraturan Daerah Kabupaten/Kota")
    PERKADA = 70, _("Peraturan Kepala Daerah")


# Permendagri 1/2023 on tata naskah dinas shapes the layout of the Keputusan; it is not its legal basis.
TATA_NASKAH_DINAS = Q(jenis=JenisPeraturan.PERMEN, nomor=1, tahun=2023)


class DasarHukumQuerySet(models.QuerySet):
    def for_keputusan(self, *, region_codes: list[str], keys: list[str]):
        """The entries a Keputusan of a region cites for a pengelola with the legal-form ``keys``
        (``["koperasi"]``, ``["uptd", "blud"]`` for a UPTD applying PPK-BLUD), in citing order.

        ``region_codes``: the kab/kota and its province; entries without region apply everywhere,
        entries without legal form to every form.
        """
        return (
            self.filter(aktif=True)
            .filter(Q(region__isnull=True) | Q(region_id__in=region_codes))
            .filter(Q(bentuk_hukum="") | Q(bentuk_hukum__in=keys))
            .exclude(TATA_NASKAH_DINAS)
            .order_by("jenis", "tahun", "nomor", "pk")
        )


class DasarHukum(models.Model):
    """One law a Keputusan cites under "Mengingat", for every region or one, every legal form or one."""

    jenis = models.PositiveSmallIntegerField(
        _("jenis peraturan"),
        choices=JenisPeraturan.choices,
        help_text=_("Menentukan urutan dalam konsiderans Mengingat (hierarki peraturan perundang-undangan)."),
    )
    sebutan = models.CharField(
        _("sebutan"),
        max_length=150,
        help_text=_(
            "Seperti tertulis di konsiderans, misalnya 'Undang-Undang', 'Peraturan Menteri Dalam Negeri', "
            "'Peraturan Daerah Kabupaten Banggai'."
        ),
    )
    nomor = models.PositiveIntegerField(_("nomor"), null=True, blank=True, help_text=_("Kosong: belum diketahui."))
    tahun = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True, help_text=_("Kosong: belum diketahui."))
    tentang = models.CharField(_("tentang"), max_length=400)
    perubahan = models.CharField(
        _("perubahan"),
        max_length=600,
        blank=True,
        help_text=_("Misalnya 'sebagaimana telah beberapa kali diubah terakhir dengan Undang-Undang Nomor … '."),
    )
    region = models.ForeignKey(
        "sentra.Region",
        verbose_name=_("wilayah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong: berlaku untuk semua kabupaten/kota. Provinsi: untuk semua kabupaten/kota di provinsi itu."),
    )
    bentuk_hukum = models.CharField(
        _("bentuk kelembagaan pengelola"),
        max_length=20,
        blank=True,
        choices=bentuk_hukum_choices,
        help_text=_("Kosong: untuk semua bentuk kelembagaan."),
    )
    aktif = models.BooleanField(_("dicantumkan"), default=True)
    catatan = models.TextField(_("catatan Bagian Hukum"), blank=True)

    objects = DasarHukumQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dasar hukum (Mengingat)")
        verbose_name_plural = _("dasar hukum (Mengingat)")
        ordering = ["region_id", "jenis", "tahun", "nomor", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~TATA_NASKAH_DINAS,
                name="dasarhukum_not_tata_naskah_dinas",
                violation_error_message=_(
                    "Permendagri 1/2023 tentang Tata Naskah Dinas mengatur bentuk naskah, bukan dasar hukum: "
                    "jangan dicantumkan di Mengingat."
                ),
            ),
        ]

    def __str__(self):
        return self.kutipan

    @property
    def lengkap(self) -> bool:
        """Number and year known; an entry left for the region to fill prints dots instead."""
        return self.nomor is not None and self.tahun is not None

    @property
    def kutipan(self) -> str:
        """How "Mengingat" cites it: ``Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian``."""
        nomor = self.nomor if self.nomor is not None else BLANK_NUMBER
        tahun = self.tahun if self.tahun is not None else BLANK_NUMBER
        text = f"{self.sebutan.strip()} Nomor {nomor} Tahun {tahun} tentang {self.tentang.strip()}"
        return f"{text} {self.perubahan.strip()}" if self.perubahan.strip() else text

    def clean(self):
        super().clean()
        if self.jenis == JenisPeraturan.PERMEN and self.nomor == 1 and self.tahun == 2023:
            raise ValidationError(
                _(
                    "Permendagri 1/2023 tentang Tata Naskah Dinas mengatur bentuk naskah, bukan dasar hukum: "
                    "jangan dicantumkan di Mengingat."
                )
            )


# The generic names, used until a region sets its own (and for a region without a row).
DEFAULT_OFFICES = {
    "dinas_perindustrian": ("Dinas Perindustrian dan Perdagangan", "Disperindag"),
    "bpkad": ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    "bappeda": ("Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    "bagian_hukum": ("Bagian Hukum Sekretariat Daerah", "Bagian Hukum"),
    "sekretariat_daerah": ("Sekretariat Daerah", "Setda"),
}


class KantorDaerah(models.Model):
    """The offices of one region as its Perda on perangkat daerah names them (merged dinas, Bapperida …).

    Names are kept without the region: ``Dinas Perindustrian dan Perdagangan`` + ``Kabupaten Banggai``.
    """

    region = models.OneToOneField(
        "sentra.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    dinas_perindustrian = models.CharField(
        _("dinas urusan perindustrian"), max_length=200, default=DEFAULT_OFFICES["dinas_perindustrian"][0]
    )
    dinas_perindustrian_singkatan = models.CharField(
        _("singkatan dinas urusan perindustrian"), max_length=40, default=DEFAULT_OFFICES["dinas_perindustrian"][1]
    )
    bpkad = models.CharField(_("badan pengelola keuangan dan aset"), max_length=200, default=DEFAULT_OFFICES["bpkad"][0])
    bpkad_singkatan = models.CharField(
        _("singkatan badan pengelola keuangan dan aset"), max_length=40, default=DEFAULT_OFFICES["bpkad"][1]
    )
    bappeda = models.CharField(_("badan perencanaan"), max_length=200, default=DEFAULT_OFFICES["bappeda"][0])
    bappeda_singkatan = models.CharField(
        _("singkatan badan perencanaan"), max_length=40, default=DEFAULT_OFFICES["bappeda"][1]
    )
    bagian_hukum = models.CharField(_("bagian hukum"), max_length=200, default=DEFAULT_OFFICES["bagian_hukum"][0])
    bagian_hukum_singkatan = models.CharField(
        _("singkatan bagian hukum"), max_length=40, default=DEFAULT_OFFICES["bagian_hukum"][1]
    )
    sekretariat_daerah = models.CharField(
        _("sekretariat daerah"), max_length=200, default=DEFAULT_OFFICES["sekretariat_daerah"][0]
    )
    sekretariat_daerah_singkatan = models.CharField(
        _("singkatan sekretariat daerah"), max_length=40, default=DEFAULT_OFFICES["sekretariat_daerah"][1]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nama perangkat daerah")
        verbose_name_plural = _("nama perangkat daerah")
        ordering = ["region_id"]

    def __str__(self):
        return str(self.region_id)
