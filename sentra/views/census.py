"""The census of IKM members (``/anggota/``): the sentra and their members, the Excel import with its
report and progress bar, the exports. Every object is read through ``visible_to`` (another region's
sentra or import is a 404); each view calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.selectors import personal_masked, user_keeps_census, user_sees_personal_data
from audit.services import event_record
from core.errors import RuleViolation
from core.http import XLSX, attachment

from .. import census, selectors
from ..exports import anggota_csv_lines, anggota_xlsx
from ..forms import AnggotaExportForm, ImporAnggotaForm
from ..models import ImporAnggota, Sentra

PAGE_SIZE = 50


def _may_import(user, sentra: Sentra) -> bool:
    # visible_to already holds the sentra to the user's scope; a provincial desk reads, the kab/kota imports.
    return user_keeps_census(user) and (user.is_superuser or user.region_id == sentra.region_id)


def _import_allowed(request, sentra: Sentra) -> None:
    if not _may_import(request.user, sentra):
        raise PermissionDenied(_("Impor anggota dilakukan oleh pengusul atau verifikator Disperindag kabupaten/kota."))


@require_safe
@login_required
def census_index(request):
    """The sentra of the user's scope with their number of members; exports of a kab/kota or of all."""
    form = AnggotaExportForm(request.GET or None, user=request.user)
    region_code = form.cleaned_data.get("wilayah") if form.is_bound and form.is_valid() else None
    page = Paginator(selectors.census_sentra(user=request.user, region_code=region_code), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "sentra/census_index.html", {"form": form, "page": page, "region_code": region_code or ""})


@require_safe
@login_required
def census_export(request, pk: int | None = None):
    """The members of a sentra (``pk``), of a kab/kota (``?wilayah=``) or of the whole scope, as .xlsx or CSV."""
    form = AnggotaExportForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "sentra/census_index.html",
                      {"form": form, "page": Paginator([], PAGE_SIZE).get_page(1), "region_code": ""}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    sentra = get_object_or_404(Sentra.objects.visible_to(request.user), pk=pk) if pk is not None else None
    region_code = None if sentra else (data.get("wilayah") or None)
    members = selectors.census_members(user=request.user, sentra=sentra, region_code=region_code)
    personal = user_sees_personal_data(request.user)
    fmt = data.get("format") or "xlsx"
    scope = f"sentra-{sentra.pk}" if sentra else (region_code or "semua")
    name = f"anggota-ikm-{scope}-{timezone.localdate():%Y%m%d}.{fmt}"
    event_record(action=census.AUDIT_EXPORT, actor=request.user, obj=sentra,
                 details={"format": fmt, "wilayah": region_code or "", "nik": personal})
    if fmt == "csv":
        response = StreamingHttpResponse(anggota_csv_lines(members.iterator(chunk_size=2000), personal=personal),
                                         content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(anggota_xlsx(members.iterator(chunk_size=2000), personal=personal), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def census_template(request):
    """The empty workbook to fill in."""
    return attachment(census.template_xlsx(), XLSX, "templat-anggota-ikm.xlsx")


@require_safe
@login_required
def sentra_members(request, pk: int):
    """A sentra's members, whether the Lampiran of its SK still lists them, its imports."""
    sentra = get_object_or_404(Sentra.objects.visible_to(request.user).select_related("region"), pk=pk)
    members = selectors.census_members(user=request.user, sentra=sentra)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    personal = user_sees_personal_data(request.user)
    rows = [(m, m.nik_pemilik if personal else personal_masked(m.nik_pemilik)) for m in page]
    outdated = census.lampiran_outdated(sentra, selectors.sentra_sks_listing_members(sentra))
    imports = list(ImporAnggota.objects.visible_to(request.user).filter(sentra=sentra).select_related("created_by")[:5])
    return render(request, "sentra/census_sentra.html", {
        "sentra": sentra, "page": page, "rows": rows, "outdated": outdated, "imports": imports,
        "may_import": _may_import(request.user, sentra),
    })


@login_required
def impor_new(request, pk: int):
    """Upload a filled-in template; the check runs as a job and its page shows the report."""
    sentra = get_object_or_404(Sentra.objects.visible_to(request.user).select_related("region"), pk=pk)
    _import_allowed(request, sentra)
    form = ImporAnggotaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = census.impor_create(sentra=sentra, upload=form.cleaned_data["file"], user=request.user)
        except RuleViolation as exc:
            form.add_error("file" if exc.field == "file" else None, exc.messages)
        else:
            return redirect(job.get_absolute_url())
    # A TemplateResponse keeps its context: a refused upload answers 422 (core.middleware).
    return TemplateResponse(request, "sentra/census_upload.html", {"sentra": sentra, "form": form})


def _job(request, pk: int) -> ImporAnggota:
    return get_object_or_404(ImporAnggota.objects.visible_to(request.user).select_related("sentra__region",
                                                                                         "created_by"), pk=pk)


@require_safe
@login_required
def impor_detail(request, pk: int):
    """The import's page: the progress bar while a job runs, then the report or the confirmation."""
    job = _job(request, pk)
    return render(request, "sentra/census_import.html", {
        "job": job, "progress": census.impor_progress(job), "may_import": _may_import(request.user, job.sentra),
        "Status": ImporAnggota.Status, "errors_shown": len(job.errors),
    })


@require_safe
@login_required
def impor_status(request, pk: int):
    """The progress bar's data (polled by ``sentra/census.js``)."""
    return JsonResponse(census.impor_progress(_job(request, pk)))


def _act(request, pk: int, service, done_message: str):
    job = _job(request, pk)
    _import_allowed(request, job.sentra)
    try:
        service(job=job, user=request.user)
    except RuleViolation as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done_message)
    return redirect(job.get_absolute_url())


@require_POST
@login_required
def impor_confirm(request, pk: int):
    return _act(request, pk, census.impor_confirm, _("Impor sedang disimpan. Halaman ini boleh ditinggalkan."))


@require_POST
@login_required
def impor_cancel(request, pk: int):
    return _act(request, pk, census.impor_cancel, _("Impor dibatalkan; tidak ada data yang disimpan."))


@require_POST
@login_required
def impor_restart(request, pk: int):
    return _act(request, pk, census.impor_restart, _("Impor dijalankan ulang."))
