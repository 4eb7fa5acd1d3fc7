"""One decision reads its reference data once (``flows.services.unit_of_work``), and never keeps it
beyond itself: a day off or a step deadline an admin changes counts from the next decision on."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flows.models import Hasil, StepDeadline, TaskDeadline
from notifications.models import Notification
from tests.helpers import act, assets_recorded, decision, task_of
from workdays.models import NonWorkingDay

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")


def _reads(sqls, table):
    return [s for s in sqls if s.lstrip().startswith("SELECT") and f'FROM "{table}"' in s]


def test_the_parallel_split_reads_the_deadlines_calendar_and_each_role_once_and_tells_both(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    with CaptureQueriesContext(connection) as ctx:
        response = act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    assert response.status_code == 302
    sqls = [q["sql"] for q in ctx.captured_queries]
    # the reference data was cached by the proposal's own decision: read at most once, and not at all here
    assert len(_reads(sqls, "flows_stepdeadline")) == 0
    assert len(_reads(sqls, "workdays_nonworkingday")) == 0
    assert len(_reads(sqls, "workdays_officehours")) == 0
    assert len(_reads(sqls, "notifications_preference")) == 0  # read with the recipients

    aset, hukum = task_of(process, "verifikasi_aset"), task_of(process, "harmonisasi_hukum")
    assert TaskDeadline.objects.filter(task__in=[aset, hukum]).count() == 2
    told = set(Notification.objects.filter(task__in=[aset, hukum]).values_list("recipient__username", flat=True))
    assert told == {donggala["verifikator_aset"].username, donggala["bagian_hukum"].username}


def test_a_day_off_and_a_new_step_deadline_added_between_two_decisions_count_at_the_next(donggala, start_proposal):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=WITA), tick=False):  # Monday 1 June 2026
        process = start_proposal(donggala["pengusul"])
        act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
        before = TaskDeadline.objects.get(task=task_of(process, "verifikasi_aset"))

        NonWorkingDay.objects.create(date=dt.date(2026, 6, 3), region=None, name="Libur daerah")
        StepDeadline.objects.update_or_create(step="paraf_koordinasi", defaults={"working_days": 2, "escalate_after": 1})
        assets_recorded(process, donggala["verifikator_aset"])
        act(donggala["verifikator_aset"], process, "verifikasi_aset", decision(Hasil.DISETUJUI))
        act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI))
        after = TaskDeadline.objects.get(task=task_of(process, "paraf_koordinasi"))

    # 1 June 2026 is Hari Lahir Pancasila: received on Tuesday 2 June; five working days.
    assert before.due_on == dt.date(2026, 6, 9)
    # Received 2 June; 3 June is now off: two working days are 4 and 5 June.
    assert (after.working_days, after.due_on) == (2, dt.date(2026, 6, 5))


def test_reference_data_is_cached_across_decisions_and_every_change_counts_at_the_next(donggala, start_proposal,
                                                                                        regions):
    """Step deadlines, days off, office hours and office names are read from the cache by the next decision
    (no query), and a save or a delete of any of them (as the admin does) is seen by the decision after it."""
    from produk_hukum.models import KantorDaerah
    from produk_hukum.selectors import kantor_wilayah
    from workdays.calendar import BusinessCalendar
    from workdays.models import OfficeHours

    donggala_region = regions["72.03"]
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=WITA), tick=False):  # Monday 1 June 2026
        process = start_proposal(donggala["pengusul"])  # its decision fills the cache
        with CaptureQueriesContext(connection) as ctx:
            act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
        sqls = [q["sql"] for q in ctx.captured_queries]
        for table in ("flows_stepdeadline", "workdays_nonworkingday", "workdays_officehours", "produk_hukum_kantordaerah"):
            assert _reads(sqls, table) == [], table
        first = TaskDeadline.objects.get(task=task_of(process, "verifikasi_aset"))
        assert (first.working_days, first.due_on) == (5, dt.date(2026, 6, 9))

        # a step deadline saved, then deleted: the next decisions use it, then the default again
        row = StepDeadline.objects.create(step="paraf_koordinasi", working_days=2, escalate_after=1)
        day_off = NonWorkingDay.objects.create(date=dt.date(2026, 6, 3), region=donggala_region, name="Libur daerah")
        assets_recorded(process, donggala["verifikator_aset"])
        act(donggala["verifikator_aset"], process, "verifikasi_aset", decision(Hasil.DISETUJUI))
        act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI))
        paraf = TaskDeadline.objects.get(task=task_of(process, "paraf_koordinasi"))
        assert (paraf.working_days, paraf.due_on) == (2, dt.date(2026, 6, 5))  # 3 June off: 4 and 5 June

        row.delete()
        day_off.delete()
        act(donggala["sekretariat_daerah"], process, "paraf_koordinasi", decision(Hasil.DIPARAF))
        signing = TaskDeadline.objects.get(task=task_of(process, "penetapan_sk"))
        assert (signing.working_days, signing.due_on) == (5, dt.date(2026, 6, 9))  # 3 June a working day again

    # office hours and office names: saved and deleted as the admin does, seen by the next reader
    monday = dt.date(2026, 6, 8)
    assert BusinessCalendar(donggala_region).office_hours(monday) == (dt.time(7, 30), dt.time(16, 0))
    short = OfficeHours.objects.create(name="Jam darurat", region=donggala_region, valid_from=monday,
                                       valid_until=monday, first_weekday=0, last_weekday=4,
                                       start=dt.time(8, 0), end=dt.time(12, 0))
    assert BusinessCalendar(donggala_region).office_hours(monday) == (dt.time(8, 0), dt.time(12, 0))
    short.delete()
    assert BusinessCalendar(donggala_region).office_hours(monday) == (dt.time(7, 30), dt.time(16, 0))
    kantor = KantorDaerah.objects.get(region=donggala_region)
    assert kantor_wilayah(type(donggala_region).objects.get(pk="72.03")).dinas_perindustrian.singkatan == "Disperindag"
    kantor.dinas_perindustrian_singkatan = "DKUKMPP"
    kantor.save()
    assert kantor_wilayah(type(donggala_region).objects.get(pk="72.03")).dinas_perindustrian.singkatan == "DKUKMPP"
