"""Downloads of the register's files, held to the same region scope as the proposals."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from accounts.selectors import user_can_see_region

from .models import SK, Dokumen


def _file_response(user, region_code: str, fieldfile, download_name: str, *, obj=None) -> FileResponse:
    if not user_can_see_region(user, region_code):
        raise PermissionDenied
    if obj is not None:
        from audit.services import document_downloaded

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
    dokumen = get_object_or_404(Dokumen.objects.select_related("pengelola__sentra"), pk=pk)
    name = f"{dokumen.jenis}-{dokumen.pengelola_id}.pdf"
    return _file_response(request.user, dokumen.pengelola.sentra.region_id, dokumen.file, name, obj=dokumen)


@require_safe
@login_required
def sk_download(request, pk: int):
    sk = get_object_or_404(SK.objects.select_related("pengelola__sentra"), pk=pk)
    return _file_response(request.user, sk.pengelola.sentra.region_id, sk.file, f"sk-{sk.pk}.pdf", obj=sk)
