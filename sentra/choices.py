"""Every choice of the register's domain in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class BentukHukum(models.TextChoices):
    """Legal form a Pengelola takes in practice (DOMAIN.md)."""

    UPTD = "uptd", _("UPTD (Unit Pelaksana Teknis Daerah)")
    BLUD = "blud", _("BLUD (Badan Layanan Umum Daerah)")
    BUMD = "bumd", _("BUMD / Perusda")
    BUMDES = "bumdes", _("BUMDes")
    KOPERASI = "koperasi", _("Koperasi")
    PENGURUS = "pengurus", _("Pengurus non-badan-hukum")


class JenisDokumen(models.TextChoices):
    """Documents a proposal carries (DOMAIN.md: inferred checklist)."""

    SURAT_PERMOHONAN = "surat_permohonan", _("Surat permohonan")
    BERITA_ACARA = "berita_acara", _("Berita acara rapat anggota pembentukan pengelola")
    AD_ART = "ad_art", _("AD/ART")
    AKTA_AHU = "akta_ahu", _("Akta pendirian dan pengesahan AHU")
    PERDES = "perdes", _("Peraturan Desa pendirian BUMDes")
    PERDA = "perda", _("Peraturan Daerah pendirian BUMD")
    PERKADA_UPTD = "perkada_uptd", _("Peraturan Kepala Daerah pembentukan UPTD/BLUD")
    DAFTAR_PENGURUS = "daftar_pengurus", _("Daftar pengurus")
    RENCANA_KERJA = "rencana_kerja", _("Rencana kerja")
    PERNYATAAN_KOMITMEN = "pernyataan_komitmen", _(
        "Surat pernyataan komitmen mengoperasikan, memelihara dan melapor"
    )
    DOKUMEN_ASET = "dokumen_aset", _("Dokumen aset (BAST, petikan KIB, perjanjian pemanfaatan)")
    RANCANGAN_SK = "rancangan_sk", _("Rancangan SK")
    LAINNYA = "lainnya", _("Lainnya")


_COMMON_DOCUMENTS = (
    JenisDokumen.SURAT_PERMOHONAN,
    JenisDokumen.BERITA_ACARA,
    JenisDokumen.DAFTAR_PENGURUS,
    JenisDokumen.RENCANA_KERJA,
    JenisDokumen.PERNYATAAN_KOMITMEN,
    JenisDokumen.DOKUMEN_ASET,
)

# The founding instrument differs per legal form; the rest of the file is the same for all.
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    BentukHukum.UPTD: _COMMON_DOCUMENTS + (JenisDokumen.PERKADA_UPTD,),
    BentukHukum.BLUD: _COMMON_DOCUMENTS + (JenisDokumen.PERKADA_UPTD,),
    BentukHukum.BUMD: _COMMON_DOCUMENTS + (JenisDokumen.PERDA, JenisDokumen.AD_ART),
    BentukHukum.BUMDES: _COMMON_DOCUMENTS + (JenisDokumen.PERDES, JenisDokumen.AD_ART),
    BentukHukum.KOPERASI: _COMMON_DOCUMENTS + (JenisDokumen.AKTA_AHU, JenisDokumen.AD_ART),
    BentukHukum.PENGURUS: _COMMON_DOCUMENTS + (JenisDokumen.AD_ART,),
}


class KapasitasPenandatangan(models.TextChoices):
    """Capacity in which the SK is signed (Plt/Plh/Pj rules)."""

    DEFINITIF = "definitif", _("Definitif")
    PLT = "plt", _("Plt. (Pelaksana Tugas)")
    PLH = "plh", _("Plh. (Pelaksana Harian)")
    PJ = "pj", _("Pj. (Penjabat)")
    AN = "an", _("a.n. (Sekretaris Daerah atas nama kepala daerah)")


class StatusSK(models.TextChoices):
    """The SK's legal status: in force from its date until a later Keputusan amends or revokes it.

    Recording at the province is a separate status (``StatusPencatatan``) and never undoes it.
    """

    BERLAKU = "berlaku", _("Berlaku")
    DIUBAH = "diubah", _("Diubah dengan Keputusan lain")
    DICABUT = "dicabut", _("Dicabut")
    # Before the numbering step, the province could return an SK and the kab/kota re-issued it under
    # the same number; such a returned SK was replaced by the re-issue. Only old rows have it.
    DIGANTI = "diganti", _("Diganti (dikembalikan provinsi menurut alur lama)")


class StatusPencatatan(models.TextChoices):
    """Where the SK stands in the province's register."""

    BELUM_DICATAT = "belum_dicatat", _("Belum dicatat provinsi")
    TERCATAT = "tercatat", _("Tercatat")
    TERCATAT_DENGAN_CATATAN = "tercatat_catatan", _("Tercatat dengan catatan")


# A signature other than the definitive kepala daerah's rests on a written basis (UU 30/2014 art. 14).
CAPACITIES_NEEDING_BASIS = frozenset({"plt", "plh", "pj", "an"})


class StatusPemanfaatanAset(models.TextChoices):
    BELUM = "belum", _("Belum ada dasar pemanfaatan")
    PINJAM_PAKAI = "pinjam_pakai", _("Pinjam pakai")
    SEWA = "sewa", _("Sewa")
    KSP = "ksp", _("Kerja sama pemanfaatan (KSP)")
    PENGGUNAAN_OPD = "penggunaan_opd", _("Digunakan OPD (UPTD/BLUD)")
    PENYERTAAN_MODAL = "penyertaan_modal", _("Penyertaan modal daerah (BUMD)")
