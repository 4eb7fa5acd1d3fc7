"""viewflow's frontend for the legalisation flow, with every list and page held to the region scope.

viewflow's stock views read ``_default_manager.all()``; each one used here is narrowed to what the
user may see (the dashboard goes through ``LegalisasiTask.objects.filter_available``, which is scoped
itself). A test walks every URL of the site as an official of another region to keep it so.

The inbox, queue and archive are our own light pages (``flows.task_lists``, ``flows/task_list.html``):
a fixed number of queries and a bounded page whatever the number of tasks, no session write on GET.
The menu's inbox/queue badge numbers are dropped (``templates/viewflow/workflow/flow_menu.html``).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView, TemplateView
from viewflow.utils import viewprop
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as vf_views

from accounts.selectors import user_is_read_only

from . import selectors, task_lists
from .models import LegalisasiProcess, LegalisasiTask, Tahap


class _ScopedTasksMixin:
    """Narrow a stock task list to the user's region scope."""

    @viewprop
    def queryset(self):
        return super().queryset.filter(pk__in=LegalisasiTask.objects.visible_to(self.request.user).values("pk"))


class _TaskListPage(LoginRequiredMixin, TemplateView):
    """Inbox, queue and archive: one query for the page, no COUNT, no per-row query, no session write.

    viewflow's stock list views store the path in the session on every GET (a session write per
    page view) and cost queries and HTML that grow with the data; see ``flows.task_lists``.
    The claim/unclaim/bulk actions stay viewflow's own views (``assign``, ``unassign``,
    ``queue/assign/``, ``inbox/unassign/``), which re-check every permission and the region scope.
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
        for row in page.rows:
            task = row.task
            row.url = task.flow_task.reverse(self.row_action, args=[task.process_id, task.pk])
            if self.list_name == "queue":
                row.claim_url = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
            row.process_url = f"../{task.process_id}/"
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



class InboxView(_TaskListPage):
    title = _("Kotak masuk")
    list_name = "inbox"
    selector = staticmethod(task_lists.inbox_tasks)
    row_action = "execute"
    bulk_path = "unassign/"


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


class TaskListView(_ScopedTasksMixin, vf_views.DashboardTaskListView):
    pass


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
    dashboard_view_class = HomeView
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    task_list_view_class = TaskListView
    process_list_view_class = ProposalListView
    process_detail_view_class = ProcessDetailView
    chart_view_class = ProcessChartView
    process_cancel_view_class = ProcessCancelView
