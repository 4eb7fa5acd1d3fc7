"""viewflow's frontend for the legalisation flow, with every list and page held to the region scope.

viewflow's stock views read ``_default_manager.all()``; each one used here is narrowed to what the
user may see (the dashboard and the menu badges go through ``LegalisasiTask.objects.filter_available``,
which is scoped itself). A test walks every URL of the site as an official of another region to keep it so.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from viewflow.utils import viewprop
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow import views as vf_views

from accounts.selectors import region_scope_q

from . import deadlines, selectors
from .calendar import BusinessCalendar
from .models import LegalisasiProcess


TASK_REGION = "process__legalisasiprocess__region"


class _ScopedTasksMixin:
    """Narrow a stock task list to the user's region scope."""

    @viewprop
    def queryset(self):
        return super().queryset.filter(region_scope_q(self.request.user, TASK_REGION))


class _DeadlineColumnMixin:
    """A column with the due date and the working days left; overdue tasks stand out."""

    @viewprop
    def queryset(self):
        return super().queryset.select_related("deadline__process__region")

    def due(self, task):
        deadline = getattr(task, "deadline", None)
        if deadline is None:
            return "—"
        region = deadline.process.region
        calendars = self.__dict__.setdefault("_calendars", {})
        if region.code not in calendars:
            calendars[region.code] = BusinessCalendar(region)
        label = deadlines.deadline_label(deadline, calendars[region.code], timezone.localdate())
        return format_html(
            '<span class="sk-due sk-due--{}">{} · {}</span>',
            label["state"], date_format(label["due_on"], "j M Y"), label["text"],
        )

    due.short_description = _("Batas waktu")


class InboxView(_DeadlineColumnMixin, _ScopedTasksMixin, vf_views.FlowInboxListView):
    title = _("Kotak masuk")
    columns = ("task_id", "task_title", "brief", "due", "created")


class QueueView(_DeadlineColumnMixin, _ScopedTasksMixin, vf_views.FlowQueueListView):
    title = _("Antrean")
    columns = ("task_id", "task_title", "brief", "due", "created")


class ArchiveView(_ScopedTasksMixin, vf_views.FlowArchiveListView):
    title = _("Arsip")


class TaskListView(_ScopedTasksMixin, vf_views.DashboardTaskListView):
    pass


class ProcessListView(vf_views.DashboardProcessListView):
    def get_queryset(self):
        return super().get_queryset().filter(region_scope_q(self.request.user, "region"))


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
            process = get_object_or_404(LegalisasiProcess, pk=process_pk)
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
    inbox_view_class = InboxView
    queue_view_class = QueueView
    archive_view_class = ArchiveView
    task_list_view_class = TaskListView
    process_list_view_class = ProcessListView
    process_detail_view_class = ProcessDetailView
    chart_view_class = ProcessChartView
    process_cancel_view_class = ProcessCancelView
