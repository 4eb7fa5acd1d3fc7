"""Pages of the DAK sentra register (issue 14): the list with each sentra's state, one sentra's page
(the province desk edits every row, a kab/kota's Disperindag its own), registering a sentra, the
province's confirmation, and the Excel import (template, checked report, confirmation: all rows or none).

Views stay thin: the scope is ``Sentra.objects.visible_to`` (out of scope: 404), the rules are
``sentra.dak``, the reads ``oversight.sentra_register``.
"""

import hashlib
import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import RuleViolation
from core.http import XLSX, attachment
from core.spreadsheet import xlsx_rows, xlsx_template
from flows.selectors import sentra_state_annotate
from sentra import dak
from sentra.forms import DakAlokasiFormSet, DakImportForm, SentraFilterForm, SentraRegisterForm
from sentra.models import Sentra

from .sentra_register import sentra_register

PAGE_SIZE = 50
IMPORT_DIR = "impor/sentra-dak"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


@require_safe
@login_required
def sentra_list(request):
    """The register of sentra in the user's scope, filtered, with each sentra's state and DAK years."""
    form = SentraFilterForm(request.GET or None, user=request.user)
    page = Paginator(sentra_register(request.user, **form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "oversight/sentra_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_edit": dak.can_edit_sentra(request.user), "can_manage": dak.can_manage_register(request.user),
    })


def _sentra_page(request, sentra: Sentra | None):
    can_edit = dak.can_edit_sentra(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    instance = sentra or Sentra()
    form = SentraRegisterForm(data, instance=instance, user=request.user, prefix="sentra")
    formset = DakAlokasiFormSet(data, instance=instance, prefix="dak")
    if data is not None and form.is_valid() and formset.is_valid():
        saved = form.save(commit=False)
        allocations = formset.save(commit=False)
        try:
            saved = dak.sentra_register_save(
                sentra=saved, allocations=allocations, deleted=formset.deleted_objects, user=request.user
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.messages[0])
        else:
            messages.success(request, _("Data sentra disimpan."), fail_silently=True)
            return HttpResponseRedirect(reverse("register:sentra_detail", args=[saved.pk]))
    state = None
    if sentra is not None:
        state = sentra_state_annotate(Sentra.objects.filter(pk=sentra.pk)).values("state", "sk_dicabut").get()
    return TemplateResponse(request, "oversight/sentra_form.html", {
        "sentra": sentra, "form": form, "formset": formset, "state": state, "can_edit": can_edit,
        "can_manage": dak.can_manage_register(request.user),
        "pengelola": list(sentra.pengelola_set.all()) if sentra else [],
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sentra_detail(request, pk: int):
    """One sentra of the register: its data and DAK years, edited by who may."""
    sentra = get_object_or_404(Sentra.objects.visible_to(request.user).select_related("region"), pk=pk)
    return _sentra_page(request, sentra)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sentra_create(request):
    """Register a sentra: confirmed at once by the province desk, waiting for it when a kab/kota does."""
    if not dak.can_edit_sentra(request.user):
        raise PermissionDenied
    return _sentra_page(request, None)


@require_POST
@login_required
def sentra_confirm(request, pk: int):
    sentra = get_object_or_404(Sentra.objects.visible_to(request.user), pk=pk)
    if not dak.can_manage_register(request.user):
        raise PermissionDenied
    dak.sentra_confirm(sentra=sentra, user=request.user)
    messages.success(request, _("Sentra dikonfirmasi sebagai sentra DAK."), fail_silently=True)
    return HttpResponseRedirect(reverse("register:sentra_detail", args=[sentra.pk]))


@require_safe
@login_required
def import_template(request):
    """The empty Excel template of the DAK list."""
    if not dak.can_manage_register(request.user):
        raise PermissionDenied
    data = xlsx_template(dak.COLUMNS, "Sentra DAK", notes=[
        _("Satu baris per sentra per tahun DAK. Kolom bertanda * wajib diisi."),
        _("Isi nilai, bukan rumus. Sentra yang sudah terdaftar (kabupaten/kota dan nama sama) diperbarui."),
    ])
    return attachment(data, XLSX, "templat-sentra-dak.xlsx")


def _stored_name(user, token: str) -> str:
    return f"{IMPORT_DIR}/{user.pk}-{token}.xlsx"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def sentra_import(request):
    """Upload -> report row by row (nothing saved) -> confirm a file without errors -> all rows saved."""
    if not dak.can_manage_register(request.user):
        raise PermissionDenied
    context = {"form": DakImportForm(), "plan": None, "token": ""}
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request)
    if request.method == "POST":
        form = DakImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = xlsx_rows(upload, dak.COLUMNS, max_rows=dak.MAX_IMPORT_ROWS)
            except RuleViolation as exc:
                form.add_error("file", exc.messages[0])
            else:
                plan = dak.dak_rows_check(rows, user=request.user)
                context["plan"] = plan
                if plan.ok:
                    upload.seek(0)
                    token = secrets.token_hex(16)
                    default_storage.save(_stored_name(request.user, token), ContentFile(upload.read()))
                    context["token"] = token
                else:
                    form.add_error("file", _("Berkas berisi %(n)d kesalahan; tidak ada yang disimpan. "
                                             "Perbaiki lalu unggah lagi.") % {"n": len(plan.errors)})
    return TemplateResponse(request, "oversight/sentra_import.html", context)


def _import_confirm(request):
    token = request.POST.get("token", "")
    if not _TOKEN.match(token) or not default_storage.exists(_stored_name(request.user, token)):
        raise Http404
    name = _stored_name(request.user, token)
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    try:
        rows = xlsx_rows(ContentFile(content), dak.COLUMNS, max_rows=dak.MAX_IMPORT_ROWS)
        plan = dak.dak_import_apply(rows, user=request.user, file_sha256=hashlib.sha256(content).hexdigest())
    except RuleViolation as exc:
        # The register changed since the check (another import): the file is checked again from the start.
        bound = DakImportForm({})
        bound.is_valid()
        bound.errors.clear()
        bound.add_error(None, exc.messages[0])
        return TemplateResponse(request, "oversight/sentra_import.html", {"form": bound, "plan": None, "token": ""})
    finally:
        default_storage.delete(name)
    messages.success(request, _("Daftar sentra DAK diimpor: %(rows)d baris, %(new)d sentra baru, %(old)d sentra diperbarui.")
                     % {"rows": len(plan.rows), "new": plan.new_sentra, "old": plan.existing_sentra}, fail_silently=True)
    return HttpResponseRedirect(reverse("register:sentra_list"))
