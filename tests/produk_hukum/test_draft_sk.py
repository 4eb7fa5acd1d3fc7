"""The draft SK as Bagian Hukum would sign it off (issue 13, points 7-11): for a koperasi in Banggai, a
UPTD with PPK-BLUD in Palu and a BUM Desa in Sigi, in DOCX and PDF: the title's wording, the place of
signing, the legal basis in the order of the hierarchy of laws with the form's own law, the signature
block in each capacity, and the offices as the region names them."""

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from accounts.roles import Role
from flows.demo import demo_asset_lines
from sentra.choices import KapasitasPenandatangan
from sentra.documents import sk_draft_render
from sentra.documents.context import date_id, sk_draft_context
from tests.produk_hukum.conftest import CASES
from tests.sentra.readback import docx_text, pdf_text

pytestmark = pytest.mark.django_db

FORMATS = ("docx", "pdf")

UU_3_2014 = "Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian"
UU_23_2014 = "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa kali diubah"
UU_30_2014 = "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan"
PP_27_2014 = "Peraturan Pemerintah Nomor 27 Tahun 2014 tentang Pengelolaan Barang Milik Negara/Daerah"
PP_29_2018 = "Peraturan Pemerintah Nomor 29 Tahun 2018 tentang Pemberdayaan Industri"
PERMENDAGRI_19_2016 = "Peraturan Menteri Dalam Negeri Nomor 19 Tahun 2016 tentang Pedoman Pengelolaan Barang Milik Daerah"
PERDA_RPIP = "Peraturan Daerah Provinsi Sulawesi Tengah Nomor 6 Tahun 2018 tentang Rencana Pembangunan Industri"

# The "Mengingat" of each case, in order: higher laws first, older before newer within a kind.
MENGINGAT = {
    "koperasi-banggai": [
        "Undang-Undang Nomor 29 Tahun 1959 tentang Pembentukan Daerah-daerah Tingkat II di Sulawesi",
        "Undang-Undang Nomor 25 Tahun 1992 tentang Perkoperasian",
        UU_3_2014,
        UU_23_2014,
        UU_30_2014,
        PP_27_2014,
        PP_29_2018,
        PERMENDAGRI_19_2016,
        PERDA_RPIP,
    ],
    "uptd-blud-palu": [
        "Undang-Undang Nomor 4 Tahun 1994 tentang Pembentukan Kotamadya Daerah Tingkat II Palu",
        UU_3_2014,
        UU_23_2014,
        UU_30_2014,
        PP_27_2014,
        PP_29_2018,
        PERMENDAGRI_19_2016,
        "Peraturan Menteri Dalam Negeri Nomor 12 Tahun 2017 tentang Pedoman Pembentukan dan Klasifikasi Cabang "
        "Dinas dan Unit Pelaksana Teknis Daerah",
        "Peraturan Menteri Dalam Negeri Nomor 79 Tahun 2018 tentang Badan Layanan Umum Daerah",
        PERDA_RPIP,
    ],
    "bumdes-sigi": [
        "Undang-Undang Nomor 27 Tahun 2008 tentang Pembentukan Kabupaten Sigi di Provinsi Sulawesi Tengah",
        UU_3_2014,
        "Undang-Undang Nomor 6 Tahun 2014 tentang Desa sebagaimana telah beberapa kali diubah terakhir dengan "
        "Undang-Undang Nomor 3 Tahun 2024",
        UU_23_2014,
        UU_30_2014,
        PP_27_2014,
        PP_29_2018,
        "Peraturan Pemerintah Nomor 11 Tahun 2021 tentang Badan Usaha Milik Desa",
        PERMENDAGRI_19_2016,
        PERDA_RPIP,
    ],
}
# Laws of the other legal forms, which a case must not cite.
FORM_LAWS = {
    "koperasi": "Nomor 25 Tahun 1992 tentang Perkoperasian",
    "bumdes": "Nomor 11 Tahun 2021 tentang Badan Usaha Milik Desa",
    "bumd": "Nomor 54 Tahun 2017 tentang Badan Usaha Milik Daerah",
    "blud": "Nomor 79 Tahun 2018 tentang Badan Layanan Umum Daerah",
}

# Each region's Perda names its offices its own way; the draft uses the names set in the admin.
OFFICES = {
    "72.01": {
        "dinas_perindustrian": "Dinas Koperasi, Usaha Kecil dan Menengah, Perindustrian dan Perdagangan",
        "bpkad": "Badan Keuangan dan Aset Daerah",
        "bappeda": "Badan Perencanaan, Penelitian dan Pengembangan Daerah",
    },
    "72.71": {
        "dinas_perindustrian": "Dinas Perdagangan dan Perindustrian",
        "bpkad": "Badan Pengelolaan Keuangan dan Aset Daerah",
        "bappeda": "Badan Riset dan Inovasi serta Perencanaan Pembangunan Daerah",
    },
    "72.10": {
        "dinas_perindustrian": "Dinas Perindustrian, Perdagangan, Koperasi dan UKM",
        "bpkad": "Badan Pendapatan, Pengelolaan Keuangan dan Aset Daerah",
        "bappeda": "Badan Perencanaan Pembangunan Daerah dan Penelitian Pengembangan",
    },
}


def _read(fmt: str, content: bytes) -> str:
    return docx_text(content) if fmt == "docx" else pdf_text(content)


def _draft(pengelola, fmt: str) -> str:
    return _read(fmt, sk_draft_render(pengelola=pengelola, fmt=fmt).content)


def _in_order(text: str, phrases: list[str]) -> None:
    position = 0
    for phrase in phrases:
        found = text.find(phrase, position)
        assert found >= 0, f"not found after position {position}: {phrase}"
        position = found + len(phrase)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_the_title_and_text_say_sentra_industri_kecil_dan_industri_menengah(pengelola_in, case, fmt):
    region, bentuk, ppk_blud, _, office = CASES[case]
    text = _draft(pengelola_in(region, bentuk, ppk_blud), fmt)
    assert f"KEPUTUSAN {office}" in text
    assert "TENTANG PENETAPAN KELEMBAGAAN PENGELOLA SENTRA INDUSTRI KECIL DAN INDUSTRI MENENGAH" in text
    assert "penguatan Sentra Industri Kecil dan Industri Menengah sebagaimana diatur" in text
    assert "DAFTAR ANGGOTA INDUSTRI KECIL DAN INDUSTRI MENENGAH" in text
    # PP 29/2018 art. 1(4) names both: never "Industri Kecil dan Menengah".
    assert "KECIL DAN MENENGAH" not in text.upper()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_it_is_signed_at_the_regions_capital(pengelola_in, case, fmt):
    region, bentuk, ppk_blud, capital, _ = CASES[case]
    text = _draft(pengelola_in(region, bentuk, ppk_blud), fmt)
    assert f"Ditetapkan di {capital} pada tanggal" in text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_mengingat_lists_the_legal_basis_of_the_region_and_form_in_the_order_of_the_hierarchy(pengelola_in, case, fmt):
    region, bentuk, ppk_blud, _, _ = CASES[case]
    text = _draft(pengelola_in(region, bentuk, ppk_blud), fmt)
    start = text.index("Mengingat")
    # python-docx reads the tables after the paragraphs: the Mengingat table is followed by Menetapkan's.
    mengingat = text[start : text.index("MEMUTUSKAN" if fmt == "pdf" else "Menetapkan", start)]
    _in_order(mengingat, MENGINGAT[case])
    # Numbered 1., 2., … with a semicolon after each and a full stop after the last.
    count = len(MENGINGAT[case])
    assert re.search(rf"\b{count}\. {re.escape(MENGINGAT[case][-1])}[^;]*\.", mengingat)
    assert f"{count + 1}. " not in mengingat
    # Permendagri 1/2023 (tata naskah dinas) shapes the layout; it is never cited.
    assert "Nomor 1 Tahun 2023" not in text and "Tata Naskah Dinas" not in text
    # A UPTD applying PPK-BLUD cites the UPTD's laws and the BLUD's.
    keys = {bentuk, "blud"} if ppk_blud else {bentuk}
    for form, law in FORM_LAWS.items():
        if form not in keys:
            assert law not in mengingat, law


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(
    "kapasitas, heading",
    [
        (KapasitasPenandatangan.DEFINITIF, "{office},"),
        (KapasitasPenandatangan.PLT, "Plt. {office},"),
        (KapasitasPenandatangan.AN, "a.n. {office} SEKRETARIS DAERAH,"),
    ],
    ids=["definitif", "plt", "an"],
)
@pytest.mark.parametrize("with_assets", [False, True], ids=["tanpa-aset", "dengan-aset"])
def test_the_signature_block_follows_the_capacity_and_the_regions_kind(
    pengelola_in, sk_for, make_user, case, kapasitas, heading, with_assets, fmt
):
    region, bentuk, ppk_blud, capital, office = CASES[case]
    pengelola = pengelola_in(region, bentuk, ppk_blud)
    if with_assets:
        bpkad = make_user(Role.VERIFIKATOR_ASET, region, username=f"bpkad.{region}.{pengelola.pk}")
        demo_asset_lines(pengelola, bpkad, seed=pengelola.pk)
    sk = sk_for(pengelola, kapasitas, "Rahmawati Lamasitudju")
    content = sk_draft_render(pengelola=pengelola, fmt=fmt).content
    text = _read(fmt, content)
    # Lampiran III (the DAK assets) only when BPKAD recorded asset lines (context key ``lampiran_aset``).
    assert sk_draft_context(pengelola, sk=sk)["lampiran_aset"] is with_assets
    assert ("LAMPIRAN III" in text) is with_assets
    block = f"{heading.format(office=office)} RAHMAWATI LAMASITUDJU"
    # Under the decree and under each lampiran: I pengurus, II anggota, and III aset DAK when there is one.
    assert text.count(block) == (4 if with_assets else 3)
    assert f"Ditetapkan di {capital} pada tanggal {date_id(sk.tanggal)} {block}" in text
    others = {"Plt.", "Plh.", "Pj.", "a.n."} - {heading.split()[0]}
    assert not any(f"{prefix} {office}" in text for prefix in others)
    if kapasitas != KapasitasPenandatangan.AN:
        assert "SEKRETARIS DAERAH," not in text
    # A kota has a Wali Kota, a kabupaten a Bupati: never the other title.
    other_title = "BUPATI" if office.startswith("WALI KOTA") else "WALI KOTA"
    assert other_title not in text
    if kapasitas == KapasitasPenandatangan.AN:
        # Two lines: "a.n. BUPATI …" above "SEKRETARIS DAERAH,".
        if fmt == "docx":
            paragraphs = [p.text for p in Document(io.BytesIO(content)).paragraphs]
            assert f"a.n. {office}\nSEKRETARIS DAERAH," in paragraphs
        else:
            raw = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
            lines = [line.strip() for line in raw.splitlines()]
            i = lines.index(f"a.n. {office}")
            assert lines[i + 1] == "SEKRETARIS DAERAH,"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_the_draft_names_the_offices_as_the_region_named_them_in_the_admin(pengelola_in, regions, case, fmt):
    from produk_hukum.models import KantorDaerah

    region, bentuk, ppk_blud, _, office = CASES[case]
    names = OFFICES[region]
    KantorDaerah.objects.update_or_create(region_id=region, defaults=names)
    text = _draft(pengelola_in(region, bentuk, ppk_blud), fmt)
    where = str(regions[region])
    head = office.title()
    assert f"diverifikasi oleh {names['dinas_perindustrian']} {where}" in text
    assert f"kepada {head} melalui {names['dinas_perindustrian']} {where}" in text
    assert f"diperiksa oleh {names['bpkad']} {where}" in text
    assert f"Kepala {names['bpkad']} {where};" in text
    assert f"Kepala {names['bappeda']} {where};" in text
    assert f"Kepala {names['dinas_perindustrian']} {where};" in text
    # The generic names are gone where the region set its own.
    if names["dinas_perindustrian"] != "Dinas Perindustrian dan Perdagangan":
        assert f"Dinas Perindustrian dan Perdagangan {where}" not in text
    if names["bappeda"] != "Badan Perencanaan Pembangunan Daerah":
        assert f"Badan Perencanaan Pembangunan Daerah {where}" not in text
