"""DAK assets (BMD) as BPKAD records them: the rule table per legal form and basis, BPKAD's pages and
import, the refusal of an approval naming the lines, and the draft SK's diktum and Lampiran III."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from audit.models import Action, AuditEvent
from flows.models import Hasil
from sentra.asset_rules import RULES, DasarPemanfaatan, basis_problems
from sentra.asset_services import IMPORT_COLUMNS, asset_blockers
from sentra.choices import BentukHukum
from sentra.documents import sk_draft_render
from sentra.models import AsetDAK
from tests.helpers import act, assets_recorded, client_for, decision, form_errors, task_of, task_url
from tests.sentra.readback import docx_text, pdf_text

B, D = BentukHukum, DasarPemanfaatan

# The law, written out independently of sentra.asset_rules: which basis each legal form may have.
EXPECTED_ALLOWED = {
    B.UPTD: {D.PENGGUNAAN},
    B.BUMD: {D.SEWA, D.KSP, D.PENYERTAAN_MODAL},
    B.BUMDES: {D.SEWA, D.KSP},
    B.BUMDES_BERSAMA: {D.SEWA, D.KSP},
    B.KOPERASI: {D.SEWA, D.KSP},
    B.PENGURUS: {D.SEWA},
}
TODAY = dt.date(2026, 1, 5)


def _lawful_terms(basis):
    """The fields a basis needs to be complete (agreement, term, Perda)."""
    return {
        D.SEWA: {"years": 5, "agreement_number": "030/1/PERJ", "agreement_date": TODAY},
        D.KSP: {"years": 30, "agreement_number": "030/2/KSP", "agreement_date": TODAY},
        D.PINJAM_PAKAI: {"years": 5, "agreement_number": "030/3/PP", "agreement_date": TODAY},
        D.PENYERTAAN_MODAL: {"perda_number": "5 Tahun 2024"},
    }.get(basis, {})


@pytest.mark.parametrize("form", list(B))
@pytest.mark.parametrize("basis", [b for b in D if b != D.BELUM])
def test_the_rule_table_allows_each_legal_form_only_its_lawful_bases(form, basis):
    problems = basis_problems(form, basis, **_lawful_terms(basis))
    if basis in EXPECTED_ALLOWED[form]:
        assert problems == {}, problems
        assert RULES[(form, basis)].allowed
    else:
        assert set(problems) == {"dasar_pemanfaatan"}, problems
        assert "tidak sah untuk" in problems["dasar_pemanfaatan"]
        assert not RULES[(form, basis)].allowed


def test_pinjam_pakai_is_refused_to_a_koperasi_a_company_and_a_bum_desa_because_it_is_between_governments():
    for form in (B.KOPERASI, B.BUMD, B.BUMDES, B.BUMDES_BERSAMA, B.PENGURUS):
        message = basis_problems(form, D.PINJAM_PAKAI, **_lawful_terms(D.PINJAM_PAKAI))["dasar_pemanfaatan"]
        assert "antarpemerintah" in message, (form, message)
    # Its own limits stay in the table (5 years, extendable once) for the day a government body borrows.
    rule = RULES[(B.KOPERASI, D.PINJAM_PAKAI)]
    assert (rule.max_years, rule.max_extensions, rule.agreement_required) == (5, 1, True)


def test_the_term_limits_are_5_years_for_sewa_and_30_years_for_ksp():
    agreement = {"agreement_number": "030/1/PERJ", "agreement_date": TODAY}
    assert basis_problems(B.KOPERASI, D.SEWA, years=5, **agreement) == {}
    assert "paling lama 5 tahun" in basis_problems(B.KOPERASI, D.SEWA, years=6, **agreement)["jangka_waktu_tahun"]
    assert basis_problems(B.KOPERASI, D.SEWA, years=5, extensions=3, **agreement) == {}  # sewa: extendable
    assert basis_problems(B.BUMDES, D.KSP, years=30, **agreement) == {}
    assert "paling lama 30 tahun" in basis_problems(B.BUMDES, D.KSP, years=31, **agreement)["jangka_waktu_tahun"]
    # An agreement basis needs its number, date and term; a Perda for penyertaan modal.
    assert set(basis_problems(B.KOPERASI, D.SEWA)) == {"nomor_perjanjian", "tanggal_perjanjian", "jangka_waktu_tahun"}
    assert set(basis_problems(B.BUMD, D.PENYERTAAN_MODAL)) == {"nomor_perda"}
    # Penggunaan needs nothing; a UPTD's line left without basis is its OPD's use.
    assert basis_problems(B.UPTD, D.PENGGUNAAN) == {} and basis_problems(B.UPTD, D.BELUM) == {}
    assert basis_problems(B.KOPERASI, D.BELUM) == {"dasar_pemanfaatan": "belum ada dasar pemanfaatan"}


def test_the_docs_table_is_the_rule_table():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
    section = docs.split("### DAK assets: the basis of use per legal form", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        form = cells[0].strip("`")
        for basis, cell in zip([D.PENGGUNAAN, D.SEWA, D.KSP, D.PINJAM_PAKAI, D.PENYERTAAN_MODAL], cells[1:6]):
            documented[(form, basis)] = cell.startswith("yes")
    assert documented == {key: rule.allowed for key, rule in RULES.items()}


# --- BPKAD's pages -------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _line_post(**overrides):
    data = {
        "jenis_kib": "B", "kode_barang": "02.06.01.01.001", "nup": "3", "nama": "Mesin jahit",
        "tahun_perolehan": "2022", "nilai_perolehan": "150.000.000", "nomor_bast": "027/118/BAST/2022",
        "tanggal_bast": "2022-12-15", "opd_pemilik": "Dinas Perindustrian dan Perdagangan", "sertifikat_tanah": "",
        "kondisi": "baik", "dasar_pemanfaatan": "sewa", "nomor_perjanjian": "030/7/PERJ/BPKAD",
        "tanggal_perjanjian": "2026-01-05", "jangka_waktu_tahun": "5", "perpanjangan_ke": "0", "nomor_perda": "",
        "catatan": "",
    }
    data.update(overrides)
    return {f"aset-{k}": v for k, v in data.items()}


def test_bpkad_records_a_line_and_an_unlawful_basis_is_refused_with_its_reason(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])  # a koperasi
    sentra = process.pengelola.sentra
    client = client_for(donggala["verifikator_aset"])
    url = f"/aset/sentra/{sentra.pk}/"
    assert "Tambah baris aset" in client.get(url).content.decode()

    refused = client.post(url, _line_post(dasar_pemanfaatan="pinjam_pakai"))
    assert refused.status_code == 422
    assert "Pinjam pakai tidak sah untuk Koperasi" in form_errors(refused)
    assert "Koperasi bukan pemerintah." in form_errors(refused) and ".." not in form_errors(refused)
    assert 'value="Mesin jahit"' in refused.content.decode()
    too_long = client.post(url, _line_post(jangka_waktu_tahun="6"))
    assert too_long.status_code == 422 and "paling lama 5 tahun" in form_errors(too_long)
    assert not AsetDAK.objects.exists()

    assert client.post(url, _line_post()).status_code == 302
    line = AsetDAK.objects.get()
    assert (line.nilai_perolehan, line.berakhir_pada) == (150_000_000, dt.date(2031, 1, 4))
    assert AuditEvent.objects.filter(action=Action.ASSET_LINE, object_id=str(line.pk)).count() == 1
    assert "Sewa berdasarkan Perjanjian Nomor 030/7/PERJ/BPKAD" in client.get(url).content.decode()
    # The same kode barang and NUP twice is one asset.
    assert client.post(url, _line_post()).status_code == 422
    edit = client.post(f"/aset/baris/{line.pk}/", _line_post(kondisi="rusak_ringan"))
    assert edit.status_code == 302
    line.refresh_from_db()
    assert line.kondisi == "rusak_ringan" and line.history.count() == 2


@pytest.mark.parametrize("field,value", [
    ("nup", "\u0663"),  # an Arabic-Indic three
    ("nup", "9" * 40),
    ("nilai_perolehan", "1" * 40),
    ("nilai_perolehan", "NaN"),
    ("tahun_perolehan", "20\u0662\u0662"),
    ("jangka_waktu_tahun", "-1"),
    ("kode_barang", "02.06\u200b.01.001"),
    ("nama", "Mesin\r\nBaris palsu"),
    ("jenis_kib", "Z"),
    ("tanggal_bast", "2022-13-45"),
])
def test_bad_input_on_the_line_form_is_refused_in_indonesian_and_changes_nothing(donggala, start_proposal, field, value):
    process = start_proposal(donggala["pengusul"])
    response = client_for(donggala["verifikator_aset"]).post(
        f"/aset/sentra/{process.pengelola.sentra_id}/", _line_post(**{field: value}))
    assert response.status_code == 422, field
    assert form_errors(response) != "422: ", field
    assert not AsetDAK.objects.exists()


def test_a_land_line_needs_its_certificate(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    response = client_for(donggala["verifikator_aset"]).post(
        f"/aset/sentra/{process.pengelola.sentra_id}/", _line_post(jenis_kib="A", kode_barang="01.01.11.04.001"))
    assert response.status_code == 422 and "sertifikat" in form_errors(response)


def test_only_bpkad_writes_lines_and_another_regions_sentra_does_not_exist(donggala, poso, start_proposal):
    process = start_proposal(donggala["pengusul"])
    url = f"/aset/sentra/{process.pengelola.sentra_id}/"
    assert client_for(donggala["verifikator_dinas"]).get(url).status_code == 200  # may read
    assert client_for(donggala["verifikator_dinas"]).post(url, _line_post()).status_code == 403
    assert client_for(poso["verifikator_aset"]).get(url).status_code == 404
    assert client_for(poso["verifikator_aset"]).post(url, _line_post()).status_code == 404
    lines = assets_recorded(process, donggala["verifikator_aset"])
    assert client_for(poso["verifikator_aset"]).get(f"/aset/baris/{lines[0].pk}/").status_code == 404
    assert client_for(poso["verifikator_aset"]).post(f"/aset/sentra/{process.pengelola.sentra_id}/impor/").status_code == 404
    index = client_for(poso["verifikator_aset"]).get("/aset/").content.decode()
    assert process.pengelola.sentra.name not in index
    assert "Aset DAK" in client_for(donggala["verifikator_aset"]).get("/legalisasi/inbox/").content.decode()  # menu


def _xlsx(rows, header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or [col.header for col in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row(nup, **overrides):
    values = {
        "jenis_kib": "KIB C", "kode_barang": "1.3.3.01.01.10.001", "nup": nup, "nama": "Gedung produksi",
        "tahun_perolehan": 2021, "nilai_perolehan": 1_250_000_000, "nomor_bast": "027/5/BAST",
        "tanggal_bast": dt.datetime(2021, 12, 20), "opd_pemilik": "Dinas Perindustrian dan Perdagangan",
        "sertifikat_tanah": None, "kondisi": "Baik", "dasar_pemanfaatan": "Kerja sama pemanfaatan (KSP)",
        "nomor_perjanjian": "030/9/KSP", "tanggal_perjanjian": "05/01/2026", "jangka_waktu_tahun": 30,
        "perpanjangan_ke": None, "nomor_perda": None, "catatan": None,
    }
    values.update(overrides)
    return [values[col.key] for col in IMPORT_COLUMNS]


def _import(client, sentra_id, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/aset/sentra/{sentra_id}/impor/", {"berkas": SimpleUploadedFile("aset.xlsx", content)})


def test_bpkad_imports_lines_from_excel_all_or_none(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    sentra_id = process.pengelola.sentra_id
    client = client_for(donggala["verifikator_aset"])
    template = client.get("/aset/templat.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"

    formula = _import(client, sentra_id, _xlsx([_row(1), _row(2, nama="=HYPERLINK(\"http://x\")")]))
    assert formula.status_code == 422
    assert "Baris 3" in formula.content.decode() and "rumus" in formula.content.decode()
    bad = _import(client, sentra_id, _xlsx([_row(1), _row(2, dasar_pemanfaatan="Pinjam pakai"),
                                            _row(3, jangka_waktu_tahun=31), _row(4, tahun_perolehan="20\u0662\u0664")]))
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "Baris 5" in html and "Tahun perolehan" in html  # an Arabic-Indic digit is not a number here
    assert not AsetDAK.objects.exists()
    bad = _import(client, sentra_id, _xlsx([_row(1), _row(2, dasar_pemanfaatan="Pinjam pakai"),
                                            _row(3, jangka_waktu_tahun=31)]))
    html = bad.content.decode()
    assert "Baris 3" in html and "Pinjam pakai tidak sah untuk Koperasi" in html
    assert "Baris 4" in html and "paling lama 30 tahun" in html
    assert not AsetDAK.objects.exists()
    for hostile in (b"not a spreadsheet", b"PK\x03\x04broken", _xlsx([_row(1)], header=["Kode", "Nama"])):
        response = _import(client, sentra_id, hostile)
        assert response.status_code == 422 and not AsetDAK.objects.exists()

    ok = _import(client, sentra_id, _xlsx([_row(1), _row(2, jenis_kib="B", kode_barang="1.3.2.05.01.04.001",
                                                         nama="Mesin", dasar_pemanfaatan="sewa", jangka_waktu_tahun=5)]))
    assert ok.status_code == 302, form_errors(ok)
    assert AsetDAK.objects.count() == 2
    ksp = AsetDAK.objects.get(nup=1)
    assert ksp.berakhir_pada == dt.date(2056, 1, 4) and ksp.tanggal_perjanjian == dt.date(2026, 1, 5)
    # Imported again with a change: the line is updated, not doubled.
    assert _import(client, sentra_id, _xlsx([_row(1, kondisi="Rusak berat")])).status_code == 302
    assert AsetDAK.objects.count() == 2 and AsetDAK.objects.get(nup=1).kondisi == "rusak_berat"


# --- BPKAD's decision ----------------------------------------------------------------------------

def test_bpkad_cannot_approve_while_a_line_has_no_lawful_basis_and_the_refusal_names_the_lines(
    donggala, province, start_proposal
):
    auditor = province["auditor"]
    process = start_proposal(donggala["pengusul"])  # a koperasi
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    bpkad = donggala["verifikator_aset"]
    building, machine = assets_recorded(process, bpkad)
    # The demo of old approved pinjam pakai to a koperasi: such a line (written past the form) is refused.
    AsetDAK.objects.filter(pk=building.pk).update(dasar_pemanfaatan=D.PINJAM_PAKAI, jangka_waktu_tahun=5)
    AsetDAK.objects.filter(pk=machine.pk).update(dasar_pemanfaatan=D.BELUM)

    page = client_for(bpkad).get(task_url(task_of(process, "verifikasi_aset"))).content.decode()
    assert "belum ada dasar pemanfaatan" in page and f"/aset/sentra/{process.pengelola.sentra_id}/" in page
    response = act(bpkad, process, "verifikasi_aset", decision(Hasil.DISETUJUI))
    assert response.status_code == 422
    errors = form_errors(response)
    assert f"KIB B {machine.kode_barang} NUP {machine.nup} (Mesin produksi sentra): belum ada dasar pemanfaatan" in errors
    assert f"KIB C {building.kode_barang} NUP {building.nup}" in errors and "antarpemerintah" in errors
    assert ".." not in errors
    assert task_of(process, "verifikasi_aset").finished is None
    # A return needs no lawful basis: BPKAD may send the proposal back with a note.
    assert asset_blockers(process.pengelola)

    for line in (building, machine):
        line.refresh_from_db()
    client = client_for(bpkad)
    post = _line_post(jenis_kib="C", kode_barang=building.kode_barang, nup=str(building.nup), nama=building.nama,
                      dasar_pemanfaatan="ksp", jangka_waktu_tahun="20")
    assert client.post(f"/aset/baris/{building.pk}/", post).status_code == 302
    post = _line_post(kode_barang=machine.kode_barang, nup=str(machine.nup), nama=machine.nama)
    assert client.post(f"/aset/baris/{machine.pk}/", post).status_code == 302
    assert act(bpkad, process, "verifikasi_aset", decision(Hasil.DISETUJUI)).status_code == 302
    # The auditor's "data saat diputuskan" shows the lines and their basis as BPKAD approved them.
    from flows.models import Keputusan

    approval = Keputusan.objects.get(process=process, langkah="verifikasi_aset")
    page = client_for(auditor).get(f"/audit/usulan/{process.pk}/keputusan/{approval.pk}/").content.decode()
    assert f"KIB C {building.kode_barang} NUP {building.nup}" in page and "Kerja sama pemanfaatan (KSP)" in page
    assert "Belum ada dasar pemanfaatan" not in page


# --- The draft SK ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_draft_sk_lists_the_lines_and_their_basis_in_lampiran_iii(donggala, start_proposal, fmt):
    process = start_proposal(donggala["pengusul"])  # a koperasi
    building, machine = assets_recorded(process, donggala["verifikator_aset"])
    uptd = start_proposal(donggala["pengusul"], bentuk=B.UPTD)
    assets_recorded(uptd, donggala["verifikator_aset"])

    read = docx_text if fmt == "docx" else pdf_text
    text = read(sk_draft_render(pengelola=process.pengelola, fmt=fmt).content)
    assert "LAMPIRAN III" in text
    assert "DAFTAR BARANG MILIK DAERAH YANG DIKELOLA" in text
    assert "tercantum dalam Lampiran III" in text
    signed = building.tanggal_perjanjian
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember")
    when = f"{signed.day} {months[signed.month - 1]} {signed.year}"
    assert (f"Kerja Sama Pemanfaatan berdasarkan Perjanjian Nomor {building.nomor_perjanjian} tanggal {when} "
            "untuk 10 (sepuluh) tahun") in text
    assert (f"Sewa berdasarkan Perjanjian Nomor {machine.nomor_perjanjian} tanggal {when} untuk 5 (lima) tahun"
            ) in text
    assert f"B {machine.kode_barang} {machine.nup} Mesin produksi sentra" in text and "Rp185.000.000" in text
    assert "pinjam pakai" not in text.lower()

    uptd_text = read(sk_draft_render(pengelola=uptd.pengelola, fmt=fmt).content)
    assert "digunakan oleh Dinas Perindustrian dan Perdagangan (UPTD)" in uptd_text
    assert "digunakan opd" not in uptd_text.lower()


def test_a_draft_of_an_old_proposal_checked_in_free_text_reads_in_proper_capitalisation(donggala, start_proposal):
    from sentra.choices import StatusPemanfaatanAset
    from sentra.models import PemeriksaanAset

    process = start_proposal(donggala["pengusul"], bentuk=B.UPTD)
    PemeriksaanAset.objects.create(pengelola=process.pengelola, kode_kib="KIB-C/1", nomor_bast="027/1",
                                   status_pemanfaatan=StatusPemanfaatanAset.PENGGUNAAN_OPD,
                                   diperiksa_oleh=donggala["verifikator_aset"])
    text = pdf_text(sk_draft_render(pengelola=process.pengelola, fmt="pdf").content)
    assert "dalam bentuk penggunaan oleh OPD (UPTD)" in text
    assert not re.search(r"digunakan opd \(uptd/blud\)", text)


@pytest.mark.parametrize("form,ppk_blud", [(B.UPTD, False), (B.UPTD, True), (B.BUMD, False), (B.BUMDES, False),
                                           (B.BUMDES_BERSAMA, False), (B.KOPERASI, False), (B.PENGURUS, False)])
def test_the_demo_data_gives_every_legal_form_a_lawful_basis_and_never_pinjam_pakai(
    donggala, start_proposal, form, ppk_blud
):
    process = start_proposal(donggala["pengusul"], bentuk=form, ppk_blud=ppk_blud)
    lines = assets_recorded(process, donggala["verifikator_aset"])
    assert asset_blockers(process.pengelola) == []
    assert all(line.dasar_pemanfaatan != D.PINJAM_PAKAI for line in lines)
    assert {line.dasar_pemanfaatan for line in lines} <= EXPECTED_ALLOWED[form]
