"""The service-level report on a fixture with known durations, counted in working days across holidays
(17 August 2026, Independence Day, a Monday; 25 August 2026, Maulid Nabi, a Tuesday)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from accounts.roles import Role
from flows.demo import _decide
from flows.models import Hasil
from flows.operations import open_task, task_act
from oversight.models import StepDuration
from oversight.service_levels import durations_record, percentile, service_level_report
from tests.conftest import DONGGALA
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
TODAY = dt.date(2026, 9, 1)  # a Tuesday


def at(day: int, month: int = 8, hour: int = 10):
    return time_machine.travel(dt.datetime(2026, month, day, hour, 0, tzinfo=WITA), tick=False)


@pytest.fixture
def history(donggala, poso, province, make_user, start_proposal):
    """Three Donggala proposals received on Friday 14 August; Disperindag decides after 1, 3 and 6
    working days (the first across Independence Day, the third across Independence Day and Maulid);
    one Poso proposal decided after 2."""
    second = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="verifikator_dinas.kedua")
    with at(14, hour=9):
        p1, p2, p3 = (start_proposal(donggala["pengusul"]) for _ in range(3))
        poso_process = start_proposal(poso["pengusul"])
    for process, day, official in ((p1, 18, donggala["verifikator_dinas"]), (p2, 20, donggala["verifikator_dinas"]),
                                   (p3, 26, second), (poso_process, 18, poso["verifikator_dinas"])):
        with at(day):
            task_act(task=open_task(process, "verifikasi_dinas"), user=official, action=_decide(Hasil.DISETUJUI))
    with at(1, month=9, hour=12):
        durations_record()
    return {"processes": (p1, p2, p3, poso_process), "second": second}


def test_working_days_are_counted_across_the_holidays(history):
    p1, p2, p3, poso_process = history["processes"]
    days = dict(StepDuration.objects.filter(step="verifikasi_dinas").values_list("process_id", "working_days"))
    # 14 Aug (Fri) -> 18 Aug (Tue): Monday 17 is Independence Day, so 1 working day, not 2.
    # -> 20 Aug: 18, 19, 20 = 3. -> 26 Aug: 18, 19, 20, 21, 24, (25 Maulid), 26 = 6.
    assert days == {p1.pk: 1, p2.pk: 3, p3.pk: 6, poso_process.pk: 1}
    assert not StepDuration.objects.filter(step="usulan").exists()
    late = dict(StepDuration.objects.filter(step="verifikasi_dinas").values_list("process_id", "late"))
    assert late == {p1.pk: False, p2.pk: False, p3.pk: True, poso_process.pk: False}  # due on 24 August


def test_the_kabupaten_pimpinan_reads_its_own_region(history, donggala):
    report = service_level_report(donggala["pimpinan"], date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 8, 31),
                                  today=TODAY)
    row = {r.step: r for r in report["steps"]}
    dinas = row["verifikasi_dinas"]
    assert (dinas.finished, dinas.median, dinas.p90, dinas.late) == (3, 3, 5.4, 1)  # 1, 3, 6 working days
    # Each approval opened the asset check and the legal harmonisation (5 working days each):
    # opened 18 Aug (due 25 -> 26 Aug: Maulid) and 20 Aug (due 28 Aug) are overdue on 1 September, 26 Aug is not.
    assert (row["verifikasi_aset"].open, row["verifikasi_aset"].overdue) == (3, 2)
    assert (row["harmonisasi_hukum"].open, row["harmonisasi_hukum"].overdue) == (3, 2)
    assert report["totals"]["overdue"] == 4 and report["totals"]["open"] == 6
    first = report["overdue"][0]
    assert first.due_on == dt.date(2026, 8, 26) and first.days_late == 4  # 27, 28, 31 Aug, 1 Sep
    assert first.holder == donggala[first.task.flow_task.name.replace("harmonisasi_hukum", "bagian_hukum")
                                    .replace("verifikasi_aset", "verifikator_aset")].get_full_name()
    officials = {o.official_id: o for o in report["officials"]}
    assert (officials[donggala["verifikator_dinas"].pk].finished, officials[donggala["verifikator_dinas"].pk].median) == (2, 2)
    assert (officials[history["second"].pk].finished, officials[history["second"].pk].median, officials[history["second"].pk].late) == (1, 6, 1)


def test_the_province_reads_every_kabupaten_and_the_period_filters(history, province, poso, regions):
    report = service_level_report(province["pimpinan"], date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 8, 31),
                                  today=TODAY)
    assert {r.step: r.finished for r in report["steps"]}["verifikasi_dinas"] == 4
    only_poso = service_level_report(province["pimpinan"], date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 8, 31),
                                     region=regions["72.02"], today=TODAY)
    assert {r.step: r.finished for r in only_poso["steps"]}["verifikasi_dinas"] == 1
    before = service_level_report(province["pimpinan"], date_from=dt.date(2026, 8, 1), date_to=dt.date(2026, 8, 19),
                                  today=TODAY)
    assert {r.step: r.finished for r in before["steps"]}["verifikasi_dinas"] == 2  # 18 August, Donggala and Poso


def test_recording_reads_only_new_tasks_and_never_twice(history, donggala):
    p1 = history["processes"][0]
    with at(2, month=9, hour=12):
        assert durations_record() == 0
    with at(3, month=9):
        task_act(task=open_task(p1, "verifikasi_aset"), user=donggala["verifikator_aset"], action=lambda act: __import__(
            "flows.services", fromlist=["x"]).verifikasi_aset_decide(
            activation=act, user=act.task.owner, hasil=Hasil.DIKEMBALIKAN, catatan="KIB belum lengkap"))
    with at(3, month=9, hour=12):
        assert durations_record() == 1
        assert durations_record() == 0
    # received 18 Aug; finished 3 Sep: 19, 20, 21, 24, 26, 27, 28, 31 Aug, 1, 2, 3 Sep = 11 (25 Aug is Maulid)
    assert StepDuration.objects.get(process=p1, step="verifikasi_aset").working_days == 11


def test_percentile_interpolates_like_a_spreadsheet():
    assert percentile({}, 0.5) is None
    assert percentile({1: 1, 2: 1}, 0.5) == 1.5
    assert percentile({n: 1 for n in range(1, 11)}, 0.9) == 9.1
    assert percentile({4: 7}, 0.9) == 4


def test_the_page_the_export_and_who_may_read_them(history, donggala, poso, province):
    url = "/pantau/kinerja/?dari=2026-08-01&sampai=2026-08-31"
    for user in (donggala["pimpinan"], province["pimpinan"], province["pencatat_provinsi"]):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert "Verifikasi Disperindag" in response.content.decode() and "<svg" in response.content.decode()
    html = client_for(donggala["pimpinan"]).get(url).content.decode()
    assert history["processes"][3].pengelola.name not in html  # Poso's overdue tasks are not Donggala's
    for role in ("verifikator_dinas", "pengusul", "kepala_daerah"):
        assert client_for(donggala[role]).get(url).status_code == 403
    assert client_for(province["auditor"]).get(url).status_code == 403
    export = client_for(donggala["pimpinan"]).get(url.replace("kinerja/", "kinerja/ekspor/"))
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Per langkah", "Tugas terlambat", "Per pejabat"]
    steps = {row[0]: row for row in book["Per langkah"].iter_rows(min_row=2, values_only=True)}
    assert steps["Verifikasi Disperindag"][1:4] == (3, 3, 5.4)
    overdue = [row for row in book["Tugas terlambat"].iter_rows(min_row=2, values_only=True)]
    assert {row[0] for row in overdue} == {p.pk for p in history["processes"][:3]}  # Donggala's only, not Poso's
    assert all(row[2] == "Kabupaten Donggala" or "Donggala" in row[2] for row in overdue)


@pytest.mark.parametrize("query", ["dari=2026-09-01&sampai=2026-08-01", "dari=99999999-01-01", "dari=%00",
                                   "sampai=1900-01-01", "dari=2000-01-01&sampai=2026-08-01"])
def test_a_refused_period_answers_422_with_its_message(donggala, query):
    response = client_for(donggala["pimpinan"]).get(f"/pantau/kinerja/?{query}")
    assert response.status_code == 422, query
    assert 'class="sk-error"' in response.content.decode()
    assert client_for(donggala["pimpinan"]).get(f"/pantau/kinerja/ekspor/?{query}").status_code == 422


def test_the_kabupaten_filter_is_the_province_s_and_stays_in_scope(history, donggala, province):
    poso_name = history["processes"][3].pengelola.name
    response = client_for(province["pimpinan"]).get("/pantau/kinerja/?dari=2026-08-01&sampai=2026-08-31&wilayah=72.02")
    assert response.status_code == 200 and poso_name in response.content.decode()
    assert client_for(province["pimpinan"]).get("/pantau/kinerja/?wilayah=99.99").status_code == 422
    # a kab/kota has no choice to make: another region's code changes nothing
    response = client_for(donggala["pimpinan"]).get("/pantau/kinerja/?dari=2026-08-01&sampai=2026-08-31&wilayah=72.02")
    assert response.status_code == 200 and poso_name not in response.content.decode()


def test_a_long_backlog_is_read_a_run_at_a_time_and_goes_on_where_it_stopped(history):
    from oversight.models import SlaWatermark
    from oversight.service_levels import durations_caught_up

    StepDuration.objects.all().delete()
    SlaWatermark.objects.all().delete()
    runs, added = 0, 0
    with at(1, month=9, hour=12):
        while True:  # one task a run: two of them finished at the very same moment (18 August, 10:00)
            added += durations_record(limit=1)
            runs += 1
            if durations_caught_up():
                break
            assert runs < 10
    assert (added, runs) == (4, 5)
    assert StepDuration.objects.filter(step="verifikasi_dinas").count() == 4
