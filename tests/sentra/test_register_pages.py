"""The provincial register: the list and its filters, the Excel export, a register entry's summary
with its QR code, and the province dashboard."""

import datetime
import io

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from flows.models import Tahap, TaskDeadline
from sentra.choices import BentukHukum, StatusSK
from sentra.models import SK
from sentra.selectors import verification_url
from tests.helpers import client_for
from tests.sentra.readback import pdf_qr_codes, pdf_text

pytestmark = pytest.mark.django_db


def _rows(response) -> list[str]:
    return [line for line in response.content.decode().split("<tr>") if "REG-SENTRA" in line]


def test_the_province_sees_every_kabupaten_in_the_register_and_a_kabupaten_only_its_own(
    donggala, poso, province, recorded
):
    mine = recorded(donggala["pengusul"])
    theirs = recorded(poso["pengusul"])
    waiting = recorded(donggala["pengusul"], until="pencatatan_provinsi")
    sk_mine, sk_theirs = SK.objects.get(pengelola=mine.pengelola), SK.objects.get(pengelola=theirs.pengelola)

    for user in (province["pencatat_provinsi"], province["pimpinan"], province["auditor"]):
        html = client_for(user).get("/register/").content.decode()
        assert sk_mine.nomor_register in html and sk_theirs.nomor_register in html
        assert waiting.pengelola.name not in html  # not recorded yet: not in the register

    html = client_for(donggala["pengusul"]).get("/register/").content.decode()
    assert sk_mine.nomor_register in html and sk_theirs.nomor_register not in html
    assert theirs.pengelola.name not in html


def test_the_register_filters_by_kabupaten_status_legal_form_and_year(donggala, poso, province, recorded):
    koperasi = recorded(donggala["pengusul"])
    bumdes = recorded(donggala["pengusul"], bentuk=BentukHukum.BUMDES)
    poso_entry = recorded(poso["pengusul"])
    revoked = SK.objects.get(pengelola=bumdes.pengelola)
    revoked.status = StatusSK.DICABUT
    revoked.save()
    client = client_for(province["pencatat_provinsi"])
    year = timezone.localdate().year

    def names(query):
        html = client.get(f"/register/?{query}").content.decode()
        return {p.pengelola.name for p in (koperasi, bumdes, poso_entry) if p.pengelola.name in html}

    assert names("") == {koperasi.pengelola.name, bumdes.pengelola.name, poso_entry.pengelola.name}
    assert names("wilayah=72.02") == {poso_entry.pengelola.name}
    assert names("status=dicabut") == {bumdes.pengelola.name}
    assert names("status=berlaku") == {koperasi.pengelola.name, poso_entry.pengelola.name}
    assert names("bentuk_hukum=bumdes") == {bumdes.pengelola.name}
    assert names(f"tahun={year}") == {koperasi.pengelola.name, bumdes.pengelola.name, poso_entry.pengelola.name}
    assert names(f"tahun={year - 1}") == set()
    assert names("wilayah=72.03&bentuk_hukum=koperasi&status=berlaku") == {koperasi.pengelola.name}
    # A kab/kota official cannot widen their scope with the filter.
    html = client_for(donggala["pimpinan"]).get("/register/?wilayah=72.02").content.decode()
    assert poso_entry.pengelola.name not in html


def test_anonymous_visitors_are_sent_to_login_from_the_register(client, regions):
    for url in ("/register/", "/register/ekspor/", "/register/dasbor/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL), url


def test_the_excel_export_has_the_filtered_entries_and_no_formula_or_personal_number(
    donggala, poso, province, recorded
):
    mine = recorded(donggala["pengusul"])
    recorded(poso["pengusul"])
    pengelola = mine.pengelola
    pengelola.name = '=HYPERLINK("http://contoh.test","klik")'
    pengelola.save()
    sk = SK.objects.get(pengelola=pengelola)

    response = client_for(province["pencatat_provinsi"]).get("/register/ekspor/?wilayah=72.03")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert header[:4] == ("Nomor register", "Dicatat pada", "Status", "Nomor SK")
    assert len(data) == 1  # Poso filtered out
    row = dict(zip(header, data[0], strict=True))
    assert row["Nomor register"] == sk.nomor_register and row["Nomor SK"] == sk.nomor
    assert row["Kabupaten/kota"] == "Kabupaten Donggala"
    assert row["Jumlah pengurus"] == 3 and row["Jumlah anggota IKM"] == 6
    assert row["SHA-256 PDF SK"] == sk.sha256
    assert row["Pengelola"] == "'" + pengelola.name  # formula injection neutralised
    cell = next(c for c in sheet[2] if c.value == row["Pengelola"])
    assert cell.data_type == "s"
    everything = " ".join(str(v) for r in rows for v in r)
    for person in pengelola.pengurus_set.all():
        assert person.nik not in everything and (not person.telepon or person.telepon not in everything)
    for member in pengelola.anggota_set.all():
        assert member.nik_pemilik not in everything


def test_the_register_entry_summary_carries_a_qr_code_that_decodes_to_its_public_page(
    donggala, province, recorded, client
):
    process = recorded(donggala["pengusul"])
    sk = SK.objects.get(pengelola=process.pengelola)
    response = client_for(province["pencatat_provinsi"]).get(f"/berkas/register/{sk.pk}/ringkasan/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    codes = pdf_qr_codes(response.content)
    expected = f"{settings.SKSENTRA_BASE_URL.rstrip('/')}/verifikasi/{sk.verification_token}/"
    assert codes == [expected] == [verification_url(sk)]
    text = pdf_text(response.content)
    for value in (sk.nomor_register, sk.nomor, sk.sha256, process.pengelola.name, "Kabupaten Donggala"):
        assert value in text
    # The QR code leads to a page anyone can open.
    public = client.get(expected.removeprefix(settings.SKSENTRA_BASE_URL.rstrip("/")))
    assert public.status_code == 200 and sk.nomor_register in public.content.decode()


def test_a_summary_is_only_for_a_recorded_sk_and_only_within_the_region_scope(donggala, poso, province, recorded):
    recorded_process = recorded(donggala["pengusul"])
    waiting = recorded(donggala["pengusul"], until="pencatatan_provinsi")
    sk = SK.objects.get(pengelola=recorded_process.pengelola)
    unrecorded = SK.objects.get(pengelola=waiting.pengelola)
    assert client_for(poso["pimpinan"]).get(f"/berkas/register/{sk.pk}/ringkasan/").status_code == 404  # out of scope: as if it did not exist
    assert client_for(donggala["pimpinan"]).get(f"/berkas/register/{sk.pk}/ringkasan/").status_code == 200
    assert (
        client_for(province["pencatat_provinsi"]).get(f"/berkas/register/{unrecorded.pk}/ringkasan/").status_code == 404
    )


def test_the_process_page_links_the_summary_of_a_recorded_sk(donggala, recorded):
    process = recorded(donggala["pengusul"])
    sk = SK.objects.get(pengelola=process.pengelola)
    html = client_for(donggala["pimpinan"]).get(f"/legalisasi/{process.pk}/").content.decode()
    assert f"/berkas/register/{sk.pk}/ringkasan/" in html


# --- the province dashboard ---------------------------------------------------------------------


@pytest.fixture
def dashboard_data(donggala, poso, recorded):
    """Donggala: two recorded, one at penetapan (overdue), one at verifikasi; Poso: one rejected, one at perbaikan."""
    done = [recorded(donggala["pengusul"]), recorded(donggala["pengusul"])]
    late = recorded(donggala["pengusul"], until="penetapan_sk")
    fresh = recorded(donggala["pengusul"], until="verifikasi_dinas")
    recorded(poso["pengusul"], until="ditolak")
    back = recorded(poso["pengusul"], until="perbaikan")
    deadline = TaskDeadline.objects.get(process=late, step="penetapan_sk")
    deadline.due_on = timezone.localdate() - datetime.timedelta(days=3)
    deadline.save()
    # A finished task past its date is not overdue.
    old = TaskDeadline.objects.get(process=done[0], step="verifikasi_dinas")
    old.due_on = timezone.localdate() - datetime.timedelta(days=30)
    old.save()
    return {"done": done, "late": late, "fresh": fresh, "back": back}


def test_the_dashboard_counts_sentra_sk_proposals_per_step_and_overdue_steps_per_kabupaten(province, dashboard_data):
    from oversight.dashboard import province_dashboard

    data = province_dashboard(province["pencatat_provinsi"])
    rows = {row.region.code: row for row in data["rows"]}
    assert len(rows) == 13
    donggala, poso, palu = rows["72.03"], rows["72.02"], rows["72.71"]
    assert donggala.sentra == 4 and donggala.pengelola_ber_sk == 2
    assert donggala.per_tahap[Tahap.PENETAPAN_SK] == 1 and donggala.per_tahap[Tahap.VERIFIKASI_DINAS] == 1
    assert donggala.berjalan == 2 and donggala.terlambat == 1
    assert poso.sentra == 2 and poso.pengelola_ber_sk == 0
    assert poso.per_tahap[Tahap.PERBAIKAN] == 1 and poso.berjalan == 1 and poso.terlambat == 0
    assert (palu.sentra, palu.pengelola_ber_sk, palu.berjalan, palu.terlambat) == (0, 0, 0, 0)
    assert data["totals"]["berjalan"] == 3 and data["totals"]["pengelola_ber_sk"] == 2


def test_the_dashboard_page_shows_every_kabupaten_with_an_svg_chart_and_no_script(province, dashboard_data):
    response = client_for(province["pimpinan"]).get("/register/dasbor/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "Banggai",
        "Poso",
        "Donggala",
        "Toli-Toli",
        "Buol",
        "Morowali",
        "Banggai Kepulauan",
        "Parigi Moutong",
        "Tojo Una-Una",
        "Sigi",
        "Banggai Laut",
        "Morowali Utara",
        "Palu",
    ):
        assert f">{name}<" in html, name
    assert html.count("<svg") >= 2 and 'role="img"' in html
    assert "Usulan berjalan per tahap" in html and "1 terlambat" in html
    assert "Donggala — Penandatanganan SK oleh kepala daerah: 1" in html  # bar tooltip
    assert "<script" not in html.split('class="sk-page"')[1]  # the chart needs no script (CSP: 'self' only)


@pytest.mark.parametrize("who", ["pencatat_provinsi", "pimpinan", "auditor"])
def test_the_province_officials_and_auditors_open_the_dashboard(province, regions, who):
    assert client_for(province[who]).get("/register/dasbor/").status_code == 200


@pytest.mark.parametrize("role", ["pengusul", "verifikator_dinas", "kepala_daerah"])
def test_kabupaten_officials_get_403_on_the_dashboard(donggala, role):
    assert client_for(donggala[role]).get("/register/dasbor/").status_code == 403


def test_a_kabupaten_pimpinan_reads_the_dashboard_of_their_own_region(donggala, dashboard_data):
    response = client_for(donggala["pimpinan"]).get("/register/dasbor/")
    assert response.status_code == 200
    rows = response.context["data"]["rows"]
    assert [row.region.code for row in rows] == ["72.03"] and rows[0].pengelola_ber_sk == 2
    assert "Poso" not in response.content.decode()


def test_the_dashboard_costs_the_same_queries_however_many_proposals(province, recorded, donggala, poso):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(province["pencatat_provinsi"])
    client.get("/register/dasbor/")  # warm the session and the user's cached roles
    with CaptureQueriesContext(connection) as few:
        client.get("/register/dasbor/")
    recorded(donggala["pengusul"])
    recorded(donggala["pengusul"], until="penetapan_sk")
    recorded(poso["pengusul"], until="verifikasi_aset")
    with CaptureQueriesContext(connection) as many:
        client.get("/register/dasbor/")
    assert len(many) == len(few)
    assert len(few) <= 15
