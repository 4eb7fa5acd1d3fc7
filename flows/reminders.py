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
import operator
from functools import lru_cache, reduce
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.urls import get_urlconf, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from viewflow.workflow.status import STATUS

from accounts.models import ActingGrant, Absence
from accounts.roles import Role
from core.queries import rows_update
from notifications.models import Kind
from notifications.outbox import Lookups, message_rows, messages_add
from produk_hukum.selectors import kantor_wilayah
from sentra import asset_services
from sentra.models import AsetDAK
from workdays.calendar import BusinessCalendar

from .deadlines import ReferenceData, first_reminder_day
from .models import LegalisasiProcess, TaskDeadline
from .steps import STEP, step_region_code, step_title


def away_for():
    """The substitute named by the user's absence in force today, if any (an annotation: no query of its own)."""
    return Subquery(Absence.objects.in_force().filter(user=OuterRef("pk")).order_by("-pk").values("substitute_id")[:1])


def users_with_role(role: Role, region_code: str) -> list:
    """Who may take a task of ``role`` in ``region_code`` today (see ``Memo.users_preload``)."""
    memo = Memo()
    memo.users_preload({(role, region_code)})
    return memo.users[(role, region_code)]


class Memo(ReferenceData):
    """What one decision or one sweep reads once: step deadlines, calendars, the officials of a role in
    a region, their preferences and the WhatsApp channel's state (``services.unit_of_work``)."""

    def __init__(self):
        super().__init__()
        self.outbox = Lookups(calendars=self.calendars)
        self.users: dict[tuple, list] = {}
        # (process id, step) -> outcome of the decisions recorded in this unit of work
        self.decided: dict[tuple, str] = {}
        self.processes: dict[int, LegalisasiProcess] = {}
        self.owners: dict[int, object] = {}
        self.contexts: dict[int, dict] = {}
        self._offices: dict[str, object] = {}
        self.titles: dict[tuple, str] = {}
        self.substitutes: dict[int, object] = {}
        self.raw_users: dict[tuple, list] = {}  # before absent officials are replaced (``users_preload``)
        # (task, process) of the tasks created in this unit of work, told about when it ends
        self.created: list[tuple] = []
        # process id -> process whose stage changed in this unit of work, written when it ends
        self.stages: dict[int, LegalisasiProcess] = {}

    def users_with_role(self, role: Role, region_code: str) -> list:
        key = (role, region_code)
        if key not in self.users:
            self.users_preload({key})
        return self.users[key]

    def users_preload(self, keys) -> None:
        """Who may take a task of each (role, region) pair today: the active officials holding the role
        in the region and those acting in it by a Plt./Plh. grant in force, with an absent official
        replaced by the substitute they named (``accounts.Absence``). One query for any number of pairs
        (the officials and the grant holders: a ``UNION ALL``, each row naming the pair it is for), and
        one more for the substitutes only when someone is away.

        The order is the officials' by id, then the grant holders' by grant (an official of the role also
        acting in it by a grant is listed once, as an official): ``sole_official`` and the report's
        reviewers take the first ones."""
        missing = {key for key in keys if key not in self.users}
        if not missing:
            return
        user_model = get_user_model()
        users = user_model.objects.filter(is_active=True).select_related("region", "notification_pref")
        grants = ActingGrant.objects.in_force().filter(
            reduce(operator.or_, (Q(role=role.value, region_id=code) for role, code in missing)))
        # The join the filter makes is the one the annotations read (a multi-valued relation filtered,
        # then annotated): each row is one (user, group) or one (user, grant) of the pairs asked for.
        officials = users.filter(
            reduce(operator.or_, (Q(groups__name=role.value, region_id=code) for role, code in missing))
        ).annotate(key_role=F("groups__name"), key_region=F("region_id"), by_grant=Value(0), rank=F("pk"),
                   away_for=away_for())
        acting = users.filter(acting_grants__in=grants).annotate(
            key_role=F("acting_grants__role"), key_region=F("acting_grants__region_id"), by_grant=Value(1),
            rank=F("acting_grants__pk"), away_for=away_for())
        lists: dict[tuple, dict] = {key: {} for key in missing}
        for user in officials.union(acting, all=True).order_by("by_grant", "rank"):
            key = (Role(user.key_role), user.key_region)
            if key in missing:
                lists[key].setdefault(user.pk, user)
        self.substitutes_load(user for users in lists.values() for user in users.values())
        for key, users in lists.items():
            self.raw_users[key] = list(users.values())
            self.users[key] = list({u.pk: u for u in (self.present(user) for user in users.values())}.values())

    def substitutes_load(self, users) -> None:
        """Read the substitutes of the absent ones among ``users`` (annotated ``away_for``), once each."""
        wanted = {u.away_for for u in users if getattr(u, "away_for", None)} - self.substitutes.keys()
        if wanted:
            for user in get_user_model().objects.filter(pk__in=wanted, is_active=True).select_related(
                "region", "notification_pref"
            ):
                self.substitutes[user.pk] = user

    def present(self, user):
        """``user``, or the active substitute they named when they are away today."""
        substitute_id = getattr(user, "away_for", None)
        return self.substitutes.get(substitute_id, user) if substitute_id else user

    def processes_load(self, ids) -> dict[int, LegalisasiProcess]:
        """The processes ``ids`` with what a message names (region, pengelola, sentra), each read once."""
        missing = set(ids) - self.processes.keys()
        if missing:
            for process in LegalisasiProcess.objects.filter(pk__in=missing).select_related(
                "region", "pengelola__sentra"
            ):
                self.processes[process.pk] = process
        return self.processes

    def owners_load(self, ids) -> dict[int, object]:
        """Task owners with their region and preferences, each read once."""
        missing = set(ids) - self.owners.keys()
        if missing:
            found = list(get_user_model().objects.filter(pk__in=missing).select_related("region", "notification_pref")
                         .annotate(away_for=away_for()))
            self.substitutes_load(found)
            for user in found:
                self.owners[user.pk] = user
        return self.owners

    def offices(self, region):
        """The region's offices as it names them, read once per region (``produk_hukum``)."""
        if region.pk not in self._offices:
            self._offices[region.pk] = kantor_wilayah(region)
        return self._offices[region.pk]

    def step_title(self, step: str, region) -> str:
        """The step's title as a message names it in ``region`` (its offices), once per pair."""
        key = (step, region.pk)
        if key not in self.titles:
            self.titles[key] = step_title(STEP[step], self.offices(region) if STEP[step].office else None)
        return self.titles[key]

    def process_context(self, process: LegalisasiProcess) -> dict:
        """The part of a message about ``process`` that is the same for all its tasks."""
        if process.pk not in self.contexts:
            self.contexts[process.pk] = {
                "process_id": process.pk,
                "pengelola": process.pengelola.name,
                "sentra": process.pengelola.sentra.name,
                "region": str(process.region),
            }
        return self.contexts[process.pk]


class TaskRef(NamedTuple):
    """What a message reads of a task: its id, its step and its owner (``owner`` given when there is one).
    The sweep builds these from plain rows: thousands of ORM instances of tasks would cost more than
    everything else it does."""

    pk: int
    step: str
    owner_id: int | None
    owner: object = None

    @classmethod
    def of(cls, task) -> "TaskRef":
        return cls(task.pk, task.flow_task.name, task.owner_id, task.owner if task.owner_id else None)


def task_candidates(task: TaskRef, process: LegalisasiProcess, memo: Memo) -> list:
    """The assignee (their substitute while they are away), or everyone who may claim the task: its role in
    its region (the province's for pencatatan), and who acts in it by a grant."""
    if task.owner_id:
        return [memo.present(task.owner)]
    step = STEP[task.step]
    return memo.users_with_role(step.role, step_region_code(step, process.region))


def escalation_recipients(process: LegalisasiProcess, step_name: str, memo: Memo) -> list:
    return memo.users_with_role(Role.PIMPINAN, step_region_code(STEP[step_name], process.region))


_PROCESS_MARK, _TASK_MARK = 918273645, 546372819


@lru_cache(maxsize=64)
def _task_url_pattern(step: str, base_url: str, urlconf: str | None) -> str:
    """The absolute URL of a task page of ``step`` with two marks where the ids go: one ``reverse``
    per step instead of one per message (the sweep writes thousands)."""
    url = base_url.rstrip("/") + reverse(f"legalisasi:{step}:index", args=[_PROCESS_MARK, _TASK_MARK])
    return url.replace(str(_PROCESS_MARK), "{process}").replace(str(_TASK_MARK), "{task}")


def _task_url(step: str, process_id: int, task_id: int) -> str:
    return _task_url_pattern(step, settings.SKSENTRA_BASE_URL, get_urlconf()).format(process=process_id, task=task_id)


@lru_cache(maxsize=1024)
def _date_text(day: dt.date, language: str | None) -> str:
    return date_format(day, "j F Y")


def task_context(task: TaskRef, process: LegalisasiProcess, deadline, memo: Memo | None = None) -> dict:
    """What a message about ``task`` says, frozen when the message is written (``deadline``: its
    ``TaskDeadline`` or a row with its ``due_on``, or ``None``)."""
    step = task.step
    memo = memo if memo is not None else Memo()
    context = {
        **memo.process_context(process),
        "task": memo.step_title(step, process.region),
        "step": step,
        "url": _task_url(step, process.pk, task.pk),
        "owner": str(task.owner) if task.owner_id else "",
    }
    if deadline is not None:
        context["due_on"] = deadline.due_on.isoformat()
        context["due"] = _date_text(deadline.due_on, get_language())
    return context


def tasks_created_notify(created: list[tuple], memo: Memo) -> list:
    """Tell everyone who may act on each new task (``(task, process, deadline)``): its owner, or its
    role in its region; the officials of every role concerned are read in one query, and all the
    messages go in with one INSERT."""
    now = timezone.now()
    refs = [(TaskRef.of(task), process, deadline) for task, process, deadline in created]
    memo.users_preload((STEP[task.step].role, step_region_code(STEP[task.step], process.region))
                       for task, process, _ in refs if not task.owner_id)
    rows = [
        row
        for task, process, deadline in refs
        for user in task_candidates(task, process, memo)
        for row in message_rows(kind=Kind.TASK_CREATED, recipient=user, task=task, process_id=process.pk,
                                context=task_context(task, process, deadline, memo), now=now, lookups=memo.outbox)
    ]
    return messages_add(rows, now=now, new_task=True)


# --- the sweep ----------------------------------------------------------------------------------


def _reminders_due_for(deadline, calendar: BusinessCalendar, now) -> tuple[list[tuple[str, str]], dt.datetime | None]:
    """The reminders owed now for ``deadline`` (a ``TaskDeadline``, a row of its columns or a report's
    deadline) and when the next one falls due."""
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


def due_in_batches(queryset, write, *, now, batch_size: int) -> int:
    """Hand ``write`` the rows of ``queryset`` whose next reminder is due (``next_reminder_at``, read
    through a partial index), ``batch_size`` at a time, each batch in its own transaction and locked
    with SKIP LOCKED: two sweeps at once take disjoint batches, and each slot's message exists once
    anyway (the outbox's unique key). ``write`` returns how many messages it wrote and must move each
    row's ``next_reminder_at`` on (or clear it), or the loop would take the row again; returns the total.
    """
    written = 0
    while True:
        with transaction.atomic():
            batch = list(queryset.select_for_update(skip_locked=True, of=("self",))
                         .filter(next_reminder_at__lte=now).order_by("next_reminder_at")[:batch_size])
            if not batch:
                return written
            written += write(batch)


def reminders_create_due(*, now=None, batch_size: int = 2000) -> int:
    """Write every reminder of a task deadline that has fallen due; return how many rows were written.

    A batch (``due_in_batches``) costs a fixed number of statements: the deadlines with their tasks,
    the processes, owners and officials not yet read, one INSERT of the messages and one UPDATE of the
    deadlines (on PostgreSQL; elsewhere one per distinct next reminder time: ``core.queries.rows_update``).
    """
    now = now or timezone.now()
    memo = Memo()

    def write(batch: list) -> int:
        processes = memo.processes_load(d.process_id for d in batch)
        owners = memo.owners_load(d.task__owner_id for d in batch if d.task__owner_id)
        memo.users_preload({(STEP[d.step].role, step_region_code(STEP[d.step], processes[d.process_id].region))
                            for d in batch if not d.task__owner_id})
        rows, updates = [], []
        for deadline in batch:
            process = processes[deadline.process_id]
            if deadline.task__finished is not None or deadline.task__status in (STATUS.DONE, STATUS.CANCELED):
                updates.append({"pk": deadline.pk, "next_reminder_at": None, "escalated": deadline.escalated})
                continue
            calendar = memo.region_calendar(process.region)
            reminders, next_at = _reminders_due_for(deadline, calendar, now)
            escalated = deadline.escalated or any(kind == Kind.ESCALATION for kind, _ in reminders)
            updates.append({"pk": deadline.pk, "next_reminder_at": next_at, "escalated": escalated})
            if not reminders:
                continue
            owner_id = deadline.task__owner_id
            task = TaskRef(deadline.task_id, deadline.step, owner_id, owners[owner_id] if owner_id else None)
            context = task_context(task, process, deadline, memo)
            context["days_overdue"] = max(0, calendar.working_days_between(deadline.due_on, calendar.local(now).date()))
            for kind, slot in reminders:
                if kind == Kind.ESCALATION:
                    recipients = escalation_recipients(process, deadline.step, memo)
                else:
                    recipients = task_candidates(task, process, memo)
                for user in recipients:
                    rows += message_rows(kind=kind, slot=slot, recipient=user, task=task, process_id=process.pk,
                                         context=context, now=now, lookups=memo.outbox)
        messages_add(rows, now=now)
        rows_update(TaskDeadline, updates, ["next_reminder_at", "escalated"])
        return len(rows)

    # Plain rows, not instances (``TaskRef``); the task's own columns come in the same query.
    deadlines = TaskDeadline.objects.values_list(
        "pk", "task_id", "process_id", "step", "received_on", "due_on", "escalate_after", "escalated",
        "task__status", "task__finished", "task__owner_id", named=True)
    return due_in_batches(deadlines, write, now=now, batch_size=batch_size)


# --- DAK asset agreements approaching their end (issue 14 §2) --------------------------------------


def _asset_slot(line_id: int, threshold: int) -> str:
    return f"aset{line_id}:{threshold}"


def asset_agreement_reminders(*, now=None) -> int:
    """Daily (beat): each sewa/KSP/pinjam pakai line whose agreement ends within a threshold
    (``SKSENTRA_ASSET_AGREEMENT_THRESHOLDS`` days, e.g. 90, 30 and 7) is told once per threshold to the
    kab/kota's BPKAD (``verifikator_aset``) and Disperindag (``verifikator_dinas``) officials.

    Idempotent: the slot names the line and the threshold, so a second run (or a second worker) finds
    the outbox's unique key taken and writes nothing. Returns the number of rows offered to the outbox.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    thresholds = sorted(settings.SKSENTRA_ASSET_AGREEMENT_THRESHOLDS)
    if not thresholds:
        return 0
    lines = list(asset_services.agreements_ending(AsetDAK.objects.all(), today=today, within_days=thresholds[-1]))
    memo = Memo()
    memo.users_preload({(role, line.sentra.region_id) for line in lines
                        for role in (Role.VERIFIKATOR_ASET, Role.VERIFIKATOR_DINAS)})
    rows = []
    for line in lines:
        days_left = (line.berakhir_pada - today).days
        threshold = next(t for t in thresholds if days_left <= t)
        context = {
            "aset": line.label,
            "sentra": line.sentra.name,
            "region": str(line.sentra.region),
            "dasar": line.get_dasar_pemanfaatan_display(),
            "nomor_perjanjian": line.nomor_perjanjian,
            "berakhir": _date_text(line.berakhir_pada, get_language()),
            "days_left": days_left,
            "url": settings.SKSENTRA_BASE_URL.rstrip("/") + reverse("aset:sentra", args=[line.sentra_id]),
        }
        for role in (Role.VERIFIKATOR_ASET, Role.VERIFIKATOR_DINAS):
            for user in memo.users.get((role, line.sentra.region_id), []):
                rows += message_rows(kind=Kind.AGREEMENT_ENDING, slot=_asset_slot(line.pk, threshold), recipient=user,
                                     context=context, now=now, lookups=memo.outbox)
    with transaction.atomic():
        messages_add(rows, now=now)
    return len(rows)
