"""The province dashboard page, for the province's officials, auditors and administrators."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_safe

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
    return render(request, "sentra/province_dashboard.html", {"data": data, "charts": dashboard_charts(data)})
