"""Every choice of the register's domain in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class BentukHukum(models.TextChoices):
    """Legal form a Pengelola takes in practice (DOMAIN.md).

    A BLUD is not a body of its own: it is a UPTD applying the financial pattern PPK-BLUD
    (Permendagri 79/2018), recorded as ``Pengelola.ppk_blud`` on a UPTD. Rows proposed as "blud"
    before became UPTD with the flag (migration 0009).
    """

    UPTD = "uptd", _("UPTD (Unit Pelaksana Teknis Daerah)")
    BUMD = "bumd", _("BUMD / Perusda")
    # UU 6/2014 jo. UU 3/2024 and PP 11/2021 write "BUM Desa"; a BUM Desa Bersama is founded by
    # two or more desa (PP 11/2021), by a Peraturan Bersama Kepala Desa.
    BUMDES = "bumdes", _("BUM Desa")
    BUMDES_BERSAMA = "bumdes_bersama", _("BUM Desa Bersama")
    KOPERASI = "koperasi", _("Koperasi")
    PENGURUS = "pengurus", _("Pengurus non-badan-hukum")


# The key of the laws a UPTD applying PPK-BLUD cites besides a UPTD's (produk_hukum.DasarHukum rows
# with this ``bentuk_hukum``; produk_hukum names it in its admin choices as "UPTD dengan PPK-BLUD").
PPK_BLUD_KEY = "blud"


def dasar_hukum_keys(bentuk_hukum: str, *, ppk_blud: bool = False) -> list[str]:
    """The legal-form keys whose laws the pengelola's Keputusan cites: ``["uptd", "blud"]`` for a UPTD
    applying PPK-BLUD, else its form alone."""
    keys = [bentuk_hukum]
    if ppk_blud and bentuk_hukum == BentukHukum.UPTD:
        keys.append(PPK_BLUD_KEY)
    return keys


def bentuk_hukum_label(bentuk_hukum: str, *, ppk_blud: bool = False) -> str:
    """How documents and the register name the form: "UPTD (…) yang menerapkan PPK-BLUD" for a UPTD
    with the flag. An unknown value (an old history row) is shown as stored."""
    try:
        label = str(BentukHukum(bentuk_hukum).label)
    except ValueError:
        return bentuk_hukum
    if ppk_blud and bentuk_hukum == BentukHukum.UPTD:
        return f"{label} {_('yang menerapkan PPK-BLUD')}"
    return label


class JenisDokumen(models.TextChoices):
    """Documents a proposal carries (DOMAIN.md: inferred checklist)."""

    SURAT_PERMOHONAN = "surat_permohonan", _("Surat permohonan")
    BERITA_ACARA = "berita_acara", _("Berita acara rapat anggota pembentukan pengelola")
    AD_ART = "ad_art", _("AD/ART")
    AKTA_AHU = "akta_ahu", _("Akta pendirian dan pengesahan AHU")
    PERDES = "perdes", _("Peraturan Desa pendirian BUM Desa")
    PERATURAN_BERSAMA_KADES = "peraturan_bersama_kades", _(
        "Peraturan Bersama Kepala Desa pendirian BUM Desa Bersama"
    )
    SERTIFIKAT_BH_BUMDES = "sertifikat_bh_bumdes", _(
        "Sertifikat pendaftaran badan hukum BUM Desa/BUM Desa Bersama (Kemenkumham/Kementerian Hukum, PP 11/2021)"
    )
    PERDA = "perda", _("Peraturan Daerah pendirian BUMD")
    PERKADA_UPTD = "perkada_uptd", _("Peraturan Kepala Daerah pembentukan UPTD")
    KEPUTUSAN_PPK_BLUD = "keputusan_ppk_blud", _("Keputusan kepala daerah tentang penerapan PPK-BLUD pada UPTD")
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
# A BUM Desa and a BUM Desa Bersama are legal persons once registered with the ministry of law
# (PP 11/2021): the certificate is part of their file.
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    BentukHukum.UPTD: _COMMON_DOCUMENTS + (JenisDokumen.PERKADA_UPTD,),
    BentukHukum.BUMD: _COMMON_DOCUMENTS + (JenisDokumen.PERDA, JenisDokumen.AD_ART),
    BentukHukum.BUMDES: _COMMON_DOCUMENTS
    + (JenisDokumen.PERDES, JenisDokumen.AD_ART, JenisDokumen.SERTIFIKAT_BH_BUMDES),
    BentukHukum.BUMDES_BERSAMA: _COMMON_DOCUMENTS
    + (JenisDokumen.PERATURAN_BERSAMA_KADES, JenisDokumen.AD_ART, JenisDokumen.SERTIFIKAT_BH_BUMDES),
    BentukHukum.KOPERASI: _COMMON_DOCUMENTS + (JenisDokumen.AKTA_AHU, JenisDokumen.AD_ART),
    BentukHukum.PENGURUS: _COMMON_DOCUMENTS + (JenisDokumen.AD_ART,),
}
# A UPTD applying PPK-BLUD also carries the kepala daerah's decision to apply it (Permendagri 79/2018).
PPK_BLUD_DOCUMENTS: tuple[str, ...] = (JenisDokumen.KEPUTUSAN_PPK_BLUD,)


def required_documents(bentuk_hukum: str, *, ppk_blud: bool = False) -> tuple[str, ...]:
    """The documents a proposal of this form must carry (unknown form: none listed)."""
    documents = REQUIRED_DOCUMENTS.get(bentuk_hukum, ())
    if ppk_blud and bentuk_hukum == BentukHukum.UPTD:
        documents += PPK_BLUD_DOCUMENTS
    return documents


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


class JenisKeputusan(models.TextChoices):
    """What a Keputusan does to the pengelola: establishes it, amends or renews its SK, or revokes it."""

    PENETAPAN = "penetapan", _("Penetapan")
    PERUBAHAN = "perubahan", _("Perubahan")
    PERPANJANGAN = "perpanjangan", _("Perpanjangan masa bakti")
    PENCABUTAN = "pencabutan", _("Pencabutan")


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
    PENGGUNAAN_OPD = "penggunaan_opd", _("Digunakan OPD (termasuk UPTD, dengan atau tanpa PPK-BLUD)")
    PENYERTAAN_MODAL = "penyertaan_modal", _("Penyertaan modal daerah (BUMD)")


class SentraState(models.TextChoices):
    """Where a sentra of the DAK register stands with its pengelola. Derived, never stored:
    ``flows.selectors.sentra_state_annotate`` is the one rule."""

    BELUM_ADA_PENGELOLA = "belum_ada_pengelola", _("Belum ada pengelola")
    DALAM_PROSES = "dalam_proses", _("Dalam proses")
    BER_SK = "ber_sk", _("Pengelola ber-SK")
    SK_BERAKHIR = "sk_berakhir", _("SK berakhir")
