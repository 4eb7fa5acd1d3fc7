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
    assert len(_reads(sqls, "flows_stepdeadline")) == 1
    assert len(_reads(sqls, "workdays_nonworkingday")) == 1
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
