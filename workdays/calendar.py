"""The government's business calendar: working days, holidays, cuti bersama and office hours.

Working days are Monday to Friday, minus Indonesia's national holidays and cuti bersama (the
``holidays`` package, public and government categories: the yearly joint ministerial decree) and the
extra non-working days an admin adds for one region or all. Time is the region's own time zone.

Office hours depend on the day: the admin's ``OfficeHours`` rows give them per run of weekdays
(seeded Monday–Thursday 07:30–16:00, Friday 07:30–16:30), standing or for a date range such as
Ramadan, for one region or all; the most specific row wins (``OfficeHours``), and without any row
the settings ``SKSENTRA_OFFICE_START``/``END`` apply.

The admin's rows are reference data read on every decision: they are kept in Django's cache (Redis in
production, shared by every web and worker process) and dropped from it whenever a row is saved or
deleted (``workdays.apps``), so a change counts from the next decision on.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache

from .models import NonWorkingDay, OfficeHours

# Cache keys of the admin's rows (the suffix changes when what is stored changes shape), and how long a
# copy may live at most: saves and deletes drop it at once; the bound covers a change made around the
# model's signals (a bulk update, SQL by hand).
DAYS_OFF_KEY = "workdays:nonworkingday:v1"
HOURS_KEY = "workdays:officehours:v1"
REFERENCE_TTL = 3600
_HOURS_FIELDS = ("id", "name", "region_id", "valid_from", "valid_until", "first_weekday", "last_weekday", "start",
                 "end")


def days_off() -> list[tuple[dt.date, str | None, str]]:
    """Every extra non-working day as ``(date, region code or None, name)``, from the cache."""
    rows = cache.get(DAYS_OFF_KEY)
    if rows is None:
        rows = list(NonWorkingDay.objects.order_by("date", "pk").values_list("date", "region_id", "name"))
        cache.set(DAYS_OFF_KEY, rows, REFERENCE_TTL)
    return rows


def office_hours_rows() -> list[OfficeHours]:
    """Every office-hours row (unsaved copies, enough for ``OfficeHours.covers``), from the cache."""
    rows = cache.get(HOURS_KEY)
    if rows is None:
        rows = list(OfficeHours.objects.order_by("pk").values_list(*_HOURS_FIELDS))
        cache.set(HOURS_KEY, rows, REFERENCE_TTL)
    return [OfficeHours(**dict(zip(_HOURS_FIELDS, row))) for row in rows]


def reference_forget(*keys: str) -> None:
    """Drop the cached rows (``keys``, or all): a save, a delete, a migration changed them."""
    cache.delete_many(list(keys or (DAYS_OFF_KEY, HOURS_KEY)))


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict:
    return dict(
        holidays.country_holidays("ID", years=year, categories=("public", "government"), language="id")
    )


def office_hours() -> tuple[dt.time, dt.time]:
    """The fallback office hours (start, end) local time, for a day no ``OfficeHours`` row covers."""
    return settings.SKSENTRA_OFFICE_START, settings.SKSENTRA_OFFICE_END


class HoursTable:
    """The admin's office-hours rows for some regions (``None``: all), taken from the cache (at most one
    query) the first time a calendar asks for hours, and shared by the calendars built together
    (``Calendars``, ``BusinessCalendar.for_regions``): a sweep over many regions reads them once."""

    def __init__(self, region_codes=None):
        self._codes = None if region_codes is None else set(region_codes)
        self._rows: list[OfficeHours] | None = None

    def rules_for(self, region_code) -> list[OfficeHours]:
        """The rows that may speak for ``region_code``, most specific first: a date range before the
        standing hours, the region's own before those of all regions, then the latest start, the newest row."""
        if self._rows is None:
            self._rows = [row for row in office_hours_rows()
                          if self._codes is None or row.region_id is None or row.region_id in self._codes]
        mine = [row for row in self._rows if row.region_id in (None, region_code)]
        return sorted(
            mine,
            key=lambda row: (row.valid_from is not None, row.region_id is not None, row.valid_from or dt.date.min, row.pk),
            reverse=True,
        )


class BusinessCalendar:
    """Working days of one region. Takes the region's extra non-working days once per instance (from the
    cache: no query while it holds them)."""

    def __init__(self, region=None, timezone: str | None = None, hours: HoursTable | None = None):
        self.region = region
        self.tz = ZoneInfo(timezone or getattr(region, "timezone", None) or settings.TIME_ZONE)
        code = getattr(region, "code", None)
        self._extra = {day: name for day, region_id, name in days_off() if region_id is None or region_id == code}
        self._hours_init(hours or HoursTable([] if region is None else [region.code]))

    def _hours_init(self, table: HoursTable) -> None:
        self._hours_table = table
        self._hour_rules: list[OfficeHours] | None = None
        self._hours_of_day: dict[dt.date, tuple[dt.time, dt.time]] = {}

    @classmethod
    def for_regions(cls, regions) -> dict:
        """One calendar per region (keyed by code), with all their extra days taken at once and, when a
        calendar first needs office hours, all their hours at once (each from the cache, or one query)."""
        regions = {region.code: region for region in regions}
        hours = HoursTable(regions)
        extra_rows = days_off()
        calendars = {}
        for code, region in regions.items():
            calendar = cls.__new__(cls)
            calendar.region = region
            calendar.tz = ZoneInfo(getattr(region, "timezone", None) or settings.TIME_ZONE)
            calendar._extra = {day: name for day, region_id, name in extra_rows if region_id in (None, code)}
            calendar._hours_init(hours)
            calendars[code] = calendar
        return calendars

    def holiday_name(self, day: dt.date) -> str | None:
        return self._extra.get(day) or _national_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def office_hours(self, day: dt.date) -> tuple[dt.time, dt.time]:
        """(start, end) local time of the office on ``day``: the most specific admin row covering it,
        else the settings' fallback."""
        if day not in self._hours_of_day:
            if self._hour_rules is None:
                self._hour_rules = self._hours_table.rules_for(getattr(self.region, "code", None))
            row = next((row for row in self._hour_rules if row.covers(day)), None)
            self._hours_of_day[day] = (row.start, row.end) if row is not None else office_hours()
        return self._hours_of_day[day]

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz)

    def received_on(self, moment: dt.datetime) -> dt.date:
        """The working day on which something arriving at ``moment`` counts as received.

        Before the end of that day's office hours on a working day it is that day; after them, or on a
        day off, it is the next working day (a task created at 23:30 counts from the next working day;
        one created at 16:15 on a Friday, when the office closes at 16:30, counts from that Friday).
        """
        local = self.local(moment)
        _, end = self.office_hours(local.date())
        if self.is_working_day(local.date()) and local.time() < end:
            return local.date()
        return self.next_working_day(local.date())

    def due_on(self, moment: dt.datetime, working_days: int) -> dt.date:
        """Deadline of ``working_days`` working days for something received at ``moment``.

        The day of receipt does not count (UU 30/2014: "paling lama … hari kerja sejak diterimanya").
        """
        return self.add_working_days(self.received_on(moment), working_days)

    def office_start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.office_hours(day)[0], self.tz)

    def in_office_hours(self, moment: dt.datetime) -> bool:
        local = self.local(moment)
        start, end = self.office_hours(local.date())
        return self.is_working_day(local.date()) and start <= local.time() < end

    def next_office_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself if it falls in office hours, else the start of the next office window."""
        if self.in_office_hours(moment):
            return moment
        local = self.local(moment)
        start, _ = self.office_hours(local.date())
        if self.is_working_day(local.date()) and local.time() < start:
            return self.office_start(local.date())
        return self.office_start(self.next_working_day(local.date()))


class Calendars:
    """One calendar per region, each built (its extra days read) at most once by whoever holds this:
    one decision, one sweep, one page; the office hours of all regions are read once for all of them."""

    def __init__(self):
        self._by_region: dict[str | None, BusinessCalendar] = {}
        self._hours = HoursTable()

    def of(self, region) -> BusinessCalendar:
        key = getattr(region, "code", None)
        if key not in self._by_region:
            self._by_region[key] = BusinessCalendar(region, hours=self._hours)
        return self._by_region[key]
