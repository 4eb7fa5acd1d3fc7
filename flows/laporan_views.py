"""Pages of the periodic reports (``/laporan/``): the list, one report with its task form, its photos,
the Excel export of a period, and the kab/kota Disperindag's page creating pengelola accounts.

Each page reads ``Model.objects.visible_to(user)`` (out of scope: 404), validates its forms and
calls one function of ``flows.laporan`` under the report's process lock.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from viewflow.workflow.status import STATUS

from accounts.roles import Role
from accounts.selectors import user_is_read_only
from audit.context import acting_as
from audit.models import AuditEvent
from core.errors import RuleViolation
from core.http import XLSX, attachment

from . import laporan
from .laporan_forms import AsetFormSet, FotoForm, LaporanForm, PengelolaAccountForm, PeriodeForm, ReviuForm
from .models import LaporanFoto, LaporanProcess
from .steps import STEP

PAGE_SIZE = 50


def _period_from(request):
    form = PeriodeForm(request.GET or None)
    period = None
    if form.is_valid() and form.cleaned_data.get("periode"):
        period = laporan.period_by_label(form.cleaned_data["periode"])
        if period is None:
            form.add_error("periode", _("Periode tidak dikenal. Tulis seperti 2026-S1."))
    return form, period


@require_safe
@login_required
def laporan_list(request):
    """The reports in the user's scope, newest period first; the ones waiting for the user on top."""
    form, period = _period_from(request)
    reports = LaporanProcess.objects.visible_to(request.user).select_related("region", "sentra", "pengelola")
    if period is not None:
        reports = reports.filter(periode_mulai=period.start)
    page = Paginator(reports.order_by("-periode_mulai", "region_id", "sentra__name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("halaman"))
    waiting = [r for r in page if r.status_laporan != "diterima" and _waits_for(request.user, r)]
    return TemplateResponse(request, "flows/laporan/list.html", {
        "title": _("Laporan berkala pengelola"), "form": form, "period": period or laporan.period_last_ended(timezone.localdate()),
        "page": page, "waiting": waiting, "today": timezone.localdate(),
        "can_create_accounts": laporan.may_create_pengelola_accounts(request.user),
        # With nothing listed, say when the next report opens (a report is due for a period an SK was in force).
        "current_period": laporan.period_of(timezone.localdate()),
    })


def _waits_for(user, report) -> bool:
    """Does the report wait for ``user``'s role (cheap: by status; the page checks the task itself)?"""
    if report.status_laporan in ("dibuka", "dikembalikan"):
        return user.has_role(Role.PENGELOLA)
    return user.has_role(Role.VERIFIKATOR_DINAS)


def _may_act(user, task) -> bool:
    if task is None or user_is_read_only(user):
        return False
    flow_task = task.flow_task
    if task.status == STATUS.NEW:
        return flow_task.can_assign(user, task)
    return flow_task.can_execute(user, task)


def _forms(step, report, data=None, files=None):
    if step in ("laporan", "perbaikan_laporan"):
        initial = {name: getattr(report, name) for name in (
            "produksi_jumlah", "produksi_satuan", "penjualan_jumlah", "penjualan_nilai", "anggota_aktif", "kegiatan", "masalah")}
        for name in ("produksi_jumlah", "penjualan_jumlah", "penjualan_nilai"):
            if initial[name] is not None:
                initial[name] = format(initial[name].normalize(), "f").replace(".", ",")
        previous = {a.get("kode"): a for a in report.aset or []}
        lines = [{**line, **{k: previous.get(line["kode"], {}).get(k) for k in ("pemanfaatan", "kondisi") if previous.get(line["kode"])}}
                 for line in laporan.asset_lines(report)]
        return {
            "laporan_form": LaporanForm(data, prefix="laporan", initial=None if data else initial),
            "aset_formset": AsetFormSet(data, prefix="aset", initial=None if data else lines),
            "foto_form": FotoForm(data, files, prefix="foto"),
        }
    if step == "reviu_laporan":
        return {"reviu_form": ReviuForm(data, prefix="reviu")}
    return {}


@require_http_methods(["GET", "POST"])
@login_required
def laporan_detail(request, pk: int):
    """One report: its content, photos and history, and the form of its open step when it is the user's."""
    report = get_object_or_404(
        LaporanProcess.objects.visible_to(request.user).select_related("region", "sentra", "pengelola", "diajukan_oleh"), pk=pk)
    task = laporan.open_task(report)
    may_act = _may_act(request.user, task)
    step = task.flow_task.name if task is not None else None
    forms = _forms(step, report, request.POST if request.method == "POST" else None,
                   request.FILES if request.method == "POST" else None) if may_act else {}
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        if all(f.is_valid() for f in forms.values()):
            try:
                _act(request, report, task, step, forms)
            except _Handled:
                messages.error(request, _("Langkah ini sudah diselesaikan pengguna lain."), fail_silently=True)
                return HttpResponseRedirect(reverse("laporan:detail", args=[report.pk]))
            except RuleViolation as exc:
                plain = [f for f in forms.values() if hasattr(f, "fields")]
                target = next((f for f in plain if exc.field and exc.field in f.fields), plain[0])
                target.add_error(exc.field if exc.field in target.fields else None, exc.messages[0])
            else:
                messages.success(request, _("Laporan diajukan ke Disperindag.") if step != "reviu_laporan" else
                                 _("Keputusan reviu disimpan."), fail_silently=True)
                return HttpResponseRedirect(reverse("laporan:detail", args=[report.pk]))
        messages.error(request, _("Isian belum dapat disimpan. Periksa isian yang ditandai."), fail_silently=True)
    events = AuditEvent.objects.filter(process_id=report.pk).select_related("actor").order_by("seq")
    return TemplateResponse(request, "flows/laporan/detail.html", {
        "title": str(report), "report": report, "task": task, "step": STEP.get(step) if step else None,
        "may_act": may_act, "photos": list(report.foto_set.all()), "events": events,
        "late": report.is_late(timezone.localdate()), **forms,
    })


class _Handled(Exception):
    pass


def _act(request, report, task, step, forms):
    """Claim the task if nobody holds it, start it and call the step's service, all under the lock."""
    from .laporan_flow import LaporanFlow

    user = request.user
    with acting_as(user), LaporanFlow.lock(report.pk), transaction.atomic():
        task.refresh_from_db()
        if task.finished is not None or task.status in (STATUS.DONE, STATUS.CANCELED):
            raise _Handled
        locked = LaporanProcess.objects.select_related("region", "sentra", "pengelola").get(pk=report.pk)
        task.process = locked
        flow_task = task.flow_task
        activation = flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            if not flow_task.can_assign(user, task):
                raise PermissionDenied
            laporan.task_claim(activation=activation, user=user)
        if not flow_task.can_execute(user, task):
            raise PermissionDenied
        activation.start(SimpleNamespace(user=user))
        if step == "reviu_laporan":
            data = forms["reviu_form"].cleaned_data
            laporan.laporan_review(activation=activation, user=user, hasil=data["hasil"], catatan=data["catatan"])
        else:
            data = forms["laporan_form"].cleaned_data
            laporan.laporan_submit(
                activation=activation, user=user,
                data=laporan.LaporanData(
                    produksi_jumlah=data["produksi_jumlah"], produksi_satuan=data["produksi_satuan"],
                    penjualan_jumlah=data["penjualan_jumlah"], penjualan_nilai=data["penjualan_nilai"],
                    anggota_aktif=data["anggota_aktif"], kegiatan=data["kegiatan"], masalah=data["masalah"],
                    aset=forms["aset_formset"].rows()),
                photos=forms["foto_form"].photos(), catatan=data["catatan"])


@require_safe
@login_required
def laporan_foto(request, pk: int):
    """A report's photo (the re-encoded JPEG), for those who may see the report."""
    foto = get_object_or_404(LaporanFoto.objects.visible_to(request.user), pk=pk)
    try:
        handle = foto.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="foto-laporan-{foto.laporan_id}-{foto.pk}.jpg"'
    return response


@require_safe
@login_required
def laporan_export(request):
    """The reports of a period in the user's scope, as an Excel workbook."""
    form, period = _period_from(request)
    if not form.is_valid() or (form.cleaned_data.get("periode") and period is None):
        return TemplateResponse(request, "flows/laporan/list.html", {
            "title": _("Laporan berkala pengelola"), "form": form, "page": [], "waiting": [],
            "period": laporan.period_last_ended(timezone.localdate())}, status=400)
    period = period or laporan.period_last_ended(timezone.localdate())
    return attachment(laporan.reports_xlsx(request.user, period), XLSX, f"laporan-pengelola-{period.label}.xlsx")


@require_http_methods(["GET", "POST"])
@login_required
def pengelola_account_new(request):
    """The kab/kota Disperindag creates the account of a pengelola's officer (a sentra of its region)."""
    if not laporan.may_create_pengelola_accounts(request.user):
        raise PermissionDenied
    form = PengelolaAccountForm(request.POST or None, user=request.user)
    created = None
    if request.method == "POST":
        if form.is_valid():
            try:
                with acting_as(request.user):
                    user, link = laporan.pengelola_account_create(by=request.user, **form.cleaned_data)
                created = {"user": user, "link": link}
                form = PengelolaAccountForm(user=request.user)
            except RuleViolation as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.messages[0])
    return TemplateResponse(request, "flows/laporan/account_new.html", {
        "title": _("Akun pengelola sentra"), "form": form, "created": created})


def laporan_task(request, process_pk: int, task_pk: int, **kwargs):
    """The flow nodes' page: the report's own page, where the task's form is."""
    return HttpResponseRedirect(reverse("laporan:detail", args=[process_pk]))
