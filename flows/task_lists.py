"""What the inbox, queue and archive list: bounded queries that do not grow with the data.

viewflow's stock lists filter ``process__flow_class`` (a join of the whole process table in every
COUNT), render each row's brief through ``process.coerced`` (one query per row), COUNT the whole list
for the paginator and enumerate every process in a filter dropdown. Here:

- the flow is identified by the task's own ``flow_task`` column (one of this flow's human nodes), so
  the process table is only joined for the region scope and the row's proposal;
- one query returns the page with the proposal (pengelola, kab/kota) and the deadline;
- pages are read with ``LIMIT n + 1`` (is there a next page?) instead of a COUNT;
- the only filter is the step, a fixed list taken from the flow, never from the data.

The indexes these queries use are in ``flows/migrations/0004_inbox_indexes.py``.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from produk_hukum.selectors import kantor_wilayah_of
from workdays.calendar import BusinessCalendar

from . import deadlines
from .models import LegalisasiTask
from .steps import STEP, STEPS, step_title

PAGE_SIZE = 20
ROW_RELATED = (
    "process__legalisasiprocess__pengelola",
    "process__legalisasiprocess__region",
    "deadline",
)


def human_nodes(flow_class) -> list:
    """The flow's human steps in the step table's order (the step filter's choices)."""
    nodes = {node.name: node for node in flow_class.instance.nodes() if getattr(node, "task_type", None) == "HUMAN"}
    return [nodes[step.name] for step in STEPS if step.name in nodes]


def _base(flow_class, user, step: str | None):
    nodes = human_nodes(flow_class)
    if step:
        nodes = [node for node in nodes if node.name == step]
    return LegalisasiTask.objects.visible_to(user).filter(flow_task_type="HUMAN", flow_task__in=nodes)


def inbox_tasks(flow_class, user, step: str | None = None):
    """Tasks the user has claimed (or was assigned) and not finished, newest first."""
    return _base(flow_class, user, step).filter(owner=user, status=STATUS.ASSIGNED).order_by("-created", "-pk")


def queue_tasks(flow_class, user, step: str | None = None):
    """Open tasks the user may claim: viewflow's rule (no permission needed, theirs, or a permission
    they hold), without viewflow's join on the process for ``flow_class``."""
    queryset = _base(flow_class, user, step).filter(status=STATUS.NEW)
    if not user.is_superuser:
        queryset = queryset.filter(
            Q(owner_permission__isnull=True) | Q(owner=user) | Q(owner_permission__in=user.get_all_permissions())
        )
    return queryset.order_by("-created", "-pk")


def archive_tasks(flow_class, user, step: str | None = None):
    """Tasks the user finished, most recent first."""
    return _base(flow_class, user, step).filter(owner=user, finished__isnull=False).order_by("-finished", "-pk")


@dataclass
class TaskRow:
    task: LegalisasiTask
    title: str
    pengelola: str
    region: str
    due: dict | None


@dataclass
class TaskPage:
    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1


def _read_page(queryset, page: int) -> tuple[list, int, bool]:
    """(rows, page number, is there a next page?) in one query: ``LIMIT n + 1``, never a COUNT."""
    page = max(page, 1)
    offset = (page - 1) * PAGE_SIZE
    rows = list(queryset[offset : offset + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE


def ids_from(values) -> list[int]:
    """Object ids as sent in a form: ASCII digits within the database's 64-bit range, the rest dropped."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 19 and 0 < int(v) < 2**63]


MAX_PAGE = 100_000  # far beyond any list; a larger number reads as this one (an empty page)


def page_number(value: str | None) -> int:
    """The ``halaman`` parameter as typed by anyone: not a number reads as the first page, a huge one
    as ``MAX_PAGE`` (its offset must stay within the database's integers)."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return 1
    return max(1, min(int(value[:12]), MAX_PAGE))


def task_page(queryset, page: int) -> TaskPage:
    """One page of rows in one query (plus one for the deadlines' calendars when a row has a deadline)."""
    tasks, page, has_next = _read_page(queryset.select_related(*ROW_RELATED), page)

    processes = [task.process.legalisasiprocess for task in tasks]
    with_deadline = [task for task in tasks if _deadline(task) is not None]
    calendars = (
        BusinessCalendar.for_regions({p.region for p, t in zip(processes, tasks) if t in with_deadline})
        if with_deadline
        else {}
    )
    # The titles that name an office name it as each region does (one query for the page's regions).
    named = {p.region_id: p.region for p, t in zip(processes, tasks) if _step(t) and _step(t).office}
    offices = kantor_wilayah_of(named.values()) if named else {}
    today = timezone.localdate()
    rows = []
    for task, process in zip(tasks, processes):
        deadline = _deadline(task) if task.finished is None else None
        due = None
        if deadline is not None:
            due = deadlines.deadline_label(deadline, calendars[process.region_id], today)
        rows.append(
            TaskRow(
                task=task,
                title=step_title(_step(task), offices.get(process.region_id)) if _step(task) else str(task.flow_task.task_title),
                pengelola=process.pengelola.name,
                region=process.region.name,
                due=due,
            )
        )
    return TaskPage(rows=rows, number=page, has_next=has_next)


def _step(task):
    return STEP.get(task.flow_task.name)


def _deadline(task):
    try:
        return task.deadline
    except task._meta.get_field("deadline").related_model.DoesNotExist:
        return None


# --- the proposals list (the "Usulan" page) ------------------------------------------------------


def proposals(user, tahap: str | None = None):
    """The proposals in the user's region scope, newest first (by key: the primary key's index)."""
    from .models import LegalisasiProcess

    queryset = LegalisasiProcess.objects.visible_to(user)
    if tahap:
        queryset = queryset.filter(tahap=tahap)
    return queryset.select_related("pengelola", "region").order_by("-pk")


def proposal_page(queryset, page: int) -> TaskPage:
    """One page of proposals in one query."""
    rows, page, has_next = _read_page(queryset, page)
    return TaskPage(rows=rows, number=page, has_next=has_next)
