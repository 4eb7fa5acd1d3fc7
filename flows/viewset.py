"""viewflow's frontend for the legalisation flow, with every list and page held to the region scope.

viewflow's stock views read ``_default_manager.all()``; each one used here is narrowed to what the
user may see (the dashboard goes through ``LegalisasiTask.objects.filter_available``, which is scoped
itself). A test walks every URL of the site as an official of another region to keep it so.

The inbox, queue and archive are our own light pages (``flows.task_lists``, ``flows/task_list.html``):
a fixed number of queries and a bounded page whatever the number of tasks, no session write on GET.
The menu's inbox/queue badge numbers are dropped (``templates/viewflow/workflow/flow_menu.html``).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import RedirectView, TemplateView
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as vf_views
from viewflow.workflow.status import STATUS

from accounts.selectors import user_is_read_only

from . import selectors, services, task_lists
from .models import LegalisasiProcess, LegalisasiTask, Tahap


class _TaskListPage(LoginRequiredMixin, TemplateView):
    """Inbox, queue and archive: one query for the page, no COUNT, no per-row query, no session write.

    viewflow's stock list views store the path in the session on every GET (a session write per
    page view) and cost queries and HTML that grow with the data; see ``flows.task_lists``.
    Claiming and releasing one task are viewflow's views wrapped by ``flows.nodes`` (scope, lock,
    audit event); claiming or releasing the ticked tasks is ``BulkClaimView`` / ``BulkUnclaimView``.
    """

    flow_class = None
    viewset = None
    template_name = "flows/task_list.html"
    list_name = ""
    title = ""
    selector = None
    bulk_path = None  # viewflow's bulk claim/unclaim page for this list

    def get_context_data(self, **kwargs):
        nodes = task_lists.human_nodes(self.flow_class)
        step = self.request.GET.get("langkah") or None
        if step not in {node.name for node in nodes}:
            step = None
        page_number = task_lists.page_number(self.request.GET.get("halaman"))
        page = task_lists.task_page(type(self).selector(self.flow_class, self.request.user, step), page_number)
        self._link_rows(page.rows, self.row_action, claimable=self.list_name == "queue")
        return {
            **super().get_context_data(**kwargs),
            "title": self.title,
            "list_name": self.list_name,
            "page": page,
            "steps": [(node.name, str(node.task_title)) for node in nodes],
            "step": step,
            "bulk_url": self.bulk_path,
            "can_start": self.flow_class.usulan.can_execute(self.request.user),
        }

    @staticmethod
    def _link_rows(rows, action: str, claimable: bool) -> None:
        for row in rows:
            task = row.task
            row.url = task.flow_task.reverse(action, args=[task.process_id, task.pk])
            if claimable:
                # "Ambil" claims, then opens the task's form (LegalisasiViewset.get_success_url).
                row.claim_url = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
            row.process_url = f"/legalisasi/{task.process_id}/"



class InboxView(_TaskListPage):
    """The official's own tasks, and below them the tasks of their role and region waiting to be claimed
    (the first page of the queue, with how many there are), so that nothing to act on hides in the queue."""

    title = _("Kotak masuk")
    list_name = "inbox"
    selector = staticmethod(task_lists.inbox_tasks)
    row_action = "execute"
    bulk_path = "unassign/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claimable = task_lists.task_page(task_lists.queue_tasks(self.flow_class, self.request.user, context["step"]), 1)
        self._link_rows(claimable.rows, "index", claimable=True)
        context["claimable"] = claimable
        return context


class QueueView(_TaskListPage):
    title = _("Antrean")
    list_name = "queue"
    selector = staticmethod(task_lists.queue_tasks)
    row_action = "index"
    bulk_path = "assign/"


class ArchiveView(_TaskListPage):
    title = _("Arsip")
    list_name = "archive"
    selector = staticmethod(task_lists.archive_tasks)
    row_action = "detail"


class _BulkTaskActionView(LoginRequiredMixin, View):
    """Claim (queue) or release (inbox) the ticked tasks, each as its single action would: only tasks
    in the user's scope, each under its process lock, re-checked against its node's permission and
    recorded by the same service (and audit event). The list is the confirmation: no page lists tasks.

    Replaces viewflow's bulk views, whose confirmation page listed tasks of every region and whose
    claims left no audit event.
    """

    http_method_names = ["post"]
    flow_class = None
    viewset = None
    list_name = ""

    allowed = ""  # the node's check for the single action: ``can_assign`` or ``can_unassign``
    service = None  # the single action's service: ``services.task_claim`` or ``task_unclaim``

    def act(self, activation, user) -> bool:
        task = activation.task
        if not getattr(task.flow_task, self.allowed)(user, task):
            return False
        self.service(activation=activation, user=user)
        return True

    def post(self, request, *args, **kwargs):
        ids = task_lists.ids_from(request.POST.getlist("pk"))
        candidates = list(
            LegalisasiTask.objects.visible_to(request.user)
            .filter(pk__in=ids, flow_task_type="HUMAN", process__flow_class=self.flow_class)
            .values_list("pk", "process_id")
        )
        done = refused = 0
        for task_pk, process_pk in candidates:
            try:
                with self.flow_class.lock(process_pk), transaction.atomic():
                    task = LegalisasiTask.objects.get(pk=task_pk)
                    with task.activation() as activation:
                        if self.act(activation, request.user):
                            done += 1
                        else:
                            refused += 1
            except (FlowLockFailed, TransitionNotAllowed):
                refused += 1
        refused += len(set(ids)) - len(candidates)
        if done:
            messages.success(request, self.done_message % {"count": done})
        if refused or not ids:
            messages.warning(request, self.refused_message % {"count": refused} if ids else _("Tidak ada tugas yang dipilih."))
        return HttpResponseRedirect(reverse(f"{self.request.resolver_match.namespace}:{self.list_name}"))


class BulkClaimView(_BulkTaskActionView):
    list_name = "queue"
    allowed = "can_assign"
    service = staticmethod(services.task_claim)
    done_message = _("%(count)d tugas diambil.")
    refused_message = _("%(count)d tugas tidak dapat diambil: sudah diambil orang lain, selesai, atau bukan untuk peran Anda.")


class BulkUnclaimView(_BulkTaskActionView):
    list_name = "inbox"
    allowed = "can_unassign"
    service = staticmethod(services.task_unclaim)
    done_message = _("%(count)d tugas dilepas ke antrean.")
    refused_message = _("%(count)d tugas tidak dapat dilepas: bukan tugas Anda atau sudah selesai.")


class HomeView(LoginRequiredMixin, RedirectView):
    """The flow's front page (and the site's, after login): auditors to their pages, everyone else to
    their inbox. viewflow's kanban dashboard is not offered: it queries and renders every step's
    tasks on every visit, the opposite of a light page on a phone."""

    def get_redirect_url(self, *args, **kwargs):
        return reverse("audit:search") if user_is_read_only(self.request.user) else reverse("legalisasi:inbox")


class ProposalListView(LoginRequiredMixin, TemplateView):
    """The proposals in the user's region scope (the "Usulan" page), light like the inbox: one query for
    the page, no COUNT, the stage filter from the fixed list of stages."""

    template_name = "flows/proposal_list.html"
    flow_class = None
    viewset = None

    def get_context_data(self, **kwargs):
        tahap = self.request.GET.get("tahap") or None
        if tahap not in Tahap.values:
            tahap = None
        page_number = task_lists.page_number(self.request.GET.get("halaman"))
        return {
            **super().get_context_data(**kwargs),
            "title": _("Usulan"),
            "list_name": "proposals",
            "page": task_lists.proposal_page(task_lists.proposals(self.request.user, tahap), page_number),
            "stages": Tahap.choices,
            "tahap": tahap,
            "can_start": self.flow_class.usulan.can_execute(self.request.user),
        }


class ProcessDetailView(vf_views.DetailProcessView):
    def get_queryset(self):
        return LegalisasiProcess.objects.visible_to(self.request.user).filter(flow_class=self.flow_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposal"] = selectors.proposal_summary(self.object)
        context["task_list"] = context["task_list"].select_related("owner")
        return context


class ProcessChartView(vf_views.FlowChartView):
    def dispatch(self, request, *args, **kwargs):
        process_pk = kwargs.get("process_pk")
        if process_pk is not None:
            process = get_object_or_404(LegalisasiProcess.objects.visible_to(request.user), pk=process_pk)
            if not self.flow_class.instance.has_view_permission(request.user, obj=process):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProcessCancelView(vf_views.CancelProcessView):
    def get_queryset(self):
        return LegalisasiProcess.objects.visible_to(self.request.user).filter(flow_class=self.flow_class)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if "_cancel_process" in request.POST and self.object.status not in ("DONE", "CANCELED") and self.can_cancel:
            from viewflow.workflow.exceptions import FlowRuntimeError

            from .services import process_cancel

            try:
                process_cancel(process=self.object, user=request.user)
            except FlowRuntimeError:
                return self._cannot_cancel()
            return HttpResponseRedirect("../")
        return super().post(request, *args, **kwargs)


class LegalisasiViewset(FlowAppViewset):
    """The flow's pages; viewflow's stock "all tasks" list is not mounted (nobody links it, and the
    inbox, queue, archive and proposals pages cover it within the scope)."""

    dashboard_view_class = HomeView
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    tasks_assign_view_class = BulkClaimView
    tasks_unassign_view_class = BulkUnclaimView
    process_list_view_class = ProposalListView
    process_detail_view_class = ProcessDetailView
    chart_view_class = ProcessChartView
    process_cancel_view_class = ProcessCancelView
    task_list_path = None

    def get_success_url(self, request):
        """After claiming a task ("Ambil"), straight to its form; otherwise viewflow's choice."""
        activation = getattr(request, "activation", None)
        task = getattr(activation, "task", None)
        if (
            task is not None
            and task.status == STATUS.ASSIGNED
            and task.owner_id == request.user.pk
            and task.flow_task.can_execute(request.user, task)
        ):
            return task.flow_task.reverse("execute", args=[task.process_id, task.pk])
        return super().get_success_url(request)
