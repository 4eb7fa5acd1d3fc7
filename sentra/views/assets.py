"""BPKAD's pages for a sentra's DAK asset lines (``/aset/``): the list of sentra, one sentra's lines with
a form to add one and an Excel import, and a line's edit page. Thin: the scope is
``Sentra.objects.visible_to`` (another region's sentra is a 404), the rules are ``asset_services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import Role
from core.http import XLSX, attachment

from .. import asset_services
from ..asset_forms import AsetDAKForm, AsetImportForm
from ..models import AsetDAK, Sentra


def _may_edit(user) -> bool:
    return user.has_role(Role.VERIFIKATOR_ASET)


def _sentra(user, pk: int) -> Sentra:
    return get_object_or_404(Sentra.objects.visible_to(user).select_related("region"), pk=pk)


def _save(form, request, sentra, line=None) -> bool:
    if not form.is_valid():
        return False
    try:
        asset_services.aset_save(sentra=sentra, fields=form.fields_for_service(), user=request.user, line=line)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(None if field == "__all__" or field not in form.fields else field, errors)
        return False
    return True


@require_safe
@login_required
def aset_index(request):
    """The sentra of the user's region with their number of asset lines."""
    sentra = (
        Sentra.objects.visible_to(request.user).select_related("region")
        .annotate(jumlah_aset=Count("aset_set")).order_by("region", "name")[:500]
    )
    return TemplateResponse(request, "sentra/aset_index.html", {"sentra_list": sentra, "title": _("Aset DAK")})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def aset_sentra(request, pk: int):
    """One sentra's lines; BPKAD adds a line here."""
    sentra = _sentra(request.user, pk)
    editable = _may_edit(request.user)
    form = AsetDAKForm(request.POST or None, prefix="aset") if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if _save(form, request, sentra):
            messages.success(request, _("Baris aset disimpan."))
            return redirect("aset:sentra", pk=sentra.pk)
    return _sentra_page(request, sentra, form=form, import_form=AsetImportForm() if editable else None)


def _sentra_page(request, sentra, *, form, import_form, import_errors=()):
    pengelola = asset_services.current_pengelola(sentra)
    rows = asset_services.asset_review_rows(pengelola) if pengelola else [
        {"line": line, "dasar": line.get_dasar_pemanfaatan_display(), "problems": []} for line in sentra.aset_set.all()
    ]
    return TemplateResponse(request, "sentra/aset_sentra.html", {
        "sentra": sentra, "pengelola": pengelola, "rows": rows, "form": form, "import_form": import_form,
        "import_errors": import_errors, "title": _("Aset DAK %(sentra)s") % {"sentra": sentra.name},
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def aset_edit(request, pk: int):
    """Change one line (BPKAD only)."""
    if not _may_edit(request.user):
        raise PermissionDenied
    line = get_object_or_404(AsetDAK.objects.visible_to(request.user).select_related("sentra__region"), pk=pk)
    form = AsetDAKForm(request.POST or None, instance=line, prefix="aset")
    if request.method == "POST" and _save(form, request, line.sentra, line=line):
        messages.success(request, _("Baris aset disimpan."))
        return redirect("aset:sentra", pk=line.sentra_id)
    return TemplateResponse(request, "sentra/aset_edit.html", {"line": line, "form": form, "title": line.label})


@require_POST
@login_required
def aset_import(request, pk: int):
    """Import lines from the Excel template: all rows are saved, or none (each error names its row)."""
    sentra = _sentra(request.user, pk)
    if not _may_edit(request.user):
        raise PermissionDenied
    import_form = AsetImportForm(request.POST, request.FILES)
    errors = []
    if import_form.is_valid():
        result = asset_services.import_xlsx(sentra=sentra, uploaded=import_form.cleaned_data["berkas"],
                                            user=request.user)
        if not result.errors:
            messages.success(request, _("%(n)d baris aset diimpor.") % {"n": result.saved})
            return redirect("aset:sentra", pk=sentra.pk)
        errors = result.errors
        import_form.add_error("berkas", _("Impor ditolak; tidak ada baris yang disimpan."))
    return _sentra_page(request, sentra, form=AsetDAKForm(prefix="aset"), import_form=import_form,
                        import_errors=errors)


@require_safe
@login_required
def aset_template(request):
    """The empty Excel template of the import."""
    if not _may_edit(request.user):
        raise PermissionDenied
    return attachment(asset_services.import_template_xlsx(), XLSX, "templat-aset-dak.xlsx")
