"""The auditor's pages (/audit/): read-only, every region. Writes are refused by ReadOnlyAuditorMiddleware too."""

import functools

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_safe

from accounts.roles import Role
from audit.services import chain_head
from core.http import attachment
from flows.models import Keputusan, LegalisasiProcess, Tahap
from sentra.models import Region

from . import auditor_selectors as selectors
from . import exports


def _require_auditor(user):
    if not (user.is_superuser or user.has_role(Role.AUDITOR)):
        raise PermissionDenied


def auditor_page(view):
    """An auditor's page: read only (GET/HEAD), signed in, and the auditor's role (or a superuser)."""

    @require_safe
    @login_required
    @functools.wraps(view)
    def page(request, *args, **kwargs):
        _require_auditor(request.user)
        return view(request, *args, **kwargs)

    return page


class SearchForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=Region.objects.exclude(kind="provinsi"),
                                    required=False, empty_label=_("— semua —"))
    sentra = forms.CharField(label=_("Sentra"), required=False, max_length=100)
    pengelola = forms.CharField(label=_("Pengelola"), required=False, max_length=100)
    sk_nomor = forms.CharField(label=_("Nomor SK / register"), required=False, max_length=100)
    tahap = forms.ChoiceField(label=_("Status"), choices=[("", _("— semua —"))] + list(Tahap.choices), required=False)
    date_from = forms.DateField(label=_("Diajukan sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@auditor_page
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid():
        data = {**form.cleaned_data, "region": form.cleaned_data["region"].code if form.cleaned_data["region"] else ""}
        results = selectors.proposal_search(user=request.user, **data)[:200]
    seq, head = chain_head()
    return render(request, "audit/search.html", {"form": form, "results": results, "head_seq": seq, "head_hash": head})


def _process(request, pk) -> LegalisasiProcess:
    """The proposal, if it is in the auditor's scope (a kab/kota's Inspektorat reads its own Pemda)."""
    return get_object_or_404(
        LegalisasiProcess.objects.visible_to(request.user).select_related("region", "pengelola", "pengelola__sentra"),
        pk=pk,
    )


@method_decorator(auditor_page, name="dispatch")
class TimelineView(View):
    def get(self, request, pk: int):
        timeline = selectors.proposal_timeline(_process(request, pk))
        seq, head = chain_head()
        return render(request, "audit/timeline.html", {**timeline, "head_seq": seq, "head_hash": head})


@auditor_page
def as_decided(request, pk: int, keputusan_pk: int):
    process = _process(request, pk)
    keputusan = get_object_or_404(Keputusan.objects.select_related("oleh"), pk=keputusan_pk, process=process)
    return render(request, "audit/as_decided.html", {"process": process, **selectors.as_decided(process, keputusan)})


# The timeline's exports: (render, content type, file name).
EXPORTS = {
    "csv": (lambda t: exports.timeline_csv(t).encode("utf-8-sig"), "text/csv; charset=utf-8", "linimasa-usulan-{pk}.csv"),
    "pdf": (exports.timeline_pdf, "application/pdf", "laporan-audit-usulan-{pk}.pdf"),
    "zip": (exports.evidence_zip, "application/zip", "bukti-audit-usulan-{pk}.zip"),
}


@auditor_page
def export(request, pk: int, fmt: str):
    """The proposal's timeline as CSV, as a PDF report, or as a ZIP of evidence."""
    render_export, content_type, filename = EXPORTS[fmt]
    return attachment(render_export(selectors.proposal_timeline(_process(request, pk))), content_type, filename.format(pk=pk))
