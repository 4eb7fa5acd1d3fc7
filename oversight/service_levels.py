"""Service levels: how long each step takes in working days, what is open and overdue, who is slow.

Recording (``durations_record``, beat every few minutes): each human task finished since the watermark
(``SlaWatermark``, read back ``OVERLAP`` to catch a transaction that committed late) becomes one
``StepDuration`` row, its working days counted once on the region's ``BusinessCalendar``. It reads
only the new rows (index ``sk_task_finished_idx``), never the whole history.

Reporting (``service_level_report``): for a period, per step the number finished, the median and the
90th percentile of their working days and how many finished late; per official the number finished
and the median; now, per step, the open and overdue tasks, and the overdue tasks with who holds them.
The finished side reads the period's ``StepDuration`` rows grouped by (step, working days) through the
(region, finished day) index: the database returns a small histogram whose size follows the period,
not the history; percentiles are taken from it. The open side reads only open tasks (partial index).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts.roles import Role
from flows.models import LegalisasiProcess, LegalisasiTask, Tahap, TaskDeadline
from flows.steps import STEP, STEPS, RegionLevel
from sentra.models import Region
from workdays.calendar import BusinessCalendar

from .models import SlaWatermark, StepDuration

WATERMARK = "step_durations"
OVERLAP = dt.timedelta(minutes=15)
BATCH = 2000
MAX_PER_RUN = 20_000  # one beat run stays well inside Celery's time limit, whatever the backlog
OPEN = (STATUS.NEW, STATUS.ASSIGNED)
OVERDUE_LIST_LIMIT = 200
PROPOSER_STEPS = [s.name for s in STEPS if s.by_pengusul]
OPEN_STAGES = [t.value for t in Tahap if t not in (Tahap.TERCATAT, Tahap.DITOLAK)]


# --- recording -------------------------------------------------------------------------------------


def _duration_rows(tasks: list[dict], calendars: dict) -> list[StepDuration]:
    rows = []
    for t in tasks:
        step = getattr(t["flow_task"], "name", None)
        region = t["region"]
        if step not in STEP or step == "usulan" or region is None:  # the proposal itself is no one's wait
            continue
        calendar = calendars[region]
        if STEP[step].region_level == RegionLevel.PROVINSI:
            calendar = calendars.get(calendar.region.parent_id, calendar)
        received = calendar.received_on(t["created"])
        finished = calendar.local(t["finished"]).date()
        due = t["due_on"]
        rows.append(StepDuration(
            task_id=t["pk"], process_id=t["process_id"], region_id=region, step=step, official_id=t["owner_id"],
            received_on=received, finished_on=finished,
            working_days=max(calendar.working_days_between(received, finished), 0),
            due_on=due, late=due is not None and finished > due,
        ))
    return rows


def _record(tasks: list[dict], calendars: dict) -> int:
    """Store the rows of ``tasks`` not recorded yet (those the overlap reads again are skipped)."""
    if not tasks:
        return 0
    ids = [t["pk"] for t in tasks]
    known = set(StepDuration.objects.filter(task_id__in=ids).values_list("task_id", flat=True))
    tasks = [t for t in tasks if t["pk"] not in known]
    # The proposals' regions and the tasks' deadlines by key, one indexed read each per batch.
    regions = dict(LegalisasiProcess.objects.filter(pk__in={t["process_id"] for t in tasks}).order_by()
                   .values_list("pk", "region_id"))
    due = dict(TaskDeadline.objects.filter(task_id__in=[t["pk"] for t in tasks]).values_list("task_id", "due_on"))
    for t in tasks:
        t["region"], t["due_on"] = regions.get(t["process_id"]), due.get(t["pk"])
    rows = _duration_rows(tasks, calendars)
    StepDuration.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent run cannot add one twice
    return len(rows)


def durations_record(*, now: dt.datetime | None = None, limit: int = MAX_PER_RUN) -> int:
    """Record the working-day duration of human tasks finished since the watermark; the count added.

    At most ``limit`` tasks a run, oldest first (a first run over a long history goes on where it stopped:
    ``SlaWatermark.caught_up`` is false until it has read everything up to ``now``). Safe to run
    concurrently (the watermark row is locked) and again (a task is recorded once: its row's key is the task)."""
    now = now or timezone.now()
    added = read = 0
    last = None
    with transaction.atomic():
        mark, _created = SlaWatermark.objects.select_for_update().get_or_create(name=WATERMARK)
        # viewflow's task table alone (no join), in the order of the partial index on ``finished``.
        tasks = Task.objects.filter(flow_task_type="HUMAN", status=STATUS.DONE, finished__lte=now)
        if mark.finished_until is not None and mark.caught_up:
            tasks = tasks.filter(finished__gte=mark.finished_until - OVERLAP)
        elif mark.finished_until is not None:  # an unfinished catch-up: on from the last task read, exactly
            tasks = tasks.filter(Q(finished__gt=mark.finished_until)
                                 | Q(finished=mark.finished_until, pk__gt=mark.last_task_id or 0))
        tasks = tasks.order_by("finished", "pk")
        fields = ("pk", "process_id", "flow_task", "owner_id", "created", "finished")
        regions = {r.code: r for r in Region.objects.all()}  # a few hundred rows at most
        calendars = BusinessCalendar.for_regions(regions.values())
        batch = []
        for task in tasks.values(*fields)[:limit].iterator(chunk_size=BATCH):
            batch.append(task)
            read += 1
            last = task
            if len(batch) == BATCH:
                added += _record(batch, calendars)
                batch = []
        added += _record(batch, calendars)
        if read == limit and last is not None:
            mark.finished_until, mark.last_task_id, mark.caught_up = last["finished"], last["pk"], False
        else:
            mark.finished_until, mark.last_task_id, mark.caught_up = now, None, True
        mark.save(update_fields=["finished_until", "last_task_id", "caught_up"])
    return added


def durations_caught_up() -> bool:
    """Has the recorder read every task finished up to its last run?"""
    return SlaWatermark.objects.filter(name=WATERMARK, caught_up=True).exists()


# --- figures ---------------------------------------------------------------------------------------


def percentile(histogram: dict[int, int], p: float) -> float | None:
    """The ``p``-th percentile (0..1) of the values counted in ``histogram`` ({value: count}),
    interpolated between ranks as a spreadsheet's PERCENTILE(.INC) does; ``None`` when empty."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank = p * (n - 1)

    def value_at(k: int) -> int:
        seen = 0
        for value in sorted(histogram):
            seen += histogram[value]
            if k < seen:
                return value
        raise AssertionError("rank beyond the histogram")

    low, high = math.floor(rank), math.ceil(rank)
    a, b = value_at(low), value_at(high)
    return round(a + (b - a) * (rank - low), 1)


@dataclass
class StepRow:
    step: str
    title: str
    finished: int = 0
    late: int = 0
    median: float | None = None
    p90: float | None = None
    open: int = 0
    overdue: int = 0
    histogram: dict[int, int] = field(default_factory=dict)


@dataclass
class OfficialRow:
    official_id: int | None
    name: str
    finished: int = 0
    late: int = 0
    median: float | None = None
    histogram: dict[int, int] = field(default_factory=dict)


@dataclass
class OverdueTask:
    task: LegalisasiTask
    step_title: str
    holder: str
    due_on: dt.date
    days_late: int


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def service_level_report(user, *, date_from: dt.date, date_to: dt.date, region: Region | None = None,
                         today: dt.date | None = None) -> dict:
    """The service levels ``user`` may read (region scope), for tasks finished from ``date_from`` to
    ``date_to`` (inclusive) and the tasks open ``today``; ``region`` narrows to one kab/kota."""
    today = today or timezone.localdate()
    steps = {s.name: StepRow(s.name, str(s.title)) for s in STEPS}

    done = StepDuration.objects.visible_to(user).filter(finished_on__gte=date_from, finished_on__lte=date_to)
    # An open task's proposal is in an open stage: the filter lets the database start from the open
    # proposals of the region (index on region, tahap) rather than from every proposal it ever had.
    open_tasks = LegalisasiTask.objects.visible_to(user).filter(
        flow_task_type="HUMAN", status__in=OPEN, process__legalisasiprocess__tahap__in=OPEN_STAGES)
    if region is not None:
        done = done.filter(region=region)
        open_tasks = open_tasks.filter(process__legalisasiprocess__region=region)

    for step, days, late, n in (done.values("step", "working_days", "late").annotate(n=Count("pk"))
                                .values_list("step", "working_days", "late", "n")):
        row = steps.get(step)
        if row is None:
            continue
        row.histogram[days] = row.histogram.get(days, 0) + n
        row.finished += n
        row.late += n if late else 0

    officials: dict[int | None, OfficialRow] = {}
    by_officials = done.exclude(step__in=PROPOSER_STEPS)  # the pengusul's revisions are not an official's work
    for official_id, days, late, n in (by_officials.values("official", "working_days", "late").annotate(n=Count("pk"))
                                       .values_list("official", "working_days", "late", "n")):
        row = officials.setdefault(official_id, OfficialRow(official_id, ""))
        row.histogram[days] = row.histogram.get(days, 0) + n
        row.finished += n
        row.late += n if late else 0
    people = get_user_model().objects.in_bulk([pk for pk in officials if pk is not None])
    for row in officials.values():
        row.name = _name(people.get(row.official_id)) or _("(akun dihapus)")
        row.median = percentile(row.histogram, 0.5)

    for node, n, overdue in (open_tasks.values("flow_task")
                             .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(deadline__due_on__lt=today)))
                             .values_list("flow_task", "n", "overdue")):
        row = steps.get(getattr(node, "name", None))
        if row is not None:
            row.open += n
            row.overdue += overdue

    late_tasks = list(
        open_tasks.filter(deadline__due_on__lt=today)
        .select_related("owner", "deadline", "process__legalisasiprocess__pengelola",
                        "process__legalisasiprocess__region")
        .order_by("deadline__due_on", "pk")[:OVERDUE_LIST_LIMIT]
    )
    calendars = BusinessCalendar.for_regions({t.process.legalisasiprocess.region for t in late_tasks})
    overdue = []
    for t in late_tasks:
        step = STEP.get(t.flow_task.name)
        holder = _name(t.owner) if t.owner_id else _("Belum diambil (antrean %(peran)s)") % {
            "peran": step.role.label if step else "-"}
        calendar = calendars[t.process.legalisasiprocess.region_id]
        overdue.append(OverdueTask(
            task=t, step_title=str(step.title) if step else t.flow_task.name, holder=holder,
            due_on=t.deadline.due_on, days_late=calendar.working_days_between(t.deadline.due_on, today),
        ))

    rows = list(steps.values())
    for row in rows:
        row.median = percentile(row.histogram, 0.5)
        row.p90 = percentile(row.histogram, 0.9)
    all_days: dict[int, int] = {}
    for row in rows:
        for days, n in row.histogram.items():
            all_days[days] = all_days.get(days, 0) + n
    return {
        "date_from": date_from,
        "date_to": date_to,
        "today": today,
        "region": region,
        "steps": rows,
        "officials": sorted(officials.values(), key=lambda r: (-r.finished, r.name)),
        "overdue": overdue,
        "overdue_more": sum(r.overdue for r in rows) > len(overdue),
        "totals": {
            "finished": sum(r.finished for r in rows),
            "late": sum(r.late for r in rows),
            "median": percentile(all_days, 0.5),
            "p90": percentile(all_days, 0.9),
            "open": sum(r.open for r in rows),
            "overdue": sum(r.overdue for r in rows),
        },
        "recorded_until": SlaWatermark.objects.filter(name=WATERMARK).values_list("finished_until", flat=True).first(),
    }


def user_can_view_service_levels(user) -> bool:
    """A kab/kota's pimpinan (its own region), the province's pencatat and pimpinan (every kab/kota of
    it), and administrators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.region_id is None:
        return False
    roles = user.role_names
    if Role.PIMPINAN.value in roles:
        return True
    return user.region.is_province and Role.PENCATAT_PROVINSI.value in roles
