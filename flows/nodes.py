"""viewflow building blocks adapted to SK Sentra: the process lock and region-scoped human steps."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import update_wrapper

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.timezone import now
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import flow
from viewflow.workflow import nodes as gateway_nodes
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.flow.utils import wrap_start_view
from viewflow.workflow.flow.views import AssignTaskView, IndexTaskView, UnassignTaskView, UserIndexTaskView
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from accounts.scope import can_see
from accounts.selectors import user_acts_as

from .steps import STEP, RegionLevel

# Set by a task view for the duration of its lock: "is this submit still needed?" (see ProcessRowLock).
_still_needed: ContextVar = ContextVar("sksentra_lock_still_needed", default=None)
# Set by a task view that needs the process itself: ``(related fields, holder)``; the lock reads the row
# it locks with them into ``holder["process"]`` (one statement for the lock and the load).
_lock_load: ContextVar = ContextVar("sksentra_lock_load", default=None)


class NoLongerNeeded(Exception):
    """While waiting for the process lock, the work this request came to do was done by another."""


class ProcessRowLock:
    """Serialise all work on one process by locking its row (``SELECT … FOR UPDATE``).

    viewflow's default is no lock at all: two simultaneous approvals then create duplicate next
    tasks. Its ``SelectForUpdateLock`` uses NOWAIT with a sleeping retry loop, so the loser of a
    double submit waits hundreds of milliseconds and may still fail.

    Here (PostgreSQL) a request first tries the row lock without waiting. When another request holds
    it, it waits for that transaction to end with ``FOR SHARE`` (shared: every waiter wakes at the
    same moment, instead of being granted an exclusive lock one after another), then asks the view
    whether its work is still needed (the task may have just been completed by the winner) and
    answers at once if not; otherwise it tries again. Waiting is bounded by ``lock_timeout``.
    SQLite ignores ``FOR UPDATE`` but serialises writers itself.
    """

    def __init__(self, timeout_ms: int = 10_000):
        self.timeout_ms = timeout_ms

    @contextmanager
    def __call__(self, flow_class, process_pk):
        # Only the view's own (outermost) lock loads the process for it; a nested lock does not.
        load = _lock_load.get()
        _lock_load.set(None)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                self._acquire_postgresql(flow_class, process_pk, load)
            else:
                self._lock_row(flow_class.process_class._default_manager.filter(pk=process_pk), load)
            yield

    @staticmethod
    def _lock_row(queryset, load, nowait=False) -> None:
        """Lock the process row; with ``load``, read it (with its related rows) by the same statement."""
        if load is None:
            queryset.select_for_update(nowait=nowait).exists()
            return
        related, holder = load
        holder["process"] = queryset.select_related(*related).select_for_update(nowait=nowait, of=("self",)).first()

    def _acquire_postgresql(self, flow_class, process_pk, load=None):
        from psycopg.errors import LockNotAvailable

        queryset = flow_class.process_class._default_manager.filter(pk=process_pk)
        table = flow_class.process_class._meta.db_table
        pk_column = flow_class.process_class._meta.pk.column
        # Only the view's own (outermost) lock asks the question; a nested lock taken while the work
        # is done (the task already DONE in this transaction) must not.
        still_needed = _still_needed.get()
        _still_needed.set(None)
        timeout_set = False
        while True:
            try:
                with transaction.atomic():
                    self._lock_row(queryset, load, nowait=True)
                return
            except DatabaseError as exc:
                if not isinstance(exc.__cause__, LockNotAvailable):
                    raise FlowLockFailed(f"Lock failed for process {process_pk}") from exc
            if not timeout_set:  # only a request that has to wait needs the bound (one statement less otherwise)
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = %s", [f"{self.timeout_ms}ms"])
                timeout_set = True
            try:
                # Wait with the other waiters; the savepoint's rollback drops the shared lock again.
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute(
                            f'SELECT 1 FROM "{table}" WHERE "{pk_column}" = %s FOR SHARE', [process_pk]
                        )
                    transaction.set_rollback(True)
            except DatabaseError as exc:
                raise FlowLockFailed(f"Lock failed for process {process_pk}") from exc
            if still_needed is not None and not still_needed():
                raise NoLongerNeeded


def _process_region_code(task) -> str | None:
    """The kab/kota code of the task's process, read once per task object."""
    if not hasattr(task, "_sksentra_region_code"):
        process_class = task.flow_task.flow_class.process_class
        task._sksentra_region_code = (
            process_class._default_manager.filter(pk=task.process_id).values_list("region_id", flat=True).first()
        )
    return task._sksentra_region_code


def _process_sentra_id(task) -> int | None:
    """The sentra of the task's process (asked only for a user bound to one sentra: ``can_see``)."""
    if not hasattr(task, "_sksentra_sentra_id"):
        process_class = task.flow_task.flow_class.process_class
        task._sksentra_sentra_id = (
            process_class._default_manager.filter(pk=task.process_id)
            .values_list(process_class.SENTRA_PATH, flat=True).first()
        )
    return task._sksentra_sentra_id


def task_in_user_scope(user, task) -> bool:
    region_code = _process_region_code(task)
    return region_code is not None and can_see(user, region_code, lambda: _process_sentra_id(task))


def acts_in_step_region(user, flow_task, task) -> bool:
    """A user acting by a Plt./Plh. grant holds the granted role in the granted region only: their own
    roles stay in their own regions (``accounts.selectors.user_acts_as``). Without a grant in force the
    permission and the scope already say it all (no query)."""
    if not getattr(user, "acting_roles", None):
        return True
    step = STEP.get(flow_task.name)
    if step is None:
        return True
    region_code = _process_region_code(task)
    if step.region_level == RegionLevel.PROVINSI and region_code is not None:
        region = getattr(task.process, "region", None) if "process" in task._state.fields_cache else None
        if region is not None and region.pk == region_code:
            region_code = region.parent_id
        else:
            from .models import LegalisasiProcess

            region_code = LegalisasiProcess.objects.filter(pk=task.process_id).values_list(
                "region__parent_id", flat=True).first()
    return region_code is not None and user_acts_as(user, step.role.value, region_code)


class _CanViewFirstMixin:
    """Task entry points: out-of-region users get 403, never a redirect hinting at what the task is."""

    def get(self, request, *args, **kwargs):
        if not request.activation.flow_task.can_view(request.user, request.activation.task):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)


class ScopedUserIndexTaskView(_CanViewFirstMixin, UserIndexTaskView):
    pass


class ScopedIndexTaskView(_CanViewFirstMixin, IndexTaskView):
    pass


class _AlreadyHandled(Exception):
    def __init__(self, task):
        super().__init__(task.pk)
        self.task = task


def _task_already_handled(request, task):
    """A clear answer to a submit that lost the race (double click, two officials at once)."""
    task = type(task)._default_manager.select_related("owner").get(pk=task.pk)
    handled_by = task.owner.get_full_name() if task.owner_id else None
    return render(
        request,
        "flows/task_already_handled.html",
        {"task": task, "handled_by": handled_by, "process_pk": task.process_id},
        status=409,
    )


# What a task page shows of its process, read with it in one statement.
PROCESS_RELATED = ("region", "pengelola__sentra__region", "diusulkan_oleh")


def wrap_scoped_view(flow_task, origin_view):
    """viewflow's ``wrap_view`` with the region scope checked and a lost race answered clearly."""

    def view(request, *args, **kwargs):
        process_pk, task_pk = kwargs.get("process_pk"), kwargs.get("task_pk")
        if process_pk is None or task_pk is None:
            raise ImproperlyConfigured("Task view URL needs <process_pk> and <task_pk>")

        def call_with_activation():
            task = get_object_or_404(flow_task.flow_class.task_class, pk=task_pk, process_id=process_pk)
            if task.flow_task != flow_task:
                raise Http404
            # The process is read once, as the flow's own class with what every task page shows;
            # the activation, the scope check and the page all use this one object. A POST has it
            # already: the process lock read it with the row it locked.
            if "process" in locked:
                process = locked["process"]
            else:
                process = (
                    flow_task.flow_class.process_class._default_manager.select_related(*PROCESS_RELATED)
                    .filter(pk=process_pk)
                    .first()
                )
            if process is None or process.flow_class != flow_task.flow_class:
                raise Http404
            task.process = process
            task._sksentra_region_code = process.region_id
            task._sksentra_sentra_id = process.pengelola.sentra_id
            if task.owner_id is not None and task.owner_id == request.user.pk:
                task.owner = request.user  # viewflow compares the owner with the user: no query for it
            if not task_in_user_scope(request.user, task):
                raise PermissionDenied
            if task.status in (STATUS.DONE, STATUS.CANCELED) and request.method == "POST":
                raise _AlreadyHandled(task)
            request.activation = flow_task.activation_class(task)
            if not flow_task.can_execute(request.user, task=task):
                if task.status in (STATUS.DONE, STATUS.CANCELED):
                    raise _AlreadyHandled(task)
                raise PermissionDenied
            request.activation.start(request)
            return origin_view(request, *args, **kwargs)

        task_class = flow_task.flow_class.task_class

        def still_needed():
            return not task_class._default_manager.filter(
                pk=task_pk, status__in=(STATUS.DONE, STATUS.CANCELED)
            ).exists()

        locked = {}
        try:
            if request.method == "POST":
                token = _still_needed.set(still_needed)
                load = _lock_load.set((PROCESS_RELATED, locked))
                try:
                    with flow_task.flow_class.lock(process_pk), transaction.atomic():
                        return call_with_activation()
                finally:
                    _lock_load.reset(load)
                    _still_needed.reset(token)
            return call_with_activation()
        except NoLongerNeeded:
            task = get_object_or_404(task_class, pk=task_pk, process_id=process_pk)
            if task.flow_task != flow_task or not task_in_user_scope(request.user, task):
                raise PermissionDenied
            return _task_already_handled(request, task)
        except _AlreadyHandled as exc:
            # Answered after the lock is released: a loser holds the process row only for the
            # check, not while its page is rendered.
            return _task_already_handled(request, exc.task)
        except TransitionNotAllowed as exc:
            raise PermissionDenied(",".join(exc.args)) from exc
        except FlowLockFailed:
            messages.error(request, _("Usulan ini sedang diproses pengguna lain. Coba lagi sebentar lagi."))
            return _task_already_handled(request, get_object_or_404(flow_task.flow_class.task_class, pk=task_pk))

    update_wrapper(view, origin_view)
    return view


class ClaimTaskView(AssignTaskView):
    """Take a task from the queue (recorded in the audit trail)."""

    def form_valid(self, form):
        from .services import task_claim

        task_claim(activation=self.request.activation, user=self.request.user)
        return super(AssignTaskView, self).form_valid(form)


class UnclaimTaskView(UnassignTaskView):
    """Put a task back in the queue (recorded in the audit trail)."""

    def form_valid(self, form):
        from .services import task_unclaim

        task_unclaim(activation=self.request.activation, user=self.request.user)
        return super(UnassignTaskView, self).form_valid(form)


class ScopedPermissionsMixin:
    """Every permission of a node also requires the task's kab/kota to be in the user's scope."""

    index_view_class = ScopedUserIndexTaskView
    assign_view_class = ClaimTaskView
    unassign_view_class = UnclaimTaskView

    def can_view(self, user, task):
        return task_in_user_scope(user, task) and super().can_view(user, task)

    def can_execute(self, user, task):
        return task_in_user_scope(user, task) and super().can_execute(user, task) and acts_in_step_region(user, self, task)

    def can_assign(self, user, task):
        return task_in_user_scope(user, task) and super().can_assign(user, task) and acts_in_step_region(user, self, task)

    def can_unassign(self, user, task):
        return task_in_user_scope(user, task) and super().can_unassign(user, task)


class View(ScopedPermissionsMixin, flow.View):
    """A human step whose task is only visible and actionable inside its region."""

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            wrap_scoped_view(self, self.view),
            name="execute",
        )


class _ScopedDetailMixin:
    """Gateway and event nodes: their pages are scoped like the process."""

    index_view_class = ScopedIndexTaskView

    def can_view(self, user, task):
        return task_in_user_scope(user, task) and super().can_view(user, task)


# --- gateways: the same decisions as viewflow's, with fewer statements ------------------------------------


class _WrittenOnceActivation(Activation):
    """A gateway is created, decides and completes in one go (``Activation._activate_next``): its task row
    is written once, already DONE, when it completes, and then linked to the task before it. viewflow
    inserts the row NEW when it creates the activation and updates it DONE a moment later; the rows
    left behind are the same, one UPDATE fewer per gateway."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous_task = prev_activation.task
        return activation

    # viewflow keeps activations in sets, hashed by their task's key: this one has none until it
    # completes, and each is created once, so it is itself.
    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other

    @Activation.status.super()
    def complete(self):
        super().complete.original()  # the task's one INSERT (finished, DONE)
        previous, self._previous_task = getattr(self, "_previous_task", None), None
        if previous is not None:
            self.task.previous.add(previous)


class _ThroughGateway:
    """What the node after a pass-through gateway is created from (viewflow's ``prev_activation``): the
    gateway's process, and as the new task's ``previous`` the task before the gateway."""

    __slots__ = ("process", "task")

    def __init__(self, activation):
        self.process = activation.process
        self.task = activation._previous_task


class _PassThroughActivation(_WrittenOnceActivation):
    """An exclusive gateway (``Switch``, ``If``) that keeps no row. Its row would only say "the token
    passed here" at the moment the decision before it was recorded, and that decision is recorded
    already (``Keputusan``, its audit event): the gateway decides where the token goes, and the task
    it opens is linked to the task before it (``previous``), so the process's task graph stays
    connected. Two statements fewer per decision; the chart still draws the gateway. With no rows it
    has no pages: its nodes (``Switch``, ``If`` below) mount none.

    A condition that raises with ``propagate_exception`` off (a background trigger) still leaves an
    ERROR row for an administrator (viewflow's ``exception_guard`` saves the task); in a request the
    error propagates and the whole decision rolls back."""

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    def _through(self):
        return _ThroughGateway(self)


class SwitchPassThrough(_PassThroughActivation, SwitchActivation):
    @Activation.status.super()
    def create_next(self):
        yield self.next_task._create(self._through(), self.task.token)


class IfPassThrough(_PassThroughActivation, IfActivation):
    @Activation.status.super()
    def create_next(self):
        flow_task = self.flow_task
        if self._condition_result:
            node, data_source, seed_source = flow_task._on_true, flow_task._on_true_data, flow_task._on_true_seed
        else:
            node, data_source, seed_source = flow_task._on_false, flow_task._on_false_data, flow_task._on_false_seed
        if node:
            yield node._create(
                self._through(), self.task.token,
                data=data_source(self) if data_source else None, seed=seed_source(self) if seed_source else None,
            )


class SplitWrittenOnce(_WrittenOnceActivation, SplitActivation):
    pass


class EndWrittenOnce(_WrittenOnceActivation, EndActivation):
    """The End node finishes the process when it activates and completes right after: its row too is
    written once, DONE."""


class JoinReadOnce(JoinActivation):
    """viewflow's join, reading what it needs in one statement per arrival.

    viewflow asks "have all branches arrived?" three times per arrival (``complete.can_proceed``, the
    transition's condition, the body), two statements each (the branches' tokens, then the branches
    still running), after a statement looking for the join's own row, and reloads the process (twice:
    the base row, then the flow's own) that the arriving branch already holds. Here one statement
    reads the join's row and the branches still running together, under the process lock (nothing
    changes in between). The branches' token prefix is the arriving branch's: a join closes the one
    split its branches came from, so every branch shares it (viewflow reads the prefix of every branch
    arrived before, only to refuse a join fed by two splits; this flow has none). A join created by the
    first branch is inserted already started instead of being inserted and then updated. A cancelled
    or revived branch arriving (an administrator's repair) takes viewflow's own way."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        arrived = prev_activation.task
        if arrived.status in (STATUS.CANCELED, STATUS.REVIVED):
            return super().create(flow_task, prev_activation, token, data, seed)
        task_class = flow_task.flow_class.task_class
        join_token = token.get_base_split_token() if token.is_split_token() else token
        prefix = arrived.token.get_common_split_prefix(join_token, arrived.pk)
        own = Q(flow_task=flow_task, status__in=[STATUS.NEW, STATUS.STARTED])
        running = Q(token__startswith=prefix) & ~Q(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        rows = list(task_class._default_manager.filter(own | running, process=prev_activation.process))
        joins = [t for t in rows if t.flow_task == flow_task and t.status in (STATUS.NEW, STATUS.STARTED)]
        if len(joins) > 1:
            return super().create(flow_task, prev_activation, token, data, seed)  # viewflow's own error
        if joins:
            task = joins[0]
            task.process = prev_activation.process  # the process the arriving branch holds: no reload
        else:
            task = task_class(process=prev_activation.process, flow_task=flow_task, token=join_token)
            task.data = data if data is not None else {}
            task.seed = seed
            task.status, task.started = STATUS.STARTED, now()  # what ``activate`` would write next
            task.save()
        task.previous.add(arrived)
        activation = cls(task)
        activation._prefixes = {prefix}
        if not flow_task._continue_on_condition:
            activation._done = not [t for t in rows if t not in joins and str(t.token).startswith(prefix)]
        return activation

    def _join_token_prefixes(self):
        if getattr(self, "_prefixes", None) is None:
            self._prefixes = super()._join_token_prefixes()
        return self._prefixes

    def is_done(self):
        if getattr(self, "_done", None) is None:
            self._done = super().is_done()
        return self._done


class Switch(gateway_nodes.Switch):
    """viewflow's exclusive gateway, passed through without a row and without pages (``SwitchPassThrough``)."""

    activation_class = SwitchPassThrough


class If(gateway_nodes.If):
    """viewflow's If gateway, passed through without a row and without pages (``IfPassThrough``)."""

    activation_class = IfPassThrough


class Split(_ScopedDetailMixin, flow.Split):
    activation_class = SplitWrittenOnce


class Join(_ScopedDetailMixin, flow.Join):
    activation_class = JoinReadOnce


class End(_ScopedDetailMixin, flow.End):
    activation_class = EndWrittenOnce


class Start(flow.Start):
    """The pengusul's start: only for users attached to a kab/kota (the proposal's region is theirs)."""

    index_view_class = ScopedIndexTaskView

    def can_execute(self, user, task=None):
        region = getattr(user, "region", None)
        return region is not None and not region.is_province and super().can_execute(user, task)

    def can_view(self, user, task):
        return task_in_user_scope(user, task) and super().can_view(user, task)


class SKStart(Start):
    """A start on a recorded SK (amend, renew or revoke it): ``<node>/<sk_pk>/``. The view looks the SK
    up in the user's region scope (another region's SK is a 404)."""

    @property
    def start_view_path(self):
        return path(f"{self.name}/<int:sk_pk>/", wrap_start_view(self, self.start_view), name="execute")
