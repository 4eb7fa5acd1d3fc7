"""Deadline policy: how long each human step may take, in the region's working days.

The clock runs from a complete file: each official's task gets its own deadline when it is created,
and the pengusul's revision step has none, so the clock pauses while a proposal is back for
revision (a resubmitted proposal reaches the Disperindag as a new task with a fresh deadline).
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from workdays.calendar import REFERENCE_TTL, BusinessCalendar, Calendars

from .models import StepDeadline, TaskDeadline
from .steps import STEP

# The admin's step deadlines, kept in Django's cache across requests (``REFERENCE_TTL`` at most) and
# dropped from it whenever a row is saved or deleted (``step_deadlines_forget``, connected in ``apps``).
STEP_DEADLINES_KEY = "flows:stepdeadline:v1"


def step_deadline_rows() -> dict[str, tuple[int | None, int]]:
    """``{step: (working days, escalate after)}`` of the admin's rows, from the cache (one query otherwise)."""
    rows = cache.get(STEP_DEADLINES_KEY)
    if rows is None:
        rows = {step: (days, escalate) for step, days, escalate in
                StepDeadline.objects.values_list("step", "working_days", "escalate_after")}
        cache.set(STEP_DEADLINES_KEY, rows, REFERENCE_TTL)
    return rows


def step_deadlines_forget(sender=None, **kwargs) -> None:
    """A step deadline was saved or deleted: the next decision reads them again (and again after the
    commit, so that no request in between keeps the old ones)."""
    cache.delete(STEP_DEADLINES_KEY)
    if kwargs.get("signal") is not None:
        transaction.on_commit(lambda: cache.delete(STEP_DEADLINES_KEY))


class ReferenceData:
    """The step deadlines and the regions' calendars, each taken at most once by whoever holds this
    (one decision, one sweep): a decision that opens two tasks does not read them twice."""

    def __init__(self):
        self._step_rows: dict[str, tuple[int | None, int]] | None = None
        self.calendars = Calendars()

    def step_row(self, step: str) -> tuple[int | None, int] | None:
        if self._step_rows is None:
            self._step_rows = step_deadline_rows()
        return self._step_rows.get(step)

    def region_calendar(self, region) -> BusinessCalendar:
        return self.calendars.of(region)


def step_deadline(step: str, reference: ReferenceData | None = None) -> tuple[int | None, int]:
    """(working days, escalate after overdue working days) for ``step``; admin rows override defaults."""
    row = reference.step_row(step) if reference is not None else step_deadline_rows().get(step)
    if row is not None:
        return row
    if not STEP[step].has_deadline:
        return None, settings.SKSENTRA_DEFAULT_ESCALATE_AFTER
    return settings.SKSENTRA_DEFAULT_DEADLINE_DAYS, settings.SKSENTRA_DEFAULT_ESCALATE_AFTER


def first_reminder_day(calendar: BusinessCalendar, received_on: dt.date, due_on: dt.date) -> dt.date:
    """One working day before the deadline, unless that is the day of receipt itself."""
    day_before = due_on
    while True:
        day_before -= dt.timedelta(days=1)
        if calendar.is_working_day(day_before):
            break
    return day_before if day_before > received_on else due_on


def deadlines_start(created: list[tuple], reference: ReferenceData | None = None) -> list[TaskDeadline | None]:
    """Give newly created tasks (``(task, process)`` pairs) their deadlines, in one INSERT; the list
    answers each pair in order (``None`` for a step without a deadline)."""
    reference = reference or ReferenceData()
    answers = []
    for task, process in created:
        step = task.flow_task.name
        working_days, escalate_after = step_deadline(step, reference)
        if working_days is None:
            answers.append(None)
            continue
        calendar = reference.region_calendar(process.region)
        received_on = calendar.received_on(task.created)
        due_on = calendar.due_on(task.created, working_days)
        answers.append(TaskDeadline(
            task=task,
            process=process,
            step=step,
            received_on=received_on,
            due_on=due_on,
            working_days=working_days,
            escalate_after=escalate_after,
            next_reminder_at=calendar.office_start(first_reminder_day(calendar, received_on, due_on)),
        ))
    TaskDeadline.objects.bulk_create([d for d in answers if d is not None])
    return answers


def deadline_stop(*, task) -> None:
    """The task is done: no more reminders."""
    TaskDeadline.objects.filter(task=task, next_reminder_at__isnull=False).update(next_reminder_at=None)


def working_days_left(deadline: TaskDeadline, today: dt.date, calendar: BusinessCalendar) -> int:
    """Working days from ``today`` to the deadline: 0 on the due day, negative when overdue."""
    return calendar.working_days_between(today, deadline.due_on)


def deadline_label(deadline: TaskDeadline | None, calendar: BusinessCalendar, today: dt.date) -> dict | None:
    """How a task's deadline reads in the inbox and on the task page."""
    if deadline is None:
        return None
    left = working_days_left(deadline, today, calendar)
    if left < 0:
        text, state = f"terlambat {-left} hari kerja", "overdue"
    elif left == 0:
        text, state = "jatuh tempo hari ini", "today"
    else:
        text, state = f"{left} hari kerja lagi", "ok" if left > 1 else "soon"
    return {"due_on": deadline.due_on, "days_left": left, "text": text, "state": state}
