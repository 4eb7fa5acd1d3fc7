"""The draft SK: generated from the proposal as DOCX and PDF, with the structure of a Keputusan
Bupati/Wali Kota, the signer's capacity in the signature block, and a template a kab/kota can replace."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from accounts.roles import Role
from flows.demo import checked_pdf
from flows.models import Hasil
from sentra.choices import KapasitasPenandatangan
from sentra.documents import DOCX_TYPE, sk_draft_render
from sentra.documents.builder import DEFAULT_TEMPLATE, sk_template_build
from sentra.documents.context import sk_draft_context
from sentra.documents.samples import sample_context
from sentra.forms import SKTemplateForm
from sentra.models import SKTemplate
from sentra.services import sk_create
from tests.helpers import act, assets_recorded, client_for, decision, task_of, task_url
from tests.sentra.readback import docx_text, pdf_text

pytestmark = pytest.mark.django_db

DRAFT_URL = "/berkas/rancangan-sk/{pk}/{fmt}/"


def _read(fmt: str, content: bytes) -> str:
    return docx_text(content) if fmt == "docx" else pdf_text(content)


def _at_harmonisasi(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    assert act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302
    return process


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_draft_names_the_pengelola_sentra_kabupaten_every_pengurus_and_every_anggota(donggala, start_proposal, fmt):
    process = _at_harmonisasi(donggala, start_proposal)
    response = client_for(donggala["bagian_hukum"]).get(DRAFT_URL.format(pk=process.pk, fmt=fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == (DOCX_TYPE if fmt == "docx" else "application/pdf")
    assert f".{fmt}" in response["Content-Disposition"]
    text = _read(fmt, response.content)

    pengelola = process.pengelola
    assert pengelola.name in text
    assert pengelola.sentra.name in text
    assert "Kabupaten Donggala" in text
    assert pengelola.pengurus_set.count() == 3 and pengelola.anggota_set.count() == 6
    for person in pengelola.pengurus_set.all():
        assert person.nama in text and person.jabatan in text
    for member in pengelola.anggota_set.all():
        assert member.nama_usaha in text and member.pemilik in text and member.nib in text
    # Personal numbers stay out of a decree that is read far and wide.
    for person in pengelola.pengurus_set.all():
        assert person.nik not in text and person.telepon not in text
    for member in pengelola.anggota_set.all():
        assert member.nik_pemilik not in text
    # Lampiran I and II; no Lampiran III while BPKAD has recorded no DAK asset line (the diktum cites none)
    assert "LAMPIRAN I " in text.replace("\n", " ") and "LAMPIRAN II" in text
    assert "LAMPIRAN III" not in text and "Lampiran III" not in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_draft_has_the_structure_of_a_keputusan_bupati(donggala, start_proposal, fmt):
    process = start_proposal(donggala["pengusul"])
    text = _read(fmt, sk_draft_render(pengelola=process.pengelola, fmt=fmt).content)
    in_order = [
        "BUPATI DONGGALA",
        "PROVINSI SULAWESI TENGAH",
        "KEPUTUSAN BUPATI DONGGALA",
        "NOMOR",
        "TENTANG PENETAPAN KELEMBAGAAN PENGELOLA SENTRA INDUSTRI KECIL DAN INDUSTRI MENENGAH",
        "DENGAN RAHMAT TUHAN YANG MAHA ESA",
        "Menimbang",
        "Mengingat",
        "MEMUTUSKAN",
        "Menetapkan",
        "KESATU",
        "KEDUA",
        "KETIGA",
        "Ditetapkan di Donggala",
        "pada tanggal",
        "Tembusan",
        "LAMPIRAN I",
        "SUSUNAN PENGURUS",
        "LAMPIRAN II",
        "DAFTAR ANGGOTA INDUSTRI KECIL DAN INDUSTRI MENENGAH",
    ]
    if fmt == "pdf":  # python-docx reads the tables after the paragraphs; the PDF reads in page order
        position = 0
        for phrase in in_order:
            position = text.index(phrase, position)  # ValueError: out of order
    for phrase in in_order:
        assert phrase in text, phrase
    # The legal basis comes from produk_hukum's table (tests/produk_hukum/ checks it in full).
    for law in (
        "Undang-Undang Nomor 29 Tahun 1959 tentang Pembentukan Daerah-daerah Tingkat II di Sulawesi",
        "Undang-Undang Nomor 3 Tahun 2014 tentang Perindustrian",
        "Peraturan Pemerintah Nomor 29 Tahun 2018 tentang Pemberdayaan Industri",
    ):
        assert law in text, law
    assert "Peraturan Daerah Provinsi Sulawesi Tengah Nomor 6 Tahun 2018" in text
    # The duties include reporting to the Disperindag; the term is stated.
    assert (
        "menyampaikan laporan pelaksanaan tugas secara berkala kepada Bupati Donggala melalui "
        "Dinas Perindustrian dan Perdagangan Kabupaten Donggala" in text
    )
    assert "Masa bakti pengurus kelembagaan pengelola adalah 3 (tiga) tahun" in text
    assert "yang berbentuk Koperasi" in text
    for copy_to in (
        "Menteri Perindustrian",
        "Gubernur Sulawesi Tengah",
        "Inspektur Kabupaten Donggala",
        "Badan Pengelolaan Keuangan dan Aset Daerah Kabupaten Donggala",
        "Badan Perencanaan Pembangunan Daerah Kabupaten Donggala",
    ):
        assert copy_to in text, copy_to


def _sk(process, user, kapasitas, nama="Vera Elena Laruni", nomor="100.3.3.2/45/DISPERINDAG/2026"):
    tanggal = timezone.localdate() - datetime.timedelta(days=1)
    basis = {}
    if kapasitas != "definitif":  # a Plt./Plh./Pj./a.n. signature rests on a surat perintah
        basis = {"dasar_nomor": "800.1.11.1/12/BKPSDM/2026", "dasar_tanggal": tanggal - datetime.timedelta(days=30),
                 "dasar_berlaku_sampai": tanggal + datetime.timedelta(days=60), "plh_peringatan_diakui": True}
    return sk_create(
        pengelola=process.pengelola,
        fields={
            "nomor": nomor,
            "tanggal": tanggal,
            "penandatangan_nama": nama,
            "penandatangan_kapasitas": kapasitas,
            "srikandi_ref": "",
            **basis,
        },
        pdf=checked_pdf("SK bertanda tangan"),
        salinan=checked_pdf("Salinan sesuai dengan aslinya"),
        dasar=checked_pdf("Surat perintah") if basis else None,
        user=user,
    )


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize(
    "kapasitas, block",
    [
        (KapasitasPenandatangan.DEFINITIF, "BUPATI DONGGALA, VERA ELENA LARUNI"),
        (KapasitasPenandatangan.PLT, "Plt. BUPATI DONGGALA, VERA ELENA LARUNI"),
        (KapasitasPenandatangan.PLH, "Plh. BUPATI DONGGALA, VERA ELENA LARUNI"),
        (KapasitasPenandatangan.PJ, "Pj. BUPATI DONGGALA, VERA ELENA LARUNI"),
    ],
)
def test_the_signer_capacity_changes_the_signature_block(donggala, start_proposal, kapasitas, block, fmt):
    process = start_proposal(donggala["pengusul"])
    sk = _sk(process, donggala["kepala_daerah"], kapasitas)
    text = _read(fmt, sk_draft_render(pengelola=process.pengelola, fmt=fmt).content)
    assert block in text
    other_prefixes = {"Plt.", "Plh.", "Pj."} - {block.split()[0]}
    assert not any(f"{prefix} BUPATI" in text for prefix in other_prefixes)
    if kapasitas == KapasitasPenandatangan.DEFINITIF:
        assert not any(f"{prefix} BUPATI" in text for prefix in ("Plt.", "Plh.", "Pj."))
    # A recorded SK also fills the number and the date the draft leaves blank.
    assert f"NOMOR {sk.nomor}" in text
    assert f"pada tanggal {sk.tanggal.day} " in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_before_the_sk_is_signed_the_signature_block_has_the_office_and_a_blank_name(donggala, start_proposal, fmt):
    process = start_proposal(donggala["pengusul"])
    text = _read(fmt, sk_draft_render(pengelola=process.pengelola, fmt=fmt).content)
    assert "BUPATI DONGGALA, ......................................" in text
    assert "NOMOR ......" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_kota_is_headed_and_signed_by_the_wali_kota(make_user, start_proposal, fmt):
    pengusul = make_user(Role.PENGUSUL, "72.71")
    process = start_proposal(pengusul)
    kepala = make_user(Role.KEPALA_DAERAH, "72.71")
    _sk(process, kepala, KapasitasPenandatangan.PLT, nama="Hadianto Rasyid", nomor="188.45/12/HUKUM/2026")
    text = _read(fmt, sk_draft_render(pengelola=process.pengelola, fmt=fmt).content)
    assert "KEPUTUSAN WALI KOTA PALU" in text
    assert "Plt. WALI KOTA PALU, HADIANTO RASYID" in text
    assert "Kota Palu" in text and "BUPATI" not in text


def test_the_harmonisasi_and_penetapan_pages_link_the_draft_and_the_verifikasi_page_does_not(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    links = (DRAFT_URL.format(pk=process.pk, fmt="docx"), DRAFT_URL.format(pk=process.pk, fmt="pdf"))

    def page(user, step):
        client = client_for(user)
        task = task_of(process, step)
        client.post(task_url(task, "assign"))
        return client.get(task_url(task)).content.decode()

    html = page(donggala["verifikator_dinas"], "verifikasi_dinas")
    assert not any(link in html for link in links)
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    html = page(donggala["bagian_hukum"], "harmonisasi_hukum")
    assert all(link in html for link in links)
    assert "Unduh rancangan SK (DOCX)" in html and "Unduh rancangan SK (PDF)" in html
    from tests.flows.test_legalisasi_http import ASET_OK

    assets_recorded(process, donggala["verifikator_aset"])
    act(donggala["verifikator_aset"], process, "verifikasi_aset", ASET_OK)
    act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI))
    html = page(donggala["sekretariat_daerah"], "paraf_koordinasi")
    assert all(link in html for link in links)
    act(donggala["sekretariat_daerah"], process, "paraf_koordinasi", decision(Hasil.DIPARAF))
    html = page(donggala["kepala_daerah"], "penetapan_sk")
    assert all(link in html for link in links)


def test_only_those_who_may_view_the_proposal_download_its_draft(donggala, poso, province, start_proposal, client):
    process = start_proposal(donggala["pengusul"])
    for fmt in ("docx", "pdf"):
        url = DRAFT_URL.format(pk=process.pk, fmt=fmt)
        assert client_for(poso["bagian_hukum"]).get(url).status_code == 404  # out of scope: as if it did not exist
        assert client_for(poso["kepala_daerah"]).get(url).status_code == 404
        assert client.get(url).status_code == 302  # anonymous: to the login page
        assert client_for(province["pencatat_provinsi"]).get(url).status_code == 200
        assert client_for(donggala["kepala_daerah"]).get(url).status_code == 200
    assert client_for(donggala["bagian_hukum"]).get(DRAFT_URL.format(pk=999999, fmt="pdf")).status_code == 404


def _docx_with(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_kabupaten_template_uploaded_by_the_admin_replaces_the_default_for_that_kabupaten_only(
    donggala, poso, start_proposal
):
    form = SKTemplateForm(
        data={"region": "72.03", "catatan": "format Bagian Hukum Donggala"},
        files={
            "file": SimpleUploadedFile("sk.docx", _docx_with("TEMPLATE DONGGALA: {{ pengelola }} / {{ ttd.jabatan }}"))
        },
    )
    assert form.is_valid(), form.errors
    template = form.save(commit=False)
    template.sha256 = form.checked.sha256
    template.save()
    assert SKTemplate.objects.get().region_id == "72.03"

    mine = start_proposal(donggala["pengusul"])
    theirs = start_proposal(poso["pengusul"])
    text = docx_text(sk_draft_render(pengelola=mine.pengelola, fmt="docx").content)
    assert text == f"TEMPLATE DONGGALA: {mine.pengelola.name} / BUPATI DONGGALA"
    text = docx_text(sk_draft_render(pengelola=theirs.pengelola, fmt="docx").content)
    assert "KEPUTUSAN BUPATI POSO" in text and "TEMPLATE DONGGALA" not in text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.4 not a word file", "bukan dokumen Word"),
        (_docx_with("{{ pengelola "), "Template tidak dapat diisi"),
        (_docx_with("{{ ''.__class__.__mro__[1].__subclasses__() }}"), "Template tidak dapat diisi"),
    ],
    ids=["not-docx", "broken-tag", "sandbox-escape"],
)
def test_the_admin_refuses_a_template_that_is_not_a_docx_or_does_not_fill_in(regions, content, message):
    form = SKTemplateForm(data={"region": "72.03"}, files={"file": SimpleUploadedFile("sk.docx", content)})
    assert not form.is_valid()
    assert message in str(form.errors["file"])


def test_the_shipped_default_template_is_the_one_the_builder_makes(tmp_path):
    import zipfile

    built = sk_template_build(tmp_path / "default.docx")
    with zipfile.ZipFile(built) as fresh, zipfile.ZipFile(DEFAULT_TEMPLATE) as shipped:
        assert fresh.read("word/document.xml") == shipped.read("word/document.xml")


def test_the_sample_context_that_checks_uploads_has_every_key_of_the_real_one(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    assert set(sample_context()) == set(sk_draft_context(process.pengelola))


def test_an_administrator_replaces_a_kabupaten_template_in_the_admin(donggala, start_proposal):
    from accounts.models import User

    admin = User.objects.create_superuser("admin.sentra", "admin@example.test", "x-admin-password-1")
    upload = SimpleUploadedFile("format-donggala.docx", _docx_with("FORMAT ADMIN {{ sentra }}"))
    response = client_for(admin).post(
        "/admin/sentra/sktemplate/add/", {"region": "72.03", "file": upload, "catatan": "format 2026"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = SKTemplate.objects.get(region_id="72.03")
    assert len(template.sha256) == 64 and template.file.name.endswith(f"{template.sha256[:16]}.docx")
    process = start_proposal(donggala["pengusul"])
    text = docx_text(client_for(donggala["bagian_hukum"]).get(DRAFT_URL.format(pk=process.pk, fmt="docx")).content)
    assert text == f"FORMAT ADMIN {process.pengelola.sentra.name}"
    broken = SimpleUploadedFile("x.docx", b"not a docx at all")
    response = client_for(admin).post("/admin/sentra/sktemplate/add/", {"region": "72.02", "file": broken})
    assert response.status_code == 200 and "bukan dokumen Word" in response.content.decode()
