"""The pengelola's periodic report, as a BPMN process on viewflow (``flows.laporan`` holds the rules).

Opened by the beat job for each period and sentra (``start``); the pengelola submits (``laporan``),
the kab/kota Disperindag reviews (``reviu_laporan``): accepted ends it, returned goes to the
pengelola's revision (``perbaikan_laporan``) and back to the review. The task pages are the
report's own pages (``flows.laporan_views``, under ``/laporan/``), which drive these nodes' activations
under the process lock.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from accounts.scope import can_see

from . import laporan, laporan_views, nodes
from .models import LaporanProcess, LaporanTask, StatusLaporan
from .steps import STEP


class LaporanFlow(flow.Flow):
    """Laporan Berkala Pengelola Sentra IKM

    Laporan berkala pengelola atas sentra dan aset DAK yang digunakannya, direviu Disperindag kabupaten/kota.
    """

    process_class = LaporanProcess
    task_class = LaporanTask
    lock_impl = nodes.ProcessRowLock()

    process_summary_template = "{{ process.sentra.name }} — {{ process.periode }} ({{ process.get_status_laporan_display }})"

    start = flow.StartHandle(this.start_period).Annotation(title=_("Periode laporan berakhir")).Next(this.laporan)

    # pengelola: submits the period's report
    laporan = (
        nodes.View(laporan_views.laporan_task)
        .Annotation(title=STEP["laporan"].title)
        .Permission(auto_create=True)
        .onCreate(this.task_created)
        .Next(this.reviu_laporan)
    )

    # verifikator_dinas (Disperindag kab/kota): accepts, or returns with a note
    reviu_laporan = (
        nodes.View(laporan_views.laporan_task)
        .Annotation(title=STEP["reviu_laporan"].title)
        .Permission(auto_create=True)
        .Assign(lambda activation: laporan.sole_reviewer(activation.process))
        .onCreate(this.task_created)
        .Next(this.check_reviu)
    )

    check_reviu = (
        nodes.If(lambda activation: activation.process.status_laporan == StatusLaporan.DITERIMA)
        .Annotation(title=_("Laporan diterima?"))
        .Then(this.diterima)
        .Else(this.perbaikan_laporan)
    )

    # pengelola: revises the returned report, back to the review
    perbaikan_laporan = (
        nodes.View(laporan_views.laporan_task)
        .Annotation(title=STEP["perbaikan_laporan"].title)
        .Permission(auto_create=True)
        .onCreate(this.task_created)
        .Next(this.reviu_laporan)
    )

    diterima = nodes.End().Annotation(title=_("Laporan diterima"))

    def start_period(self, activation, **kwargs):
        return laporan.laporan_start(activation, **kwargs)

    def task_created(self, activation):
        laporan.task_created(task=activation.task, process=activation.process)

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user):
            return False
        return obj is None or can_see(user, obj.region_id, obj.sentra_id)

    def has_manage_permission(self, user, obj=None):
        return user.is_superuser
