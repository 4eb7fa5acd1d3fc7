"""The register's pages and files for logged-in officials: documents and signed SKs of a proposal,
the register and its export, a register entry's summary. Each checks who may see what and calls one
selector or document function."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit.services import document_downloaded

from .. import selectors
from ..documents import RenderedFile, register_summary_render
from ..exports import register_xlsx
from ..forms import RegisterFilterForm
from ..models import SK, Dokumen

REGISTER_PAGE_SIZE = 50


@require_safe
@login_required
def register_summary_download(request, pk: int):
    """A register entry's one-page summary with its verification QR code."""
    sk = get_object_or_404(SK.objects.visible_to(request.user).select_related("region__parent", "pengelola__sentra"), pk=pk)
    if not sk.is_registered:
        raise Http404
    return register_summary_render(sk).http_response(inline=True)


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
        },
    )


@require_safe
@login_required
def register_export(request):
    """The filtered register as an Excel workbook."""
    form = RegisterFilterForm(request.GET or None, user=request.user)
    entries = selectors.register_entries_with_counts(selectors.register_entries(user=request.user, **form.filters()))
    name = f"register-sk-sentra-{timezone.localdate():%Y%m%d}.xlsx"
    return RenderedFile(
        register_xlsx(entries), name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ).http_response()


def _file_response(user, fieldfile, download_name: str, *, obj) -> FileResponse:
    document_downloaded(user=user, obj=obj)
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=download_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def dokumen_download(request, pk: int):
    dokumen = get_object_or_404(Dokumen.objects.visible_to(request.user).select_related("pengelola"), pk=pk)
    name = f"{dokumen.jenis}-{dokumen.pengelola_id}.pdf"
    return _file_response(request.user, dokumen.file, name, obj=dokumen)


@require_safe
@login_required
def sk_download(request, pk: int):
    sk = get_object_or_404(SK.objects.visible_to(request.user).select_related("pengelola"), pk=pk)
    return _file_response(request.user, sk.file, f"sk-{sk.pk}.pdf", obj=sk)
