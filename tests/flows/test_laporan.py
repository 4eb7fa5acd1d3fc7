"""The pengelola's periodic report (issue 15 section 4): opening, every step over HTTP, the audit trail,
photos, bad input, reminders and escalation, the province's compliance figures and the Excel export."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from PIL import Image
from viewflow.workflow.status import PROCESS

from accounts.roles import Role
from audit.models import Action, AuditEvent
from audit.services import chain_verify
from flows import laporan
from flows.demo import advance
from flows.models import LaporanFoto, LaporanProcess, LaporanTask, StatusLaporan
from notifications.models import Kind, Notification
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
OPEN_DAY = dt.date(2027, 1, 4)  # the semester 2026-S2 has ended: its reports open


def png_bytes(size=(64, 48), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (80, 60), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def users(donggala, poso, province):
    result = {(role, "72.03"): u for role, u in donggala.items()}
    result.update({(role, "72.02"): u for role, u in poso.items()})
    result[("pencatat_provinsi", "72")] = province["pencatat_provinsi"]
    return result


@pytest.fixture
def ber_sk(users, regions, start_proposal, donggala):
    """Two sentra of Donggala whose pengelola hold a recorded SK."""
    processes = []
    for seed in (11, 12):
        process = start_proposal(donggala["pengusul"])
        advance(process, users, regions["72.03"], "tercatat", seed=seed)
        processes.append(process)
    return processes


def make_pengelola_user(make_user, sentra, username):
    user = make_user(Role.PENGELOLA, sentra.region_id, username=username)
    user.sentra = sentra
    user.save(update_fields=["sentra"])
    return user


def report_post(**overrides):
    data = {
        "laporan-produksi_jumlah": "1.250", "laporan-produksi_satuan": "kg", "laporan-penjualan_jumlah": "1.000",
        "laporan-penjualan_nilai": "25.000.000,50", "laporan-anggota_aktif": "6",
        "laporan-kegiatan": "Pelatihan pengemasan; pameran di Palu.", "laporan-masalah": "Mesin pengering rusak ringan.",
        "laporan-catatan": "",
        "aset-TOTAL_FORMS": "1", "aset-INITIAL_FORMS": "0", "aset-MIN_NUM_FORMS": "0", "aset-MAX_NUM_FORMS": "100",
        "aset-0-kode": "KIB-C/011", "aset-0-uraian": "Gedung produksi", "aset-0-pemanfaatan": "digunakan",
        "aset-0-kondisi": "baik",
        "foto-keterangan": "Ruang produksi",
    }
    data.update(overrides)
    return data


def test_periods_and_due_dates_in_working_days(settings, regions):
    assert laporan.period_of(dt.date(2026, 3, 15)) == laporan.Period("2026-S1", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert laporan.period_last_ended(dt.date(2027, 1, 4)).label == "2026-S2"
    assert laporan.period_by_label("2026-S2").end == dt.date(2026, 12, 31)
    assert laporan.period_by_label("٢٠٢٦-S1") is None and laporan.period_by_label("2026-S9") is None
    # 10 working days after 31 December 2026: New Year's Day, Isra Mi'raj (5 January) and the
    # weekends do not count.
    due = laporan.due_on(regions["72.03"], laporan.period_by_label("2026-S2"))
    assert due == dt.date(2027, 1, 18)
    settings.SKSENTRA_REPORT_PERIOD_MONTHS = 3
    assert laporan.period_of(dt.date(2026, 8, 1)).label == "2026-T3"


def test_the_report_flow_end_to_end_with_its_audit_trail(ber_sk, make_user, donggala, province, regions, tmp_path, settings):
    """Opened by the beat job (idempotent), submitted with a photo by the pengelola, returned once by
    the Disperindag, revised, accepted; every step over HTTP, every event in the chained trail."""
    settings.MEDIA_ROOT = str(tmp_path)
    assert laporan.periods_open(today=OPEN_DAY) == 2
    assert laporan.periods_open(today=OPEN_DAY) == 0  # idempotent
    report = LaporanProcess.objects.get(sentra=ber_sk[0].pengelola.sentra)
    assert (report.periode, report.due_on, report.status_laporan) == ("2026-S2", dt.date(2027, 1, 18), StatusLaporan.DIBUKA)
    officer = make_pengelola_user(make_user, report.sentra, "ketua.sentra.a")
    client = client_for(officer)

    page = client.get(f"/laporan/{report.pk}/")
    assert page.status_code == 200 and "Ajukan laporan" in page.content.decode()
    # Refused: unicode digits, a huge number, control characters, a file that is not an image.
    for bad in ({"laporan-anggota_aktif": "٦"}, {"laporan-penjualan_nilai": "9" * 30},
                {"laporan-kegiatan": "ok\x00"}, {"laporan-produksi_jumlah": "1e5"}):
        response = client.post(f"/laporan/{report.pk}/", {**report_post(**bad),
                                                           "foto-foto": SimpleUploadedFile("a.png", png_bytes())})
        assert response.status_code == 422, bad
    response = client.post(f"/laporan/{report.pk}/", {**report_post(),
                                                       "foto-foto": SimpleUploadedFile("a.png", b"%PDF-1.4 not an image")})
    assert response.status_code == 422 and "bukan gambar" in response.content.decode()
    response = client.post(f"/laporan/{report.pk}/", report_post())  # no photo at all
    assert response.status_code == 422 and "sedikitnya satu foto" in response.content.decode()
    report.refresh_from_db()
    assert report.status_laporan == StatusLaporan.DIBUKA and not LaporanFoto.objects.exists()

    response = client.post(f"/laporan/{report.pk}/", {**report_post(),
                                                       "foto-foto": SimpleUploadedFile("kamera.jpg", jpeg_with_gps())})
    assert response.status_code == 302, response.content[:2000]
    report.refresh_from_db()
    assert report.status_laporan == StatusLaporan.DIAJUKAN
    assert (str(report.penjualan_nilai), report.anggota_aktif, report.produksi_satuan) == ("25000000.50", 6, "kg")
    assert report.aset == [{"kode": "KIB-C/011", "uraian": "Gedung produksi", "pemanfaatan": "digunakan", "kondisi": "baik"}]
    foto = LaporanFoto.objects.get(laporan=report)
    with Image.open(foto.file.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
    assert client.get(f"/laporan/foto/{foto.pk}/").status_code == 200

    reviewer = client_for(donggala["verifikator_dinas"])
    assert reviewer.post(f"/laporan/{report.pk}/", {"reviu-hasil": "dikembalikan", "reviu-catatan": ""}).status_code == 422
    assert reviewer.post(f"/laporan/{report.pk}/", {"reviu-hasil": "ditolak"}).status_code == 422
    response = reviewer.post(f"/laporan/{report.pk}/", {"reviu-hasil": "dikembalikan",
                                                        "reviu-catatan": "Lampirkan foto mesin pengering."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status_laporan == StatusLaporan.DIKEMBALIKAN
    assert "Lampirkan foto mesin pengering." in client.get(f"/laporan/{report.pk}/").content.decode()
    # The pengelola cannot review, the reviewer cannot submit.
    assert client.post(f"/laporan/{report.pk}/", {"reviu-hasil": "diterima"}).status_code in (302, 422)
    response = client.post(f"/laporan/{report.pk}/", {**report_post(), "foto-foto": SimpleUploadedFile("m.png", png_bytes())})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status_laporan, report.putaran) == (StatusLaporan.DIAJUKAN, 2)
    assert reviewer.post(f"/laporan/{report.pk}/", {"reviu-hasil": "diterima", "reviu-catatan": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status_laporan == StatusLaporan.DITERIMA and report.status == PROCESS.DONE
    assert not LaporanTask.objects.filter(process=report, finished__isnull=True).exists()
    nodes = list(LaporanTask.objects.filter(process=report).order_by("pk").values_list("flow_task", flat=True))
    # the If gateway after the review keeps no row: the task it opens follows the review directly
    assert [n.name for n in nodes] == ["start", "laporan", "reviu_laporan", "perbaikan_laporan", "reviu_laporan",
                                       "diterima"]
    tasks = list(LaporanTask.objects.filter(process=report).order_by("pk"))
    assert [[p.pk for p in t.previous.all()] for t in tasks[1:]] == [[t.pk] for t in tasks[:-1]]

    actions = list(AuditEvent.objects.filter(process_id=report.pk).order_by("seq").values_list("action", "actor_username"))
    assert [a for a, _ in actions if a != Action.TASK_CLAIM] == [
        Action.REPORT_OPENED, Action.REPORT_SUBMITTED, Action.REPORT_RETURNED, Action.REPORT_RESUBMITTED, Action.REPORT_ACCEPTED]
    assert ("report_submitted", "ketua.sentra.a") in actions and actions[0][1] == "sistem"
    returned = AuditEvent.objects.get(process_id=report.pk, action=Action.REPORT_RETURNED)
    assert returned.note == "Lampirkan foto mesin pengering." and returned.region == "72.03"
    assert chain_verify().ok
    # Told: the pengelola of its new tasks, the Disperindag of the review.
    kinds = set(Notification.objects.filter(process_id=report.pk).values_list("recipient__username", "kind"))
    assert ("ketua.sentra.a", Kind.TASK_CREATED) in kinds and (donggala["verifikator_dinas"].username, Kind.TASK_CREATED) in kinds

    # The province: compliance per kab/kota and the period's export.
    data = laporan.compliance(province["pimpinan"], laporan.period_by_label("2026-S2"), today=dt.date(2027, 1, 20))
    row = next(r for r in data["rows"] if r.region.code == "72.03")
    assert (row.due, row.received, row.accepted, row.late) == (2, 1, 1, 1)  # the other sentra never reported
    assert len(data["rows"]) == 13
    # A kab/kota's pimpinan sees its own row only.
    own = laporan.compliance(donggala["pimpinan"], laporan.period_by_label("2026-S2"), today=dt.date(2027, 1, 20))
    assert [r.region.code for r in own["rows"]] == ["72.03"]
    pimpinan = client_for(province["pimpinan"])
    dashboard = pimpinan.get("/register/dasbor/?periode=2026-S2").content.decode()
    assert "Kepatuhan laporan berkala pengelola" in dashboard
    export = pimpinan.get("/laporan/ekspor/?periode=2026-S2")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Periode" and len(rows) == 3
    assert any(r[2] == report.sentra.name and r[4] == "Diterima" for r in rows[1:])
    assert pimpinan.get("/laporan/ekspor/?periode=2026-S7").status_code == 400


def test_compliance_is_two_queries_whatever_the_number_of_reports(ber_sk, province):
    laporan.periods_open(today=OPEN_DAY)
    user = province["pimpinan"]
    laporan.compliance(user, laporan.period_by_label("2026-S2"))  # the user's region codes, read once per request
    with CaptureQueriesContext(connection) as queries:
        laporan.compliance(user, laporan.period_by_label("2026-S2"))
    assert len(queries) == 2


def test_export_neutralises_formulas(ber_sk, province, regions):
    laporan.periods_open(today=OPEN_DAY)
    LaporanProcess.objects.update(kegiatan="=HYPERLINK(\"http://x\")")
    sheet = load_workbook(io.BytesIO(client_for(province["pimpinan"]).get("/laporan/ekspor/?periode=2026-S2").content)).active
    values = [r[14] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert values and all(v.startswith("'=") for v in values)


def test_reminders_of_the_due_date_and_escalation_to_the_pimpinan(ber_sk, make_user, donggala, settings):
    settings.SKSENTRA_OFFICE_HOURS_ENFORCED = False
    laporan.periods_open(today=OPEN_DAY)
    report = LaporanProcess.objects.get(sentra=ber_sk[0].pengelola.sentra)
    make_pengelola_user(make_user, report.sentra, "ketua.a")

    def sweep(day):
        return laporan.report_reminders_create_due(now=dt.datetime.combine(day, dt.time(9), WITA))

    assert report.due_on == dt.date(2027, 1, 18)
    assert sweep(dt.date(2027, 1, 15)) >= 1  # the working day before the due date
    assert sweep(dt.date(2027, 1, 15)) == 0  # once per slot
    sweep(dt.date(2027, 1, 18))
    sweep(dt.date(2027, 1, 19))
    sweep(dt.date(2027, 1, 21))  # three working days overdue: escalated
    kinds = list(Notification.objects.filter(process_id=report.pk).values_list("recipient__username", "kind"))
    assert ("ketua.a", Kind.DUE_SOON) in kinds and ("ketua.a", Kind.DUE_TODAY) in kinds and ("ketua.a", Kind.OVERDUE) in kinds
    assert (donggala["pimpinan"].username, Kind.ESCALATION) in kinds
    report.refresh_from_db()
    assert report.escalated


def test_the_disperindag_creates_pengelola_accounts_of_its_own_sentra_only(ber_sk, poso_sentra, donggala, poso):
    sentra = ber_sk[0].pengelola.sentra
    client = client_for(donggala["verifikator_dinas"])
    assert client.get("/laporan/akun-pengelola/").status_code == 200
    refused = client.post("/laporan/akun-pengelola/", {"sentra": poso_sentra.pk, "username": "x.poso", "first_name": "X"})
    assert refused.status_code == 422
    refused = client.post("/laporan/akun-pengelola/", {"sentra": sentra.pk, "username": "bad name\n", "first_name": "X"})
    assert refused.status_code == 422
    response = client.post("/laporan/akun-pengelola/", {"sentra": sentra.pk, "username": "ketua.baru", "first_name": "Ketua",
                                                        "jabatan": "Ketua", "phone": "081234567890"})
    assert response.status_code == 200 and "/accounts/reset/" in response.content.decode()
    from accounts.models import User

    user = User.objects.get(username="ketua.baru")
    assert user.sentra == sentra and user.region_id == "72.03" and user.role_names == {"pengelola"}
    assert not user.has_usable_password()
    event = AuditEvent.objects.get(action=Action.ACCOUNT_CREATED)
    assert event.actor == donggala["verifikator_dinas"] and event.details["sentra_id"] == sentra.pk
    for other in (poso["verifikator_dinas"], donggala["verifikator_aset"], user):
        assert client_for(other).get("/laporan/akun-pengelola/").status_code == 403 or other == poso["verifikator_dinas"]


@pytest.fixture
def poso_sentra(poso, start_proposal):
    return start_proposal(poso["pengusul"]).pengelola.sentra


def test_a_pengelola_sees_only_its_own_sentra_even_in_the_same_kabupaten(ber_sk, make_user, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    laporan.periods_open(today=OPEN_DAY)
    mine, theirs = (LaporanProcess.objects.get(sentra=p.pengelola.sentra) for p in ber_sk)
    me = make_pengelola_user(make_user, mine.sentra, "ketua.a")
    other = make_pengelola_user(make_user, theirs.sentra, "ketua.b")
    client_for(other).post(f"/laporan/{theirs.pk}/", {**report_post(), "foto-foto": SimpleUploadedFile("b.png", png_bytes())})
    foto = LaporanFoto.objects.get(laporan=theirs)
    client = client_for(me)
    assert client.get(f"/laporan/{mine.pk}/").status_code == 200
    assert client.get(f"/laporan/{theirs.pk}/").status_code == 404
    assert client.post(f"/laporan/{theirs.pk}/", report_post()).status_code == 404
    assert client.get(f"/laporan/foto/{foto.pk}/").status_code == 404
    listing = client.get("/laporan/").content.decode()
    assert mine.sentra.name in listing and theirs.sentra.name not in listing
    register = client.get("/register/").content.decode()
    assert theirs.pengelola.name not in register and mine.pengelola.name in register
    from sentra.models import SK, Sentra

    assert list(Sentra.objects.visible_to(me)) == [mine.sentra]
    assert set(SK.objects.visible_to(me).values_list("pengelola__sentra", flat=True)) == {mine.sentra_id}
    assert set(LaporanTask.objects.visible_to(me).values_list("process_id", flat=True)) == {mine.pk}


@pytest.mark.parametrize("content, limits, message", [
    (png_bytes(), {"max_bytes": 100, "max_pixels": 10**6}, "terlalu besar. Ukuran maksimum"),
    (png_bytes((64, 48)), {"max_bytes": 10**6, "max_pixels": 1000}, "64 × 48 piksel"),
    (png_bytes()[:40], {"max_bytes": 10**6, "max_pixels": 10**6}, "bukan gambar"),  # truncated
    (b"GIF89a" + b"\0" * 30, {"max_bytes": 10**6, "max_pixels": 10**6}, "bukan gambar"),
    (b"", {"max_bytes": 10**6, "max_pixels": 10**6}, "kosong"),
])
def test_photos_are_checked_by_their_bytes_with_limits(content, limits, message):
    from core.errors import RuleViolation
    from core.images import image_reencode

    with pytest.raises(RuleViolation) as refused:
        image_reencode(io.BytesIO(content), label="Foto", **limits)
    assert message in refused.value.messages[0]


def test_a_photo_is_reencoded_upright_small_and_without_metadata():
    from core.images import image_reencode

    image = Image.new("RGBA", (3000, 1000), (0, 0, 255, 128))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: stored sideways
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", exif=exif.tobytes())
    checked = image_reencode(io.BytesIO(out.getvalue()), max_bytes=10**7, max_pixels=10**7)
    with Image.open(io.BytesIO(checked.content)) as stored:
        assert stored.format == "JPEG" and not stored.getexif() and stored.size == (checked.width, checked.height)
        assert stored.size[1] == 1600 and stored.size[0] in (533, 534)  # upright: taller than wide


@pytest.mark.parametrize("typed, expected", [
    ("1.250.000", "1250000"), ("12,5", "12.5"), ("1.250,75", "1250.75"), ("１２", "12"), ("1500", "1500"), ("", None),
])
def test_numbers_are_read_as_typed_in_indonesia(typed, expected):
    from flows.laporan_forms import parse_number

    number = parse_number(typed)
    assert (None if number is None else str(number)) == expected


@pytest.mark.parametrize("typed", ["١٢", "12a", "1e5", "1.2.3", "9" * 16, "-5", "1,234", "NaN", "\u00b2"])
def test_numbers_that_are_not_plain_ascii_decimals_are_refused(typed):
    from django.core.exceptions import ValidationError

    from flows.laporan_forms import parse_number

    with pytest.raises(ValidationError):
        parse_number(typed)


def test_the_review_runs_against_its_step_deadline_and_escalates(ber_sk, make_user, donggala, settings, tmp_path):
    from workdays.calendar import BusinessCalendar

    settings.MEDIA_ROOT = str(tmp_path)
    settings.SKSENTRA_OFFICE_HOURS_ENFORCED = False
    laporan.periods_open(today=OPEN_DAY)
    report = LaporanProcess.objects.get(sentra=ber_sk[0].pengelola.sentra)
    officer = make_pengelola_user(make_user, report.sentra, "ketua.a")
    response = client_for(officer).post(f"/laporan/{report.pk}/", {**report_post(),
                                                                    "foto-foto": SimpleUploadedFile("a.png", png_bytes())})
    assert response.status_code == 302
    report.refresh_from_db()
    task = LaporanTask.objects.get(process=report, finished__isnull=True, flow_task_type="HUMAN")
    calendar = BusinessCalendar(report.region)
    assert task.flow_task.name == "reviu_laporan" and task.owner == donggala["verifikator_dinas"]
    assert report.reviu_due_on == calendar.due_on(task.created, settings.SKSENTRA_DEFAULT_DEADLINE_DAYS)
    overdue = calendar.add_working_days(report.reviu_due_on, settings.SKSENTRA_DEFAULT_ESCALATE_AFTER)
    for day in (report.reviu_due_on, overdue):
        laporan.report_reminders_create_due(now=dt.datetime.combine(day, dt.time(9), WITA))
    kinds = set(Notification.objects.filter(task=task).values_list("recipient__username", "kind"))
    reviewer = donggala["verifikator_dinas"].username
    assert {(reviewer, Kind.TASK_CREATED), (reviewer, Kind.DUE_TODAY), (reviewer, Kind.OVERDUE),
            (donggala["pimpinan"].username, Kind.ESCALATION)} <= kinds
    # Decided: no more reminders.
    client_for(donggala["verifikator_dinas"]).post(f"/laporan/{report.pk}/", {"reviu-hasil": "diterima"})
    report.refresh_from_db()
    assert report.next_reminder_at is None


def test_after_login_a_pengelola_starts_at_its_reports_and_an_official_at_the_inbox(make_user):
    officer = make_user(Role.PENGELOLA, "72.03", username="pengelola.home")
    official = make_user(Role.VERIFIKATOR_DINAS, "72.03", username="verifikator.home")
    assert client_for(officer).get("/")["Location"] == "/laporan/"
    assert client_for(official).get("/")["Location"] == "/legalisasi/"
    assert client_for(official).get("/legalisasi/", follow=True).status_code == 200


def test_the_report_offers_the_sentra_s_dak_asset_lines_as_bpkad_recorded_them(ber_sk):
    from sentra.models import AsetDAK

    laporan.periods_open(today=OPEN_DAY)
    report = LaporanProcess.objects.get(pengelola=ber_sk[0].pengelola)
    recorded = AsetDAK.objects.filter(sentra_id=report.sentra_id)
    assert recorded.exists()  # advance() had BPKAD record the lines before approving
    offered = {line["kode"]: line["uraian"] for line in laporan.asset_lines(report)}
    for aset in recorded:
        assert offered[f"{aset.kode_barang} NUP {aset.nup}"] == f"KIB {aset.jenis_kib} — {aset.nama}"
    other = AsetDAK.objects.exclude(sentra_id=report.sentra_id).first()
    assert other is not None and f"{other.kode_barang} NUP {other.nup}" not in offered
