"""Pages for officials: the search box (every official with a region) and the service-level report
(a kab/kota's pimpinan, the province's pencatat and pimpinan, administrators). Both read only through
the region scope; a refused filter answers 422 with its message."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from core.http import XLSX, attachment

from .forms import SearchForm, ServiceLevelFilterForm
from .search import official_search
from .service_level_exports import service_level_charts, service_levels_filename, service_levels_xlsx
from .service_levels import service_level_report, user_can_view_service_levels


def user_can_search(user) -> bool:
    """Officials attached to a region (and administrators): each finds what their scope holds."""
    return user.is_authenticated and (user.is_superuser or user.region_id is not None)


@require_safe
@login_required
def search(request):
    if not user_can_search(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    results, status = None, 200
    if form.is_bound:
        if form.is_valid():
            results = official_search(request.user, form.cleaned_data["q"])
            if results.query.error:
                form.add_error("q", results.query.error)
        if form.errors:
            status = 422
    return TemplateResponse(request, "oversight/search.html", {"form": form, "results": results}, status=status)


def _report_or_refusal(request):
    if not user_can_view_service_levels(request.user):
        raise PermissionDenied
    form = ServiceLevelFilterForm(request.GET or None, user=request.user)
    if not form.is_bound:
        form = ServiceLevelFilterForm({}, user=request.user)  # the default period
    if not form.is_valid():
        return form, None
    return form, service_level_report(request.user, **form.period())


@require_safe
@login_required
def service_levels(request):
    form, report = _report_or_refusal(request)
    context = {"form": form, "report": report, "charts": service_level_charts(report) if report else [],
               "query": request.GET.urlencode()}
    return TemplateResponse(request, "oversight/service_levels.html", context, status=200 if report else 422)


@require_safe
@login_required
def service_levels_export(request):
    form, report = _report_or_refusal(request)
    if report is None:
        return TemplateResponse(request, "oversight/service_levels.html", {"form": form, "report": None}, status=422)
    response = attachment(service_levels_xlsx(report), XLSX, service_levels_filename(report))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
