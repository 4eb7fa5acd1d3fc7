"""Access refusals for auditors (/audit/akses-ditolak/): the ACCESS_DENIED events of the audit trail,
newest first, filtered by user and dates; each row stands for the refusals folded into it."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent
from audit.services import chain_head

from .auditor_views import auditor_page

PAGE_SIZE = 50


class RefusalFilterForm(forms.Form):
    username = forms.CharField(label=_("Nama pengguna"), required=False, max_length=150)
    date_from = forms.DateField(label=_("Sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@auditor_page
def access_refusals(request):
    form = RefusalFilterForm(request.GET or None)
    events = AuditEvent.objects.filter(action=Action.ACCESS_DENIED)
    raw_page = request.GET.get("halaman", "")
    page = min(int(raw_page), 10_000) if raw_page.isascii() and raw_page.isdigit() and 0 < len(raw_page) < 6 else 1
    page = max(page, 1)
    if form.is_valid():
        data = form.cleaned_data
        if data["username"]:
            events = events.filter(actor_username__iexact=data["username"].strip())
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
    rows = list(events.order_by("-seq")[(page - 1) * PAGE_SIZE: page * PAGE_SIZE + 1])
    seq, head = chain_head()
    params = request.GET.copy()
    params.pop("halaman", None)
    return render(request, "audit/access_refusals.html", {
        "form": form, "events": rows[:PAGE_SIZE], "page": page, "has_next": len(rows) > PAGE_SIZE,
        "query": params.urlencode(), "head_seq": seq, "head_hash": head,
    })
