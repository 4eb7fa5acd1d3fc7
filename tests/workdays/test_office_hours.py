"""Office hours per weekday and per date range (issue 13, point 15): the admin's ``OfficeHours`` rows,
seeded Monday–Thursday 07:30–16:00 and Friday 07:30–16:30, decide when something counts as received,
when an office day starts for reminders and when messages may leave."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flows import reminders
from flows.models import TaskDeadline
from notifications.models import Kind, Notification
from tests.helpers import client_for, task_of
from workdays.calendar import BusinessCalendar, Calendars
from workdays.models import OfficeHours
from workdays.seed import office_hours_seed

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
DONGGALA, POSO = "72.03", "72.02"
# Ramadan 1448 H (estimated): Monday 8 February to Tuesday 9 March 2027.
RAMADAN = dt.date(2027, 2, 8), dt.date(2027, 3, 9)


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def hours(regions):
    """The seeded standing hours (a flushed table gets them again)."""
    office_hours_seed(OfficeHours)
    return regions


def ramadan_hours(region=None, name="Jam kerja Ramadan 1448 H"):
    OfficeHours.objects.bulk_create([
        OfficeHours(name=name, region=region, valid_from=RAMADAN[0], valid_until=RAMADAN[1],
                    first_weekday=0, last_weekday=3, start=dt.time(8, 0), end=dt.time(15, 0)),
        OfficeHours(name=name, region=region, valid_from=RAMADAN[0], valid_until=RAMADAN[1],
                    first_weekday=4, last_weekday=4, start=dt.time(8, 0), end=dt.time(15, 30)),
    ])


def test_the_migration_seeds_monday_to_thursday_until_1600_and_friday_until_1630(hours):
    calendar = BusinessCalendar(hours[DONGGALA])
    assert calendar.office_hours(dt.date(2026, 11, 5)) == (dt.time(7, 30), dt.time(16, 0))  # Thursday
    assert calendar.office_hours(dt.date(2026, 11, 6)) == (dt.time(7, 30), dt.time(16, 30))  # Friday


def test_a_friday_1615_arrival_counts_from_that_friday(hours):
    calendar = BusinessCalendar(hours[DONGGALA])
    friday_1615 = wita(2026, 11, 6, 16, 15)
    assert calendar.received_on(friday_1615) == dt.date(2026, 11, 6)
    assert calendar.due_on(friday_1615, 5) == dt.date(2026, 11, 13)
    assert calendar.in_office_hours(friday_1615)
    assert calendar.next_office_moment(friday_1615) == friday_1615
    # after 16:30 it is Monday's
    assert calendar.received_on(wita(2026, 11, 6, 16, 30)) == dt.date(2026, 11, 9)
    assert calendar.next_office_moment(wita(2026, 11, 6, 16, 40)) == wita(2026, 11, 9, 7, 30)


def test_a_thursday_1615_arrival_counts_from_the_next_working_day_whatever_the_fallback_setting(hours, settings):
    # The settings' hours are only the fallback for a day no row covers: the seeded Thursday row decides.
    settings.SKSENTRA_OFFICE_END = dt.time(16, 30)
    calendar = BusinessCalendar(hours[DONGGALA])
    thursday_1615 = wita(2026, 11, 5, 16, 15)
    assert calendar.received_on(thursday_1615) == dt.date(2026, 11, 6)
    assert not calendar.in_office_hours(thursday_1615)
    assert calendar.next_office_moment(thursday_1615) == wita(2026, 11, 6, 7, 30)


def test_without_any_row_the_settings_hours_apply(regions, settings):
    OfficeHours.objects.all().delete()
    settings.SKSENTRA_OFFICE_START, settings.SKSENTRA_OFFICE_END = dt.time(8, 0), dt.time(16, 0)
    calendar = BusinessCalendar(regions[DONGGALA])
    assert calendar.received_on(wita(2026, 11, 6, 16, 15)) == dt.date(2026, 11, 9)
    assert calendar.office_start(dt.date(2026, 11, 9)) == wita(2026, 11, 9, 8, 0)


def test_ramadan_hours_change_the_received_day_and_the_office_start(hours):
    ramadan_hours()
    calendar = BusinessCalendar(hours[DONGGALA])
    # Monday 15 February 2027, 15:30: the Ramadan office closed at 15:00.
    assert calendar.received_on(wita(2027, 2, 15, 15, 30)) == dt.date(2027, 2, 16)
    assert calendar.office_start(dt.date(2027, 2, 16)) == wita(2027, 2, 16, 8, 0)
    assert calendar.next_office_moment(wita(2027, 2, 16, 7, 45)) == wita(2027, 2, 16, 8, 0)
    # Friday 19 February 2027: open until 15:30.
    assert calendar.received_on(wita(2027, 2, 19, 15, 15)) == dt.date(2027, 2, 19)
    assert calendar.received_on(wita(2027, 2, 19, 15, 45)) == dt.date(2027, 2, 22)
    # Outside the range the standing hours hold again.
    assert calendar.office_hours(dt.date(2027, 3, 16)) == (dt.time(7, 30), dt.time(16, 0))
    assert calendar.received_on(wita(2027, 3, 16, 15, 30)) == dt.date(2027, 3, 16)


def test_ramadan_hours_set_when_a_tasks_reminders_fall_and_when_its_messages_leave(hours, donggala, start_proposal):
    ramadan_hours()
    # The proposal reaches the Disperindag on Monday 15 February 2027 at 15:30, after Ramadan hours.
    with time_machine.travel(wita(2027, 2, 15, 15, 30), tick=False):
        process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    deadline = TaskDeadline.objects.get(task=task)
    assert (deadline.received_on, deadline.due_on) == (dt.date(2027, 2, 16), dt.date(2027, 2, 23))
    assert deadline.next_reminder_at == wita(2027, 2, 22, 8, 0)
    told = Notification.objects.get(kind=Kind.TASK_CREATED, task=task)
    assert told.not_before == wita(2027, 2, 16, 8, 0)

    assert reminders.reminders_create_due(now=wita(2027, 2, 22, 7, 45)) == 0
    assert reminders.reminders_create_due(now=wita(2027, 2, 22, 8, 0)) == 1
    deadline.refresh_from_db()
    assert deadline.next_reminder_at == wita(2027, 2, 23, 8, 0)


def test_a_region_specific_range_applies_to_that_region_only(hours):
    donggala, poso = hours[DONGGALA], hours[POSO]
    OfficeHours.objects.create(
        name="Jam kerja HUT Donggala", region=donggala, valid_from=dt.date(2026, 11, 16),
        valid_until=dt.date(2026, 11, 20), first_weekday=0, last_weekday=4, start=dt.time(8, 0), end=dt.time(14, 0),
    )
    monday_1430 = wita(2026, 11, 16, 14, 30)
    calendars = Calendars()
    together = BusinessCalendar.for_regions([donggala, poso])
    for calendar in (BusinessCalendar(donggala), calendars.of(donggala), together[DONGGALA]):
        assert calendar.received_on(monday_1430) == dt.date(2026, 11, 17)
        assert calendar.office_start(dt.date(2026, 11, 17)) == wita(2026, 11, 17, 8, 0)
    for calendar in (BusinessCalendar(poso), calendars.of(poso), together[POSO]):
        assert calendar.received_on(monday_1430) == dt.date(2026, 11, 16)
        assert calendar.office_start(dt.date(2026, 11, 17)) == wita(2026, 11, 17, 7, 30)


def test_a_regions_range_wins_over_one_for_all_regions(hours):
    ramadan_hours()
    OfficeHours.objects.create(
        name="Jam kerja Ramadan Donggala", region=hours[DONGGALA], valid_from=RAMADAN[0], valid_until=RAMADAN[1],
        first_weekday=0, last_weekday=4, start=dt.time(8, 30), end=dt.time(14, 30),
    )
    assert BusinessCalendar(hours[DONGGALA]).office_hours(dt.date(2027, 2, 15)) == (dt.time(8, 30), dt.time(14, 30))
    assert BusinessCalendar(hours[POSO]).office_hours(dt.date(2027, 2, 15)) == (dt.time(8, 0), dt.time(15, 0))


def test_the_calendars_of_a_sweep_read_all_regions_hours_in_one_query(hours):
    ramadan_hours()
    calendars = Calendars()
    with CaptureQueriesContext(connection) as ctx:
        for region in (hours[DONGGALA], hours[POSO], hours["72.71"]):
            calendar = calendars.of(region)
            for day in range(8, 28):
                calendar.office_start(dt.date(2027, 2, day))
                calendar.received_on(wita(2027, 2, day, 15, 10))
    hours_reads = [q["sql"] for q in ctx.captured_queries if "workdays_officehours" in q["sql"]]
    assert len(hours_reads) == 1, hours_reads
    together = BusinessCalendar.for_regions([hours[DONGGALA], hours[POSO]])
    with CaptureQueriesContext(connection) as ctx:
        for calendar in together.values():
            calendar.office_start(dt.date(2027, 2, 15))
    assert len(ctx.captured_queries) == 0  # the hours read above are cached across calendars and requests


def test_the_admin_refuses_overlapping_or_inverted_hours(hours):
    ramadan_hours()
    clash = OfficeHours(name="Ramadan lagi", valid_from=dt.date(2027, 3, 1), valid_until=dt.date(2027, 3, 20),
                        first_weekday=2, last_weekday=4, start=dt.time(8, 0), end=dt.time(15, 0))
    with pytest.raises(ValidationError):
        clash.full_clean()
    # the same days for one region only do not clash with the rows for all regions
    clash.region = hours[DONGGALA]
    clash.full_clean()
    inverted = OfficeHours(name="Terbalik", first_weekday=4, last_weekday=0, start=dt.time(16, 0), end=dt.time(8, 0),
                           valid_from=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError) as refused:
        inverted.full_clean()
    assert {"end", "last_weekday", "valid_until"} <= set(refused.value.message_dict)


def test_an_admin_sets_ramadan_hours_in_the_admin_with_history(hours, django_user_model):
    admin = django_user_model.objects.create_superuser("operator", "operator@example.test", "x-secret-123")
    client = client_for(admin)
    assert client.get("/admin/workdays/officehours/").status_code == 200
    response = client.post("/admin/workdays/officehours/add/", {
        "name": "Jam kerja Ramadan 1448 H", "region": "", "valid_from": "2027-02-08", "valid_until": "2027-03-09",
        "first_weekday": "0", "last_weekday": "3", "start": "08:00", "end": "15:00",
    })
    assert response.status_code == 302, response.content[:2000]
    row = OfficeHours.objects.get(valid_from=RAMADAN[0])
    assert row.history.count() == 1 and row.history.first().history_user == admin
    assert BusinessCalendar(hours[POSO]).office_start(dt.date(2027, 2, 15)) == wita(2027, 2, 15, 8, 0)
