"""URLconf for bench/inbox.py: the site as deployed, plus viewflow's stock inbox, queue and process list
views over the same flow (region-scoped like ours, so both list the same rows) under /legalisasi/stock/."""

from django.urls import path
from viewflow.urls import Site
from viewflow.utils import viewprop
from viewflow.workflow.flow import views as vf_views

from flows import viewset as flows_viewset
from flows.flows import LegalisasiFlow
from flows.models import LegalisasiProcess, LegalisasiTask
from workflow_project import urls as project_urls


class _ScopedTasksMixin:
    """Narrow a stock task list to the user's region scope (as the site's own lists are)."""

    @viewprop
    def queryset(self):
        return super().queryset.filter(pk__in=LegalisasiTask.objects.visible_to(self.request.user).values("pk"))


class StockInbox(_ScopedTasksMixin, vf_views.FlowInboxListView):
    pass


class StockQueue(_ScopedTasksMixin, vf_views.FlowQueueListView):
    pass


class StockProcessList(vf_views.DashboardProcessListView):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=LegalisasiProcess.objects.visible_to(self.request.user).values("pk"))


class LegalisasiViewset(flows_viewset.LegalisasiViewset):  # same name: the URL prefix follows it
    @viewprop
    def stock_inbox_path(self):
        return path("stock/inbox/", StockInbox.as_view(flow_class=self._flow_class, viewset=self), name="stock_inbox")

    @viewprop
    def stock_queue_path(self):
        return path("stock/queue/", StockQueue.as_view(flow_class=self._flow_class, viewset=self), name="stock_queue")


    @viewprop
    def stock_flows_path(self):
        return path("stock/flows/", StockProcessList.as_view(flow_class=self._flow_class, viewset=self), name="stock_flows")


# The site's other applications as deployed (the menu links them), with the bench's legalisation viewset.
site = Site(title="SK Sentra", viewsets=[LegalisasiViewset(LegalisasiFlow, icon="assignment"),
                                         project_urls.RegisterApp(), project_urls.LaporanApp()])

urlpatterns = [p for p in project_urls.urlpatterns if str(p.pattern) != ""] + [path("", site.urls)]
