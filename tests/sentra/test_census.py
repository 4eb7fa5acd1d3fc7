"""The census of IKM members: the Excel import (report by row and column, all rows or none), the
exports (formula-safe, NIK only for the roles that may read it), an SK's Lampiran out of date."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from sentra import census
from sentra.models import AnggotaIKM, ImporAnggota, Sentra
from tests.helpers import client_for

from .census_files import HEADERS, member_row, nib, nik, xlsx_bytes

pytestmark = pytest.mark.django_db
Status = ImporAnggota.Status


@pytest.fixture
def sentra_donggala(regions):
    return Sentra.objects.create(region=regions["72.03"], name="Sentra Bawang Goreng Sirenja", komoditas="bawang goreng",
                                 alamat="Desa Tompe")


@pytest.fixture
def sentra_poso(regions):
    return Sentra.objects.create(region=regions["72.02"], name="Sentra Tenun Poso", komoditas="tenun", alamat="Tentena")


def upload(client, sentra, content: bytes, name="anggota.xlsx"):
    return client.post(f"/anggota/sentra/{sentra.pk}/impor/", {"file": SimpleUploadedFile(name, content)})


def uploaded_and_checked(client, sentra, content: bytes) -> ImporAnggota:
    response = upload(client, sentra, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImporAnggota.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    census.impor_check(job.pk)  # what the worker runs (tests/browser runs a real worker)
    job.refresh_from_db()
    return job


def test_the_template_has_the_columns_as_text(donggala):
    response = client_for(donggala["pengusul"]).get("/anggota/templat/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["C2"].number_format == "@"  # the NIK keeps its 16 digits


def test_a_clean_file_saves_every_row_with_its_history(donggala, sentra_donggala):
    client = client_for(donggala["pengusul"])
    job = uploaded_and_checked(client, sentra_donggala, xlsx_bytes([member_row(i) for i in range(1, 31)]))
    assert job.status == Status.SIAP and job.total_rows == 30 and job.error_count == 0
    assert not AnggotaIKM.objects.filter(sentra=sentra_donggala).exists()  # nothing before confirmation
    page = client.get(f"/anggota/impor/{job.pk}/").content.decode()
    assert "30 baris siap disimpan" in page
    assert client.post(f"/anggota/impor/{job.pk}/simpan/").status_code == 302
    job.refresh_from_db()
    assert job.status == Status.MENYIMPAN
    census.impor_save(job.pk)
    job.refresh_from_db()
    assert job.status == Status.SELESAI and job.saved_rows == 30
    members = AnggotaIKM.objects.filter(sentra=sentra_donggala)
    assert members.count() == 30 and set(members.values_list("impor", flat=True)) == {job.pk}
    assert AnggotaIKM.history.filter(sentra=sentra_donggala, history_type="+").count() == 30
    assert set(AnggotaIKM.history.filter(sentra=sentra_donggala).values_list("history_user", flat=True)) == {
        donggala["pengusul"].pk}
    member = members.get(nib=nib(1))
    assert (member.nik_pemilik, member.kbli, member.tenaga_kerja, member.telepon) == (nik(1), "10792", 3, "6281234567890")
    census.impor_save(job.pk)  # a message delivered twice saves nothing more
    assert members.count() == 30
    status = client.get(f"/anggota/impor/{job.pk}/status/").json()
    assert status["status"] == "selesai" and status["percent"] == 100 and not status["running"]


def test_each_kind_of_error_is_reported_by_row_and_column_and_nothing_is_saved(donggala, sentra_donggala):
    rows = [member_row(i) for i in range(1, 15)]
    rows[0][2] = "720301150685"  # row 2: NIK of 12 digits
    rows[1][2] = "9903011506850002"  # row 3: no such province
    rows[2][3] = "912000000003"  # row 4: NIB of 12 digits
    rows[3][4] = "01111"  # row 5: KBLI of agriculture, not category C
    rows[4][1] = ""  # row 6: owner missing
    rows[6][2] = nik(9)  # row 8: the NIK of row 10 (first seen here; row 10 is the duplicate)
    rows[7][3] = nib(10)  # row 9: NIB of row 11: row 11 is the duplicate
    rows[11][2] = "٧٢٠٣٠١١٥٠٦٨٥٠٠١٢"  # row 13: Arabic-Indic digits
    rows[12][0] = "Usaha\nBawang"  # row 14: a line break
    rows[13][6] = 10**20  # row 15: a huge number of workers
    content = xlsx_bytes(rows)
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala, content)
    assert job.status == Status.ADA_KESALAHAN
    found = {(e["row"], e["column"]) for e in job.errors}
    expected = {(2, "C"), (3, "C"), (4, "D"), (5, "E"), (6, "B"), (10, "C"), (11, "D"), (13, "C"), (14, "A"),
                (15, "G")}
    assert expected <= found, sorted(found)
    by_place = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "16 angka" in by_place[(2, "C")]
    assert "tidak sah" in by_place[(3, "C")]
    assert "13 angka" in by_place[(4, "D")]
    assert "kategori C" in by_place[(5, "E")]
    assert by_place[(6, "B")] == "Wajib diisi."
    assert "baris 8" in by_place[(10, "C")]
    assert "baris 9" in by_place[(11, "D")]
    assert "satu baris" in by_place[(14, "A")]
    assert "1 sampai" in by_place[(15, "G")]
    assert not AnggotaIKM.objects.exists()
    page = client_for(donggala["pengusul"]).get(f"/anggota/impor/{job.pk}/").content.decode()
    assert "tidak ada yang disimpan" in page and "Wajib diisi." in page
    response = client_for(donggala["pengusul"]).post(f"/anggota/impor/{job.pk}/simpan/", follow=True)
    assert "tidak dapat disimpan" in response.content.decode()
    assert not AnggotaIKM.objects.exists()


def test_a_formula_is_refused_naming_its_cell(donggala, sentra_donggala):
    rows = [member_row(i) for i in range(1, 4)]
    rows[2][0] = '=HYPERLINK("http://contoh.test","klik")'  # row 4: a formula (written as one)
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala, xlsx_bytes(rows))
    assert job.status == Status.ADA_KESALAHAN
    assert "Baris 4, kolom A" in job.errors[0]["message"] and "rumus" in job.errors[0]["message"]
    assert not AnggotaIKM.objects.exists()


def test_a_missing_required_column_is_named(donggala, sentra_donggala):
    header = [h for h in HEADERS if h != "NIB"]
    rows = [[v for k, v in zip(HEADERS, member_row(i)) if k != "NIB"] for i in range(1, 4)]
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala, xlsx_bytes(rows, header=header))
    assert job.status == Status.ADA_KESALAHAN
    assert "NIB" in job.errors[0]["message"] and "Kolom wajib" in job.errors[0]["message"]


def test_a_nik_typed_as_a_number_is_refused_and_a_nib_typed_as_a_number_is_read(donggala, sentra_donggala):
    rows = [member_row(1), member_row(2)]
    rows[0][3] = int(nib(1))  # 13 digits: Excel keeps them
    rows[1][2] = int(nik(2))  # 16 digits: Excel has rounded the last one
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala, xlsx_bytes(rows))
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "C")]
    assert "Teks" in job.errors[0]["message"]


def test_a_nib_or_nik_already_member_of_another_sentra_is_caught(donggala, sentra_donggala, sentra_poso):
    AnggotaIKM.objects.create(sentra=sentra_poso, nama_usaha="Tenun A", pemilik="A", nik_pemilik=nik(500),
                              nib=nib(2), kbli="13121", produk="tenun", tenaga_kerja=2)
    AnggotaIKM.objects.create(sentra=sentra_poso, nama_usaha="Tenun B", pemilik="B", nik_pemilik=nik(3),
                              nib=nib(501), kbli="13121", produk="tenun", tenaga_kerja=2)
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala,
                               xlsx_bytes([member_row(i) for i in range(1, 5)]))
    assert job.status == Status.ADA_KESALAHAN
    by_place = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert set(by_place) == {(3, "D"), (4, "C")}
    assert "Sentra Tenun Poso" in by_place[(3, "D")] and "NIB" in by_place[(3, "D")]
    assert "sentra lain" in by_place[(4, "C")]
    assert AnggotaIKM.objects.filter(sentra=sentra_donggala).count() == 0


@pytest.mark.parametrize("name, content", [
    ("anggota.xlsx", b"bukan excel sama sekali"),
    ("anggota.xlsx", b"PK\x05\x06" + b"\x00" * 18),  # an empty zip
    ("anggota.csv", b"Nama usaha;NIB\n"),
    ("anggota.xlsx", b""),
])
def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(donggala, sentra_donggala, name, content):
    response = upload(client_for(donggala["pengusul"]), sentra_donggala, content, name=name)
    assert response.status_code == 422
    assert "xlsx" in response.content.decode() or "kosong" in response.content.decode()
    assert not ImporAnggota.objects.exists()


def test_a_damaged_workbook_and_an_empty_one_are_reported_not_crashed(donggala, sentra_donggala):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")  # truncated XML
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala, buffer.getvalue())
    assert job.status == Status.ADA_KESALAHAN and "bukan lembar kerja Excel" in job.errors[0]["message"]
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala, xlsx_bytes([]))
    assert job.status == Status.ADA_KESALAHAN and "tidak berisi baris" in job.errors[0]["message"]


def test_too_many_rows_are_refused(donggala, sentra_donggala, settings):
    settings.SKSENTRA_CENSUS_MAX_ROWS = 5
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala,
                               xlsx_bytes([member_row(i) for i in range(1, 8)]))
    assert job.status == Status.ADA_KESALAHAN and "paling banyak 5 baris" in job.errors[0]["message"]


def test_a_duplicate_saved_elsewhere_after_the_check_stops_the_save(donggala, sentra_donggala, sentra_poso):
    client = client_for(donggala["pengusul"])
    job = uploaded_and_checked(client, sentra_donggala, xlsx_bytes([member_row(i) for i in range(1, 6)]))
    client.post(f"/anggota/impor/{job.pk}/simpan/")
    AnggotaIKM.objects.create(sentra=sentra_poso, nama_usaha="Lain", pemilik="L", nik_pemilik=nik(900),
                              nib=nib(4), kbli="13121", produk="tenun", tenaga_kerja=1)
    census.impor_save(job.pk)
    job.refresh_from_db()
    assert job.status == Status.ADA_KESALAHAN and [(e["row"], e["column"]) for e in job.errors] == [(5, "D")]
    assert AnggotaIKM.objects.filter(sentra=sentra_donggala).count() == 0


def test_a_save_that_dies_half_way_leaves_no_row_and_can_be_run_again(donggala, sentra_donggala, monkeypatch):
    client = client_for(donggala["pengusul"])
    job = uploaded_and_checked(client, sentra_donggala, xlsx_bytes([member_row(i) for i in range(1, 1201)]))
    client.post(f"/anggota/impor/{job.pk}/simpan/")
    real = census.bulk_create_with_history
    calls = []

    def dies_on_the_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(census, "bulk_create_with_history", dies_on_the_second_batch)
    with pytest.raises(MemoryError):
        census.impor_save(job.pk)
    job.refresh_from_db()
    assert job.status == Status.MENYIMPAN  # where it was
    assert AnggotaIKM.objects.count() == 0 and AnggotaIKM.history.count() == 0  # not half of the rows
    # not stale yet: the page refuses to start it twice
    response = client.post(f"/anggota/impor/{job.pk}/ulang/", follow=True)
    assert "masih berjalan" in response.content.decode()
    ImporAnggota.objects.filter(pk=job.pk).update(updated_at=job.updated_at - census.STALE_AFTER * 2)
    assert "Jalankan ulang" in client.get(f"/anggota/impor/{job.pk}/").content.decode()
    assert client.post(f"/anggota/impor/{job.pk}/ulang/").status_code == 302
    monkeypatch.setattr(census, "bulk_create_with_history", real)
    census.impor_save(job.pk)  # what the re-queued message runs
    job.refresh_from_db()
    assert job.status == Status.SELESAI and AnggotaIKM.objects.count() == 1200


def test_only_the_kabupaten_imports_and_nobody_sees_another_regions_import(donggala, poso, province, sentra_donggala):
    job = uploaded_and_checked(client_for(donggala["pengusul"]), sentra_donggala, xlsx_bytes([member_row(1)]))
    for url in (f"/anggota/impor/{job.pk}/", f"/anggota/impor/{job.pk}/status/", f"/anggota/sentra/{sentra_donggala.pk}/",
                f"/anggota/sentra/{sentra_donggala.pk}/impor/"):
        assert client_for(poso["pengusul"]).get(url).status_code == 404, url
    assert client_for(poso["pengusul"]).post(f"/anggota/impor/{job.pk}/simpan/").status_code == 404
    assert client_for(donggala["bagian_hukum"]).get(f"/anggota/sentra/{sentra_donggala.pk}/impor/").status_code == 403
    assert client_for(province["pencatat_provinsi"]).get(f"/anggota/sentra/{sentra_donggala.pk}/impor/").status_code == 403
    assert client_for(province["pencatat_provinsi"]).get(f"/anggota/impor/{job.pk}/").status_code == 200
    assert client_for(donggala["verifikator_dinas"]).get(f"/anggota/sentra/{sentra_donggala.pk}/impor/").status_code == 200


def _members(sentra, rows):
    for i, (name, owner) in enumerate(rows, 1):
        AnggotaIKM.objects.create(sentra=sentra, nama_usaha=name, pemilik=owner, nik_pemilik=nik(700 + i + sentra.pk * 10),
                                  nib=nib(700 + i + sentra.pk * 10), kbli="10792", produk="bawang", tenaga_kerja=2,
                                  telepon="6281234567890")


def test_exports_are_formula_safe(donggala, sentra_donggala):
    _members(sentra_donggala, [('=HYPERLINK("http://contoh.test","klik")', "@SUM(A1)"), ("Usaha Biasa", "Ibu Sari")])
    client = client_for(donggala["pengusul"])
    response = client.get(f"/anggota/sentra/{sentra_donggala.pk}/ekspor/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet["C2"]
    assert cell.value == "'=HYPERLINK(\"http://contoh.test\",\"klik\")" and cell.data_type == "s"
    assert sheet["D2"].value == "'@SUM(A1)" and sheet["D2"].data_type == "s"
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)
    response = client.get(f"/anggota/sentra/{sentra_donggala.pk}/ekspor/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][2] == "Nama usaha" and rows[1][2].startswith("'=HYPERLINK") and rows[1][3] == "'@SUM(A1)"


def test_exports_of_sentra_kabupaten_and_province_in_scope_nik_only_for_personal_roles(
        donggala, poso, province, sentra_donggala, sentra_poso):
    _members(sentra_donggala, [("Usaha Donggala", "Pak D")])
    _members(sentra_poso, [("Usaha Poso", "Pak P")])
    full_nik = AnggotaIKM.objects.get(nama_usaha="Usaha Donggala").nik_pemilik

    def names(user, query):
        response = client_for(user).get(f"/anggota/ekspor/?{query}")
        assert response.status_code == 200, response.content[:500]
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return {row[2]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert names(province["pencatat_provinsi"], "format=xlsx") == {
        "Usaha Donggala": "*" * 12 + full_nik[-4:], "Usaha Poso": "*" * 12 + AnggotaIKM.objects.get(
            nama_usaha="Usaha Poso").nik_pemilik[-4:]}
    assert set(names(province["pencatat_provinsi"], "wilayah=72.03")) == {"Usaha Donggala"}
    assert names(donggala["pengusul"], "") == {"Usaha Donggala": full_nik}  # own kab/kota only, NIK in full
    assert client_for(donggala["pengusul"]).get("/anggota/ekspor/?wilayah=72.02").status_code == 400  # not in scope
    assert client_for(donggala["pengusul"]).get(f"/anggota/sentra/{sentra_poso.pk}/ekspor/").status_code == 404
    page = client_for(province["pimpinan"]).get(f"/anggota/sentra/{sentra_donggala.pk}/").content.decode()
    assert "Usaha Donggala" in page and full_nik not in page


def test_members_changed_after_the_sk_mark_its_lampiran_out_of_date(donggala, recorded):
    process = recorded(donggala["pengusul"])
    sk = process.pengelola.sk_set.get()
    sentra = process.pengelola.sentra
    assert sk.lampiran_anggota["jumlah"] == process.pengelola.anggota_set.count() > 0
    client = client_for(donggala["pengusul"])
    page = client.get(f"/anggota/sentra/{sentra.pk}/").content.decode()
    assert "sudah tidak sesuai" not in page
    member = process.pengelola.anggota_set.first()
    member.produk = "Bawang goreng pedas"
    member.save()
    page = client.get(f"/anggota/sentra/{sentra.pk}/").content.decode()
    assert f"Lampiran SK {sk.nomor}" in page and "sudah tidak sesuai" in page
    assert member.history.count() >= 2  # the change is in the member's history


def test_the_pages_list_the_sentra_and_link_the_import(donggala, sentra_donggala):
    client = client_for(donggala["pengusul"])
    index = client.get("/anggota/").content.decode()
    assert sentra_donggala.name in index and f"/anggota/sentra/{sentra_donggala.pk}/" in index
    page = client.get(f"/anggota/sentra/{sentra_donggala.pk}/").content.decode()
    assert f"/anggota/sentra/{sentra_donggala.pk}/impor/" in page
    assert "/anggota/templat/" in client.get(f"/anggota/sentra/{sentra_donggala.pk}/impor/").content.decode()


def test_uploads_imports_and_exports_are_in_the_audit_trail(donggala, sentra_donggala):
    from audit.models import AuditEvent

    client = client_for(donggala["pengusul"])
    job = uploaded_and_checked(client, sentra_donggala, xlsx_bytes([member_row(1), member_row(2)]))
    client.post(f"/anggota/impor/{job.pk}/simpan/")
    census.impor_save(job.pk)
    client.get(f"/anggota/sentra/{sentra_donggala.pk}/ekspor/?format=csv")
    events = list(AuditEvent.objects.filter(action__startswith="census_").order_by("seq").values_list(
        "action", "actor_username", "details"))
    assert [e[0] for e in events] == ["census_upload", "census_import", "census_export"]
    assert {e[1] for e in events} == {donggala["pengusul"].username}
    assert events[1][2]["baris"] == 2 and events[2][2]["nik"] is True
