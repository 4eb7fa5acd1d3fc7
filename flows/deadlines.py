"""Deadline policy: how long each human step may take, in the region's working days.

The clock runs from a complete file: each official's task gets its own deadline when it is created,
and the pengusul's revision step has none, so the clock pauses while a proposal is back for
revision (a resubmitted proposal reaches the Disperindag as a new task with a fresh deadline).
"""

import datetime as dt

from django.conf import settings

from workdays.calendar import BusinessCalendar, Calendars

from .models import StepDeadline, TaskDeadline
from .steps import STEP


class ReferenceData:
    """The step deadlines and the regions' calendars, each read at most once by whoever holds this
    (one decision, one sweep): a decision that opens two tasks does not read them twice."""

    def __init__(self):
        self._step_rows: dict[str, StepDeadline] | None = None
        self.calendars = Calendars()

    def step_row(self, step: str) -> StepDeadline | None:
        if self._step_rows is None:
            self._step_rows = {row.step: row for row in StepDeadline.objects.all()}
        return self._step_rows.get(step)

    def region_calendar(self, region) -> BusinessCalendar:
        return self.calendars.of(region)


def step_deadline(step: str, reference: ReferenceData | None = None) -> tuple[int | None, int]:
    """(working days, escalate after overdue working days) for ``step``; admin rows override defaults."""
    row = reference.step_row(step) if reference is not None else StepDeadline.objects.filter(step=step).first()
    if row is not None:
        return row.working_days, row.escalate_after
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
