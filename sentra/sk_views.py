"""Pages and files of the SK register for logged-in officials: the draft SK, the register and its
export, a register entry's summary, and the province dashboard. Each checks who may see what and
calls one selector or document function."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.selectors import user_can_see_region

from . import selectors
from .charts import dashboard_charts
from .documents import RenderedFile, register_summary_render, sk_draft_render
from .exports import register_xlsx
from .forms import RegisterFilterForm
from .models import SK

REGISTER_PAGE_SIZE = 50


def _file(rendered: RenderedFile, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{rendered.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def sk_draft_download(request, process_pk: int, fmt: str):
    """The draft SK of a proposal (DOCX or PDF), for those who may view the proposal."""
    from flows.flows import LegalisasiFlow
    from flows.models import LegalisasiProcess

    process = get_object_or_404(LegalisasiProcess.objects.select_related("pengelola__sentra__region"), pk=process_pk)
    if not LegalisasiFlow.instance.has_view_permission(request.user, obj=process):
        raise PermissionDenied
    return _file(sk_draft_render(pengelola=process.pengelola, fmt=fmt))


@require_safe
@login_required
def register_summary_download(request, pk: int):
    """A register entry's one-page summary with its verification QR code."""
    sk = get_object_or_404(SK.objects.select_related("region__parent", "pengelola__sentra"), pk=pk)
    if not user_can_see_region(request.user, sk.region_id):
        raise PermissionDenied
    if not sk.is_registered:
        raise Http404
    return _file(register_summary_render(sk), inline=True)


@require_safe
@login_required
def register_list(request):
    """The provincial register, filtered, a page at a time."""
    form = RegisterFilterForm(request.GET or None, user=request.user)
    entries = selectors.register_entries(user=request.user, **form.filters())
    page = Paginator(entries, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sentra/register_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_see_dashboard": selectors.user_can_view_province_dashboard(request.user),
        },
    )


@require_safe
@login_required
def register_export(request):
    """The filtered register as an Excel workbook."""
    form = RegisterFilterForm(request.GET or None, user=request.user)
    entries = selectors.register_entries_with_counts(selectors.register_entries(user=request.user, **form.filters()))
    name = f"register-sk-sentra-{timezone.localdate():%Y%m%d}.xlsx"
    return _file(
        RenderedFile(register_xlsx(entries), name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )


@require_safe
@login_required
def province_dashboard(request):
    """Each kab/kota at a glance: sentra, pengelola with an SK in force, proposals in progress, overdue steps."""
    if not selectors.user_can_view_province_dashboard(request.user):
        raise PermissionDenied
    data = selectors.province_dashboard(selectors.dashboard_province(request.user))
    return render(request, "sentra/province_dashboard.html", {"data": data, "charts": dashboard_charts(data)})
