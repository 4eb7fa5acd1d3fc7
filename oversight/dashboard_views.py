"""The province dashboard page, for the province's officials, auditors and administrators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from flows import laporan
from flows.laporan_forms import PeriodeForm

from . import dashboard
from .charts import dashboard_charts


@require_safe
@login_required
def province_dashboard(request):
    """The FGD's indicator (DAK sentra without a pengelola ber-SK) first, then each kab/kota at a glance:
    sentra, pengelola with an SK in force, proposals in progress, overdue steps (the user's region scope)."""
    if not dashboard.user_can_view_province_dashboard(request.user):
        raise PermissionDenied
    data = dashboard.province_dashboard(request.user)
    return render(request, "sentra/province_dashboard.html", {
        "data": data, "charts": dashboard_charts(data), "agreements": dashboard.agreements_ending(request.user),
        **_report_compliance(request)})


def _report_compliance(request) -> dict:
    """The pengelola's periodic reports per kab/kota of the user's scope for the period asked
    (``?periode=2026-S1``; the latest ended period by default): due, received, accepted, late
    (``flows.laporan.compliance``)."""
    form = PeriodeForm(request.GET or None)
    period = None
    if form.is_valid() and form.cleaned_data.get("periode"):
        period = laporan.period_by_label(form.cleaned_data["periode"])
    period = period or laporan.period_last_ended(timezone.localdate())
    return {"laporan": laporan.compliance(request.user, period),
            "laporan_form": PeriodeForm(initial={"periode": period.label})}
