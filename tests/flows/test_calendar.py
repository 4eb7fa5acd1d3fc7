"""Working days on real dates: weekends, national holidays, cuti bersama, regional days off, office hours."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from workdays.calendar import BusinessCalendar
from workdays.models import NonWorkingDay

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


@pytest.fixture
def donggala(regions):
    return regions["72.03"]


def test_five_working_days_from_nyepi_skip_nyepi_idul_fitri_cuti_bersama_and_the_weekends(donggala):
    calendar = BusinessCalendar(donggala)
    # Thursday 19 March 2026 is Nyepi; 18, 20, 23, 24 are cuti bersama; 21-22 Idul Fitri (a weekend).
    created = wita(2026, 3, 19, 15, 0)
    assert calendar.holiday_name(dt.date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert calendar.received_on(created) == dt.date(2026, 3, 25)
    assert calendar.due_on(created, 5) == dt.date(2026, 4, 1)  # 25 received; 26, 27, 30, 31 Mar, 1 Apr


def test_a_task_created_at_2330_counts_from_the_next_working_day(donggala):
    calendar = BusinessCalendar(donggala)
    # Tuesday 17 March 2026 is a working day: in office hours it is received that day ...
    assert calendar.due_on(wita(2026, 3, 17, 15, 0), 5) == dt.date(2026, 3, 31)
    # ... at 23:30 it is received on the next working day, after the whole holiday block.
    assert calendar.received_on(wita(2026, 3, 17, 23, 30)) == dt.date(2026, 3, 25)
    assert calendar.due_on(wita(2026, 3, 17, 23, 30), 5) == dt.date(2026, 4, 1)
    # An ordinary week: Monday 2 November 2026.
    assert calendar.due_on(wita(2026, 11, 2, 15, 0), 5) == dt.date(2026, 11, 9)
    assert calendar.due_on(wita(2026, 11, 2, 23, 30), 5) == dt.date(2026, 11, 10)


def test_the_time_zone_is_the_regions_own(donggala):
    calendar = BusinessCalendar(donggala)
    # 15:30 UTC on Monday is 23:30 WITA: after office hours in Sulawesi Tengah.
    assert calendar.received_on(dt.datetime(2026, 11, 2, 15, 30, tzinfo=dt.timezone.utc)) == dt.date(2026, 11, 3)
    jakarta = BusinessCalendar(timezone="Asia/Jakarta")
    # The same moment is 22:30 WIB: also after hours; 07:00 UTC is 14:00 WIB, in office hours.
    assert jakarta.received_on(dt.datetime(2026, 11, 2, 7, 0, tzinfo=dt.timezone.utc)) == dt.date(2026, 11, 2)


def test_an_admin_adds_a_day_off_for_one_region_or_for_all(regions):
    donggala, poso = regions["72.03"], regions["72.02"]
    NonWorkingDay.objects.create(date=dt.date(2026, 11, 4), region=donggala, name="HUT Kabupaten Donggala")
    created = wita(2026, 11, 2, 10, 0)
    assert BusinessCalendar(donggala).due_on(created, 5) == dt.date(2026, 11, 10)
    assert BusinessCalendar(poso).due_on(created, 5) == dt.date(2026, 11, 9)
    NonWorkingDay.objects.create(date=dt.date(2026, 11, 5), region=None, name="Libur tambahan nasional")
    assert BusinessCalendar(poso).due_on(created, 5) == dt.date(2026, 11, 10)
    assert BusinessCalendar(donggala).due_on(created, 5) == dt.date(2026, 11, 11)


def test_office_hours_and_the_next_window(donggala):
    calendar = BusinessCalendar(donggala)
    assert calendar.in_office_hours(wita(2026, 11, 2, 9, 0))
    assert not calendar.in_office_hours(wita(2026, 11, 2, 20, 0))
    assert calendar.next_office_moment(wita(2026, 11, 2, 20, 0)) == wita(2026, 11, 3, 7, 30)
    assert calendar.next_office_moment(wita(2026, 11, 2, 6, 0)) == wita(2026, 11, 2, 7, 30)
    # Friday evening before a weekend: Monday morning.
    assert calendar.next_office_moment(wita(2026, 11, 6, 17, 0)) == wita(2026, 11, 9, 7, 30)
    # The evening of 17 March 2026 waits for the end of the Nyepi/Idul Fitri block.
    assert calendar.next_office_moment(wita(2026, 3, 17, 18, 0)) == wita(2026, 3, 25, 7, 30)
