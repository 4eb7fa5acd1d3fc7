"""The DAK sentra register (issue 14 §1): the derived state of a sentra, the Excel import (report,
confirmation, all rows or none), editing in the region scope, confirmation, and the province's indicator."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from audit.models import AuditEvent
from flows.selectors import sentra_state_annotate
from sentra.choices import SentraState, StatusSK
from sentra.dak import COLUMNS
from sentra.models import SK, DakAlokasi, Region, Sentra
from tests.helpers import client_for

HEADERS = [c.header for c in COLUMNS]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("sentra-dak.xlsx", buf.getvalue())


def _row(wilayah="Donggala", nama="Sentra Tenun Banawa", tahun=2021, nilai=1_500_000_000, **kw):
    values = {"wilayah": wilayah, "nama": nama, "komoditas": "Tenun ikat", "kecamatan": "Banawa", "desa": "Kabonga",
              "alamat": None, "latitude": -0.6716, "longitude": 119.7435, "tahun": tahun, "nilai": nilai,
              "output_bangunan": "Gedung produksi 200 m2", "output_mesin": "ATBM 10 unit", "output_peralatan": None}
    values.update(kw)
    return [values[c.key] for c in COLUMNS]


def _state(sentra) -> tuple[str, bool]:
    row = sentra_state_annotate(Sentra.objects.filter(pk=sentra.pk)).values_list("state", "sk_dicabut").get()
    return row


# --- the state rule -----------------------------------------------------------------------------------


def test_the_state_of_a_sentra_follows_its_processes_and_sks(donggala, recorded, regions):
    bare = Sentra.objects.create(region=regions["72.03"], name="Sentra Kosong", komoditas="Rotan", alamat="Desa A")
    assert _state(bare) == (SentraState.BELUM_ADA_PENGELOLA, False)

    in_process = recorded(donggala["pengusul"], until="verifikasi_dinas").pengelola.sentra
    assert _state(in_process) == (SentraState.DALAM_PROSES, False)

    ber_sk = recorded(donggala["pengusul"]).pengelola.sentra
    assert _state(ber_sk) == (SentraState.BER_SK, False)

    ended = recorded(donggala["pengusul"]).pengelola.sentra
    sk = SK.objects.get(pengelola__sentra=ended)
    sk.masa_bakti_berakhir = timezone.localdate() - datetime.timedelta(days=1)
    sk.save()
    assert _state(ended) == (SentraState.SK_BERAKHIR, False)
    sk.masa_bakti_berakhir = timezone.localdate()  # the last day of the term is still in force
    sk.save()
    assert _state(ended) == (SentraState.BER_SK, False)

    revoked = recorded(donggala["pengusul"]).pengelola.sentra
    sk = SK.objects.get(pengelola__sentra=revoked)
    sk.status = StatusSK.DICABUT
    sk.save()
    assert _state(revoked) == (SentraState.BELUM_ADA_PENGELOLA, True)

    # One query for any number of sentra: the state is subqueries of the same SELECT.
    with CaptureQueriesContext(connection) as queries:
        states = dict(sentra_state_annotate(Sentra.objects.all()).values_list("name", "state"))
    assert len(queries) == 1 and len(states) == 5


# --- the Excel import ---------------------------------------------------------------------------------


def test_the_province_desk_imports_a_dak_list_after_a_report_and_a_confirmation(province, regions):
    client = client_for(province["pencatat_provinsi"])
    assert client.get("/register/sentra/impor/").status_code == 200
    template = client.get("/register/sentra/impor/templat.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")

    bad = _xlsx([
        _row(),
        _row(nama="Sentra Rotan", tahun="٢٠٢٢"),                      # Arabic-Indic digits
        _row(nama="Sentra Kayu", nilai=10**20),                         # huge number
        _row(nama="Sentra\nKain\u2028"),                               # line breaks
        _row(wilayah="Kabupaten Bandung", nama="Sentra Jauh"),          # not in the province
        _row(nama="Sentra Garam", latitude=None),                       # half a coordinate
        _row(tahun=2021),                                               # same sentra and year twice
    ])
    response = client.post("/register/sentra/impor/", {"file": bad})
    assert response.status_code == 422
    html = response.content.decode()
    for expected in ("harus berupa angka (hanya angka 0-9)", "angka terlalu besar", "harus satu baris",
                     "tidak dikenal atau di luar wilayah Anda", "lintang dan bujur diisi berpasangan",
                     "sudah ada di baris 2", "tidak ada yang disimpan"):
        assert expected in html, expected
    assert "<td>3</td><td>Tahun DAK</td>" in html  # row number as Excel shows it, and the column
    assert not Sentra.objects.exists() and not DakAlokasi.objects.exists()

    good = _xlsx([_row(), _row(tahun=2023, nilai="2.000.000.000"), _row(wilayah="72.02", nama="Sentra Kakao", nilai=None)])
    preview = client.post("/register/sentra/impor/", {"file": good})
    assert preview.status_code == 200
    assert "3 baris, 2 sentra baru" in preview.content.decode()
    assert not Sentra.objects.exists()  # nothing saved before the confirmation
    token = preview.context["token"]
    done = client.post("/register/sentra/impor/", {"token": token})
    assert done.status_code == 302 and done["Location"] == "/register/sentra/"
    tenun = Sentra.objects.get(name="Sentra Tenun Banawa")
    assert tenun.confirmed and tenun.region_id == "72.03" and str(tenun.latitude) == "-0.671600"
    assert tenun.alamat == "Kabonga, Banawa"
    assert [(a.tahun, a.nilai) for a in tenun.dak_set.order_by("tahun")] == [(2021, 1_500_000_000), (2023, 2_000_000_000)]
    event = AuditEvent.objects.get(action="sentra_import")
    assert event.details["rows"] == 3 and event.details["sentra_new"] == 2
    # The token is used once.
    assert client.post("/register/sentra/impor/", {"token": token}).status_code == 404

    # A second import updates the same sentra (kab/kota and name, any case) instead of duplicating it.
    again = client.post("/register/sentra/impor/", {"file": _xlsx([_row(nama="SENTRA TENUN BANAWA", tahun=2024, nilai=5)])})
    assert "0 sentra baru, 1 sentra" in again.content.decode()
    client.post("/register/sentra/impor/", {"token": again.context["token"]})
    assert Sentra.objects.count() == 2 and tenun.dak_set.count() == 3


@pytest.mark.parametrize("content", [b"not a spreadsheet", b"PK\x03\x04broken", b"%PDF-1.4"])
def test_garbage_files_are_refused_with_a_message(province, regions, content):
    client = client_for(province["pencatat_provinsi"])
    response = client.post("/register/sentra/impor/", {"file": SimpleUploadedFile("x.xlsx", content)})
    assert response.status_code == 422
    assert "bukan lembar kerja Excel" in response.content.decode()


def test_a_formula_or_a_missing_column_is_refused(province, regions):
    client = client_for(province["pencatat_provinsi"])
    response = client.post("/register/sentra/impor/", {"file": _xlsx([_row(nilai="=1+1")])})
    assert response.status_code == 422 and "sel berisi rumus" in response.content.decode()
    response = client.post("/register/sentra/impor/", {"file": _xlsx([["Donggala"]], headers=["Kabupaten/Kota"])})
    assert response.status_code == 422 and "Kolom wajib tidak ditemukan" in response.content.decode()


@pytest.mark.parametrize("role", ["pengusul", "verifikator_dinas", "pimpinan"])
def test_a_kabupaten_cannot_import(donggala, role):
    client = client_for(donggala[role])
    assert client.get("/register/sentra/impor/").status_code == 403
    assert client.post("/register/sentra/impor/", {"file": _xlsx([_row()])}).status_code == 403
    assert not Sentra.objects.exists()


# --- editing, registering, confirming -----------------------------------------------------------------


def _sentra_post(**kw) -> dict:
    data = {"sentra-region": "72.03", "sentra-name": "Sentra Bambu", "sentra-komoditas": "Bambu",
            "sentra-kecamatan": "Sindue", "sentra-desa": "Toaya", "sentra-alamat": "Jl. Trans Sulawesi",
            "sentra-latitude": "-0.5", "sentra-longitude": "119.8",
            "dak-TOTAL_FORMS": "1", "dak-INITIAL_FORMS": "0", "dak-MIN_NUM_FORMS": "0", "dak-MAX_NUM_FORMS": "30",
            "dak-0-tahun": "2022", "dak-0-nilai": "750000000", "dak-0-output_bangunan": "Los produksi"}
    data.update(kw)
    return data


def test_a_kabupaten_registers_a_sentra_the_province_confirms_it(donggala, poso, province):
    client = client_for(donggala["pengusul"])
    refused = client.post("/register/sentra/baru/", _sentra_post(**{"dak-0-tahun": "٢٠٢٢", "sentra-name": "A\nB"}))
    assert refused.status_code == 422
    assert "Gunakan angka 0-9 saja." in refused.content.decode() and not Sentra.objects.exists()
    # Another kab/kota is not offered.
    assert client.post("/register/sentra/baru/", _sentra_post(**{"sentra-region": "72.02"})).status_code == 422
    response = client.post("/register/sentra/baru/", _sentra_post())
    assert response.status_code == 302
    sentra = Sentra.objects.get(name="Sentra Bambu")
    assert not sentra.confirmed and sentra.dak_set.get().nilai == 750_000_000
    assert AuditEvent.objects.filter(action="sentra_register", object_id=str(sentra.pk)).exists()

    # Poso cannot see it; the kab/kota cannot confirm it; the province can.
    assert client_for(poso["pengusul"]).get(f"/register/sentra/{sentra.pk}/").status_code == 404
    assert client_for(poso["pengusul"]).post(f"/register/sentra/{sentra.pk}/", _sentra_post()).status_code == 404
    assert client.post(f"/register/sentra/{sentra.pk}/konfirmasi/").status_code == 403
    desk = client_for(province["pencatat_provinsi"])
    assert desk.post(f"/register/sentra/{sentra.pk}/konfirmasi/").status_code == 302
    sentra.refresh_from_db()
    assert sentra.confirmed
    assert AuditEvent.objects.filter(action="sentra_confirm", object_id=str(sentra.pk)).exists()

    # The kab/kota completes its own row: a second DAK year.
    edit = _sentra_post(**{"dak-TOTAL_FORMS": "2", "dak-INITIAL_FORMS": "1", "dak-0-id": str(sentra.dak_set.get().pk),
                           "dak-0-sentra": str(sentra.pk), "dak-1-tahun": "2023", "dak-1-nilai": "1000",
                           "sentra-komoditas": "Bambu dan rotan"})
    assert client.post(f"/register/sentra/{sentra.pk}/", edit).status_code == 302
    sentra.refresh_from_db()
    assert sentra.komoditas == "Bambu dan rotan" and sorted(sentra.dak_set.values_list("tahun", flat=True)) == [2022, 2023]
    # A reader without the right to edit sees the page but cannot change it.
    assert client_for(donggala["pimpinan"]).get(f"/register/sentra/{sentra.pk}/").status_code == 200
    assert client_for(donggala["pimpinan"]).post(f"/register/sentra/{sentra.pk}/", edit).status_code == 403


def test_a_sentra_typed_in_a_proposal_waits_for_the_province(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    assert process.pengelola.sentra.confirmed is False


# --- the dashboard's indicator ------------------------------------------------------------------------


@pytest.fixture
def dak_sentra(donggala, poso, recorded, regions):
    """Donggala: 3 DAK sentra confirmed (one ber-SK, one in process, one bare) and one waiting; Poso: one bare."""
    ber_sk = recorded(donggala["pengusul"]).pengelola.sentra
    proses = recorded(donggala["pengusul"], until="verifikasi_dinas").pengelola.sentra
    waiting = recorded(donggala["pengusul"], until="verifikasi_dinas").pengelola.sentra
    for sentra in (ber_sk, proses):
        sentra.confirmed = True
        sentra.save()
    bare = Sentra.objects.create(region=regions["72.03"], name="Sentra Garam", komoditas="Garam", alamat="Desa B",
                                 confirmed=True)
    DakAlokasi.objects.create(sentra=bare, tahun=2020, nilai=1)
    Sentra.objects.create(region=regions["72.02"], name="Sentra Kakao", komoditas="Kakao", alamat="Desa C",
                          confirmed=True, tahun_dak=2021)
    Sentra.objects.create(region=regions["72.02"], name="Bukan DAK", komoditas="Kopi", alamat="Desa D", confirmed=True)
    return {"ber_sk": ber_sk, "proses": proses, "waiting": waiting, "bare": bare}


def test_the_dashboard_leads_with_dak_sentra_without_a_pengelola_ber_sk(province, dak_sentra):
    from oversight.sentra_register import indicator

    data = indicator(province["pencatat_provinsi"])
    rows = {r.region.code: r for r in data["rows"]}
    assert len(rows) == 13
    d, p = rows["72.03"], rows["72.02"]
    assert (d.dak_sentra, d.tanpa_sk, d.dalam_proses, d.menunggu_konfirmasi) == (3, 2, 1, 1)
    assert (p.dak_sentra, p.tanpa_sk, p.dalam_proses, p.menunggu_konfirmasi) == (1, 1, 0, 0)
    assert (data["total"].dak_sentra, data["total"].tanpa_sk) == (4, 3)

    html = client_for(province["pencatat_provinsi"]).get("/register/dasbor/").content.decode()
    assert html.index("Sentra DAK tanpa pengelola ber-SK") < html.index("Usulan per kabupaten/kota")
    assert "/register/sentra/?indikator=on&amp;wilayah=72.03" in html
    # The list behind the number.
    listed = client_for(province["pencatat_provinsi"]).get("/register/sentra/?indikator=on&wilayah=72.03").content.decode()
    assert "Sentra Garam" in listed and dak_sentra["proses"].name in listed
    assert dak_sentra["ber_sk"].name not in listed and dak_sentra["waiting"].name not in listed
    assert "2 sentra." in listed


def test_a_kabupaten_pimpinan_sees_the_same_for_their_region_only(donggala, dak_sentra):
    response = client_for(donggala["pimpinan"]).get("/register/dasbor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Kabupaten Donggala<" in html and "Poso" not in html
    assert client_for(donggala["pengusul"]).get("/register/dasbor/").status_code == 403
    listed = client_for(donggala["pimpinan"]).get("/register/sentra/?indikator=on").content.decode()
    assert "Sentra Garam" in listed and "Sentra Kakao" not in listed
    assert client_for(donggala["pimpinan"]).get("/register/sentra/?wilayah=72.02").status_code == 200  # not offered: ignored


def test_the_indicator_costs_the_same_queries_however_many_sentra_and_members(province, dak_sentra, regions):
    from oversight.sentra_register import indicator

    user = province["pencatat_provinsi"]
    with CaptureQueriesContext(connection) as few:
        indicator(user)
    for i in range(30):
        s = Sentra.objects.create(region=regions["72.71"], name=f"S{i}", komoditas="x", alamat="y", confirmed=True)
        DakAlokasi.objects.create(sentra=s, tahun=2020)
    with CaptureQueriesContext(connection) as many:
        indicator(user)
    assert len(few) == len(many) == 2


def test_the_api_gives_each_sentra_its_state(province, dak_sentra):
    body = client_for(province["pencatat_provinsi"]).get("/api/v1/sentra/?jumlah=200").json()
    states = {row["id"]: (row["keadaan"], row["confirmed"]) for row in body["results"]}
    assert states[dak_sentra["ber_sk"].pk] == ("ber_sk", True)
    assert states[dak_sentra["proses"].pk] == ("dalam_proses", True)
    assert states[dak_sentra["bare"].pk] == ("belum_ada_pengelola", True)
    assert states[dak_sentra["waiting"].pk] == ("dalam_proses", False)


@pytest.mark.parametrize("field, value", [
    ("dak-0-nilai", "9" * 40), ("dak-0-tahun", "99999999999999999999"), ("sentra-latitude", "1e400"),
    ("sentra-longitude", "２"), ("sentra-komoditas", "Rotan\u2028Bambu"), ("dak-0-tahun", "1999"),
])
def test_bad_values_on_the_sentra_page_are_refused_with_a_message(donggala, field, value):
    response = client_for(donggala["pengusul"]).post("/register/sentra/baru/", _sentra_post(**{field: value}))
    assert response.status_code == 422
    assert 'class="sk-error"' in response.content.decode()
    assert not Sentra.objects.exists()
