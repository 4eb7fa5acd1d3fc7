"""The legal basis and office names a fresh installation starts with; Bagian Hukum edits them in the admin.

``seed_defaults`` takes the models (a data migration passes its historical ones) and only adds what is
missing, so running it twice changes nothing and it never overwrites an edit.
"""

from __future__ import annotations

# jenis (models.JenisPeraturan values, duplicated here so that a migration does not depend on the
# model's current code)
UU, PP, PERPRES, PERMEN, PERDA_PROVINSI, PERDA, PERKADA = 10, 20, 30, 40, 50, 60, 70

CIPTA_KERJA = (
    "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 "
    "Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang"
)
CHECK_JDIH = "Diisi saat pemasangan dari sumber publik; cocokkan dengan JDIH sebelum dipakai."

_UU_6_2014_CHANGED = (
    "sebagaimana telah beberapa kali diubah terakhir dengan Undang-Undang Nomor 3 Tahun 2024 tentang Perubahan "
    "Kedua atas Undang-Undang Nomor 6 Tahun 2014 tentang Desa"
)

# (jenis, sebutan, nomor, tahun, tentang, perubahan, region code or None, bentuk_hukum or "", catatan)
# A BUM Desa Bersama rests on the law of the BUM Desa (PP 11/2021 governs both); added to installations
# seeded before it existed by migration 0003.
BUMDES_BERSAMA_BASIS: tuple[tuple, ...] = (
    (UU, "Undang-Undang", 6, 2014, "Desa", _UU_6_2014_CHANGED, None, "bumdes_bersama", ""),
    (PP, "Peraturan Pemerintah", 11, 2021, "Badan Usaha Milik Desa", "", None, "bumdes_bersama", ""),
)
LEGAL_BASIS: tuple[tuple, ...] = (
    # For every kab/kota and every legal form.
    (UU, "Undang-Undang", 3, 2014, "Perindustrian", "", None, "",
     "Periksa perlunya frasa perubahan dengan " + CIPTA_KERJA + "."),
    (UU, "Undang-Undang", 23, 2014, "Pemerintahan Daerah",
     f"sebagaimana telah beberapa kali diubah terakhir dengan {CIPTA_KERJA}", None, "", ""),
    (UU, "Undang-Undang", 30, 2014, "Administrasi Pemerintahan",
     f"sebagaimana telah diubah dengan {CIPTA_KERJA}", None, "", ""),
    (PP, "Peraturan Pemerintah", 27, 2014, "Pengelolaan Barang Milik Negara/Daerah",
     "sebagaimana telah diubah dengan Peraturan Pemerintah Nomor 28 Tahun 2020 tentang Perubahan atas Peraturan "
     "Pemerintah Nomor 27 Tahun 2014 tentang Pengelolaan Barang Milik Negara/Daerah", None, "",
     "Dasar pemanfaatan sarana sentra (barang milik daerah)."),
    (PP, "Peraturan Pemerintah", 29, 2018, "Pemberdayaan Industri", "", None, "", ""),
    (PERMEN, "Peraturan Menteri Dalam Negeri", 19, 2016, "Pedoman Pengelolaan Barang Milik Daerah", "", None, "",
     "Dasar pemanfaatan sarana sentra (barang milik daerah)."),
    # Per legal form of the pengelola (sentra.choices.BentukHukum values).
    (UU, "Undang-Undang", 25, 1992, "Perkoperasian", "", None, "koperasi",
     "Periksa perlunya frasa perubahan dengan " + CIPTA_KERJA + "."),
    (UU, "Undang-Undang", 6, 2014, "Desa", _UU_6_2014_CHANGED, None, "bumdes", ""),
    (PP, "Peraturan Pemerintah", 11, 2021, "Badan Usaha Milik Desa", "", None, "bumdes", ""),
    *BUMDES_BERSAMA_BASIS,
    (PP, "Peraturan Pemerintah", 54, 2017, "Badan Usaha Milik Daerah", "", None, "bumd", ""),
    (PERMEN, "Peraturan Menteri Dalam Negeri", 12, 2017,
     "Pedoman Pembentukan dan Klasifikasi Cabang Dinas dan Unit Pelaksana Teknis Daerah", "", None, "uptd", ""),
    # A BLUD is a UPTD applying the PPK-BLUD: it cites the "uptd" laws and the "blud" ones (its keys are
    # ["uptd", "blud"]; installations seeded before keep a second Permendagri 12/2017 under "blud",
    # cited once).
    (PERMEN, "Peraturan Menteri Dalam Negeri", 79, 2018, "Badan Layanan Umum Daerah", "", None, "blud", ""),
    # The province's own industry plan, for every kab/kota of Sulawesi Tengah.
    (PERDA_PROVINSI, "Peraturan Daerah Provinsi Sulawesi Tengah", 6, 2018, "Rencana Pembangunan Industri Provinsi",
     "", "72", "", "Perda RPIP; Perda RPIK kabupaten/kota ditambahkan per wilayah."),
)

_UU_29_1959 = "Pembentukan Daerah-daerah Tingkat II di Sulawesi"
_UU_51_1999 = "Pembentukan Kabupaten Buol, Kabupaten Morowali, dan Kabupaten Banggai Kepulauan"
_UU_51_1999_CHANGED = (
    "sebagaimana telah diubah dengan Undang-Undang Nomor 11 Tahun 2000 tentang Perubahan atas Undang-Undang "
    "Nomor 51 Tahun 1999 tentang " + _UU_51_1999
)

# The Undang-Undang that formed each kab/kota: (code, nomor, tahun, tentang, perubahan). A region
# whose law is not known here gets an entry with dots for number and year, for Bagian Hukum to fill.
FORMATION_LAWS: tuple[tuple, ...] = (
    ("72.01", 29, 1959, _UU_29_1959, ""),
    ("72.02", 29, 1959, _UU_29_1959, ""),
    ("72.03", 29, 1959, _UU_29_1959, ""),
    ("72.04", None, None, "Pembentukan Kabupaten Toli-Toli", ""),
    ("72.05", 51, 1999, _UU_51_1999, _UU_51_1999_CHANGED),
    ("72.06", 51, 1999, _UU_51_1999, _UU_51_1999_CHANGED),
    ("72.07", 51, 1999, _UU_51_1999, _UU_51_1999_CHANGED),
    ("72.08", 10, 2002, "Pembentukan Kabupaten Parigi Moutong di Provinsi Sulawesi Tengah", ""),
    ("72.09", 32, 2003, "Pembentukan Kabupaten Tojo Una-Una di Provinsi Sulawesi Tengah", ""),
    ("72.10", 27, 2008, "Pembentukan Kabupaten Sigi di Provinsi Sulawesi Tengah", ""),
    ("72.11", 5, 2013, "Pembentukan Kabupaten Banggai Laut di Provinsi Sulawesi Tengah", ""),
    ("72.12", 12, 2013, "Pembentukan Kabupaten Morowali Utara di Provinsi Sulawesi Tengah", ""),
    ("72.71", 4, 1994, "Pembentukan Kotamadya Daerah Tingkat II Palu", ""),
)
TO_FILL = "BELUM LENGKAP: isi nomor, tahun dan judul Undang-Undang pembentukan dari JDIH."

# The seat of government of each region ("Ditetapkan di …"), from wilayah_sulteng.csv.
IBU_KOTA = {
    "72": "Palu",
    "72.01": "Luwuk",
    "72.02": "Poso",
    "72.03": "Donggala",
    "72.04": "Tolitoli",
    "72.05": "Buol",
    "72.06": "Bungku",
    "72.07": "Salakan",
    "72.08": "Parigi",
    "72.09": "Ampana",
    "72.10": "Sigi Biromaru",
    "72.11": "Banggai",
    "72.12": "Kolonodale",
    "72.71": "Palu",
}


def _legal_basis_rows(region_codes: set[str]):
    for jenis, sebutan, nomor, tahun, tentang, perubahan, region, bentuk, catatan in LEGAL_BASIS:
        if region is None or region in region_codes:
            yield jenis, sebutan, nomor, tahun, tentang, perubahan, region, bentuk, catatan
    for code, nomor, tahun, tentang, perubahan in FORMATION_LAWS:
        if code in region_codes:
            catatan = CHECK_JDIH if nomor is not None else TO_FILL
            yield UU, "Undang-Undang", nomor, tahun, tentang, perubahan, code, "", catatan


def legal_basis_add(dasar_hukum_model, rows) -> None:
    """Add the legal-basis ``rows`` (tuples as in ``LEGAL_BASIS``) where missing."""
    for jenis, sebutan, nomor, tahun, tentang, perubahan, region, bentuk, catatan in rows:
        dasar_hukum_model.objects.get_or_create(
            jenis=jenis,
            nomor=nomor,
            tahun=tahun,
            tentang=tentang,
            region_id=region,
            bentuk_hukum=bentuk,
            defaults={"sebutan": sebutan, "perubahan": perubahan, "catatan": catatan},
        )


def seed_defaults(*, region_model, dasar_hukum_model, kantor_model) -> None:
    """Add the seeded legal basis and an office-name row for each region, where missing."""
    region_codes = set(region_model.objects.values_list("code", flat=True))
    legal_basis_add(dasar_hukum_model, _legal_basis_rows(region_codes))
    for code in sorted(region_codes):
        kantor_model.objects.get_or_create(region_id=code)


def ibu_kota_fill(region_model) -> None:
    """Give each region of the list its capital, where none is set yet (an admin's entry stays)."""
    for region in region_model.objects.filter(code__in=IBU_KOTA, ibu_kota=""):
        region.ibu_kota = IBU_KOTA[region.code]
        region.save(update_fields=["ibu_kota"])
