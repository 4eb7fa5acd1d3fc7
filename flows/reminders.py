"""Who is told about a task and reminded of it, and when: the flow's side of the notifications.

- a task's creation is told to its assignee, or to everyone who may claim it (the step's role in
  the step's region: ``steps``);
- reminders one working day before the deadline, on the deadline, and each working day while
  overdue; after ``escalate_after`` overdue working days the region's ``pimpinan`` is told (the
  province's for the provincial step);
- the messages themselves (channels, office hours, digests, delivery) are the outbox's
  (``notifications.outbox``): this module decides what is owed to whom, the outbox writes it.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from viewflow.workflow.status import STATUS

from accounts.roles import Role
from notifications.models import Kind
from notifications.outbox import Lookups, message_rows, messages_add
from workdays.calendar import BusinessCalendar

from .deadlines import ReferenceData, first_reminder_day
from .models import LegalisasiProcess, TaskDeadline
from .steps import STEP, step_region_code


def users_with_role(role: Role, region_code: str):
    """Active users holding ``role`` in ``region_code``, with what their messages need (region, preferences)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role.value, region_id=region_code)
        .select_related("region", "notification_pref")
        .distinct()
    )


class Memo(ReferenceData):
    """What one decision or one sweep reads once: step deadlines, calendars, the officials of a role in
    a region, their preferences and the WhatsApp channel's state (``services.unit_of_work``)."""

    def __init__(self):
        super().__init__()
        self.outbox = Lookups(calendars=self.calendars)
        self.users: dict[tuple, list] = {}
        # (process id, step) -> outcome of the decisions recorded in this unit of work
        self.decided: dict[tuple, str] = {}

    def users_with_role(self, role: Role, region_code: str) -> list:
        key = (role, region_code)
        if key not in self.users:
            self.users[key] = list(users_with_role(role, region_code))
        return self.users[key]


def task_candidates(task, process: LegalisasiProcess, memo: Memo) -> list:
    """The assignee, or everyone who may claim the task: its role in its region (the province's for pencatatan)."""
    if task.owner_id:
        return [task.owner]
    step = STEP[task.flow_task.name]
    return memo.users_with_role(step.role, step_region_code(step, process.region))


def escalation_recipients(process: LegalisasiProcess, step_name: str, memo: Memo) -> list:
    return memo.users_with_role(Role.PIMPINAN, step_region_code(STEP[step_name], process.region))


def task_context(task, process: LegalisasiProcess, deadline: TaskDeadline | None) -> dict:
    """What a message about ``task`` says, frozen when the message is written."""
    url = settings.SKSENTRA_BASE_URL.rstrip("/") + reverse(
        f"legalisasi:{task.flow_task.name}:index", args=[process.pk, task.pk]
    )
    context = {
        "task": str(STEP[task.flow_task.name].title),
        "step": task.flow_task.name,
        "process_id": process.pk,
        "pengelola": process.pengelola.name,
        "sentra": process.pengelola.sentra.name,
        "region": str(process.region),
        "url": url,
        "owner": str(task.owner) if task.owner_id else "",
    }
    if deadline is not None:
        context["due_on"] = deadline.due_on.isoformat()
        context["due"] = date_format(deadline.due_on, "j F Y")
    return context


def notify_task_created(*, task, process: LegalisasiProcess, deadline: TaskDeadline | None, memo: Memo) -> list:
    """Tell everyone who may act on a new task (its owner, or its role in its region)."""
    now = timezone.now()
    context = task_context(task, process, deadline)
    rows = [
        row
        for user in task_candidates(task, process, memo)
        for row in message_rows(kind=Kind.TASK_CREATED, recipient=user, task=task, process_id=process.pk,
                                context=context, now=now, lookups=memo.outbox)
    ]
    return messages_add(rows, now=now, new_task=True)


# --- the sweep ----------------------------------------------------------------------------------


def _reminders_due_for(deadline: TaskDeadline, calendar: BusinessCalendar, now) -> tuple[list[tuple[str, str]], dt.datetime | None]:
    """The reminders owed now for ``deadline`` and when the next one falls due."""
    today = calendar.local(now).date()
    if not calendar.is_working_day(today):
        return [], calendar.next_office_moment(now)
    soon_day = first_reminder_day(calendar, deadline.received_on, deadline.due_on)
    due = []
    if today < soon_day:
        return [], calendar.office_start(soon_day)
    if today == soon_day and soon_day < deadline.due_on:
        due.append((Kind.DUE_SOON, today.isoformat()))
    elif today == deadline.due_on:
        due.append((Kind.DUE_TODAY, today.isoformat()))
    elif today > deadline.due_on:
        due.append((Kind.OVERDUE, today.isoformat()))
        overdue_days = calendar.working_days_between(deadline.due_on, today)
        if overdue_days >= deadline.escalate_after and not deadline.escalated:
            due.append((Kind.ESCALATION, ""))
    return due, calendar.office_start(calendar.next_working_day(today))


def reminders_create_due(*, now=None, batch_size: int = 500) -> int:
    """Write every reminder that has fallen due; return how many rows were written.

    Reads only the deadlines whose next reminder is due (a partial index), in batches locked with
    SKIP LOCKED: two sweeps at once take disjoint batches, and each slot's row exists once anyway.
    """
    now = now or timezone.now()
    memo = Memo()
    written = 0
    while True:
        with transaction.atomic():
            batch = list(
                TaskDeadline.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(next_reminder_at__lte=now)
                .select_related("task", "task__owner", "process", "process__region", "process__pengelola",
                                "process__pengelola__sentra")
                .order_by("next_reminder_at")[:batch_size]
            )
            if not batch:
                return written
            rows = []
            for deadline in batch:
                task, process = deadline.task, deadline.process
                if task.finished is not None or task.status in (STATUS.DONE, STATUS.CANCELED):
                    deadline.next_reminder_at = None
                    continue
                calendar = memo.region_calendar(process.region)
                reminders, deadline.next_reminder_at = _reminders_due_for(deadline, calendar, now)
                if not reminders:
                    continue
                context = task_context(task, process, deadline)
                context["days_overdue"] = max(0, calendar.working_days_between(deadline.due_on, calendar.local(now).date()))
                for kind, slot in reminders:
                    if kind == Kind.ESCALATION:
                        deadline.escalated = True
                        recipients = escalation_recipients(process, deadline.step, memo)
                    else:
                        recipients = task_candidates(task, process, memo)
                    for user in recipients:
                        rows += message_rows(kind=kind, slot=slot, recipient=user, task=task, process_id=process.pk,
                                             context=context, now=now, lookups=memo.outbox)
            messages_add(rows, now=now)
            TaskDeadline.objects.bulk_update(batch, ["next_reminder_at", "escalated"])
            written += len(rows)
