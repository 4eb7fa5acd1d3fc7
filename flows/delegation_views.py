"""Pages of acting officials (Plt./Plh.), absences and moving tasks (``/pelimpahan/``).

Thin: each page checks its form and calls one function of ``flows.delegation``. Everyone (but the
read-only auditors) records their own absence; a region's ``pimpinan`` and the administrators also
record Plt./Plh. grants and absences for the region's officials, and move their tasks. What a pimpinan
manages is ``accounts.selectors.managed_by`` (their own region); anyone else's user is a 404. Whoever
may record a grant or an absence may end it early (POST only); one they do not see is a 404, one they
see but may not end (a Plt./Plh. its holder sees) a 403.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Absence, ActingGrant
from accounts.selectors import managed_by, user_is_read_only
from core.errors import RuleViolation
from sentra.models import Region

from . import delegation, forms, task_lists


def _refuse_read_only(request):
    if user_is_read_only(request.user):
        raise PermissionDenied


def _rule_error(form, exc: RuleViolation) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.messages[0])


def _form_page(request, form, record, *, title, multipart=False, **context):
    """A delegation form's page. On a valid POST, ``record()`` calls the one function of ``flows.delegation``
    and answers the success message; then back to the home page. A rule it refuses shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            messages.success(request, record())
            return HttpResponseRedirect(reverse("delegation:home"))
        except RuleViolation as exc:
            _rule_error(form, exc)
    return TemplateResponse(request, "flows/delegation_form.html", {
        "title": title, "list_name": "delegation", "form": form, "multipart": multipart, **context,
    })


def _absence_form(request, data=None):
    user = request.user
    if delegation.may_manage(user):
        users = delegation.managed_users(user)
        chosen = None
        if data is not None:
            pk = task_lists.ids_from([data.get("user", "")])
            chosen = users.filter(pk=pk[0]).first() if pk else None
        substitutes = delegation.eligible_substitutes(chosen) if chosen is not None else get_user_model().objects.filter(
            pk__in=users.filter(is_active=True).values("pk"))
        return forms.AbsenceForm(data, users=users, substitutes=substitutes, initial={"user": user.pk})
    return forms.AbsenceForm(data, substitutes=delegation.eligible_substitutes(user))


def _endable(rows, user, may_end, not_ended) -> list:
    """``rows`` (grants or absences), each marked ``may_end`` when it is not ended and ``user`` may end it."""
    today = timezone.localdate()
    rows = list(rows)
    for row in rows:
        row.may_end = not_ended(row, today) and may_end(user, row)
    return rows


@require_safe
@login_required
def delegation_home(request):
    """Plt./Plh., absences and held tasks: one's own, and for a pimpinan those of their region."""
    _refuse_read_only(request)
    user = request.user
    context = {
        "title": _("Pelimpahan tugas"),
        "list_name": "delegation",
        "my_absences": _endable(Absence.objects.filter(user=user).select_related("user", "substitute")[:20],
                                user, delegation.absence_may_end, delegation.absence_not_ended),
        "my_grants": ActingGrant.objects.filter(user=user).select_related("region")[:20],
        "absence_form": _absence_form(request),
        "manages": delegation.may_manage(user),
    }
    if context["manages"]:
        context["grants"] = _endable(managed_by(user, ActingGrant.objects.select_related("user", "region"))[:50],
                                     user, delegation.grant_may_end, delegation.grant_not_ended)
        context["absences"] = _endable(
            managed_by(user, Absence.objects.select_related("user", "substitute"), "user__region_id")[:50],
            user, delegation.absence_may_end, delegation.absence_not_ended)
        context["holders"] = delegation.holders(user)
    return TemplateResponse(request, "flows/delegation.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def absence_record(request):
    _refuse_read_only(request)
    form = _absence_form(request, request.POST if request.method == "POST" else None)

    def record():
        delegation.absence_record(
            user=form.cleaned_data.get("user") or request.user, by=request.user, **{
                k: form.cleaned_data[k] for k in ("starts_on", "ends_on", "substitute", "note")},
        )
        return _("Ketidakhadiran dicatat: tugas baru dan pengingat dialihkan ke pengganti.")

    return _form_page(request, form, record, title=_("Catat ketidakhadiran"))


@require_http_methods(["GET", "POST"])
@login_required
def acting_grant_record(request):
    _refuse_read_only(request)
    user = request.user
    if not delegation.may_manage(user):
        raise PermissionDenied
    regions = managed_by(user, Region.objects.all(), "code").order_by("code")
    # A Plt./Plh. is an official of the Pemda whose role they act in: the pimpinan's own region's officials
    # (an admin: everyone's), never a pengelola's officer.
    form = forms.ActingGrantForm(request.POST or None, request.FILES or None,
                                 users=delegation.managed_users(user).filter(sentra__isnull=True), regions=regions)

    def record():
        delegation.acting_grant_create(
            by=user, scan=form.cleaned_data["basis_scan"], **{k: form.cleaned_data[k] for k in (
                "user", "role", "region", "kapasitas", "basis_number", "basis_date", "starts_on", "ends_on")},
        )
        return _("Plt./Plh. dicatat.")

    return _form_page(request, form, record, title=_("Catat Plt./Plh."), multipart=True)


@require_http_methods(["GET", "POST"])
@login_required
def tasks_reassign(request, user_pk: int):
    """Move the tasks one official holds (all ticked by default) to another eligible official."""
    _refuse_read_only(request)
    if not delegation.may_manage(request.user):
        raise PermissionDenied
    holder = delegation.managed_users(request.user).filter(pk=user_pk).first()
    if holder is None:
        raise Http404
    held = delegation.held_task_rows(holder)
    choices = [(str(row["task"].pk), row["label"]) for row in held]
    targets = delegation.targets_for(holder, [row["task"] for row in held], {row["task"].pk: row["process"] for row in held})
    form = forms.ReassignForm(request.POST or None, tasks=choices, targets=targets)

    def record():
        moved = delegation.tasks_reassign(
            task_pks=[int(pk) for pk in form.cleaned_data["tasks"]], from_user=holder,
            to_user=form.cleaned_data["to_user"], by=request.user, note=form.cleaned_data["note"],
        )
        return _("%(count)d tugas dialihkan kepada %(user)s.") % {"count": moved, "user": form.cleaned_data["to_user"]}

    return _form_page(request, form, record, title=_("Alihkan tugas %(user)s") % {"user": holder}, empty=not held)


def _visible_or_404(user, model, pk: int, region_field: str):
    """A grant or absence ``user`` sees on /pelimpahan/: their own, or one of a region they manage."""
    queryset = model.objects.select_related("user", "user__region")
    found = (queryset.filter(user=user, pk=pk) | managed_by(user, queryset, region_field).filter(pk=pk)).first()
    if found is None:
        raise Http404
    return found


def _end_early(request, obj, *, may_end, reason_required: bool, record, title):
    """The POST that ends ``obj`` (a grant or an absence the user sees) early: refused with 403 when the
    user may see but not end it; ``record(reason)`` calls the service and answers the success message."""
    if not may_end(request.user, obj):
        raise PermissionDenied  # its holder sees it, but only who may record it ends it
    form = forms.EndEarlyForm(request.POST, reason_required=reason_required)
    return _form_page(request, form, lambda: record(form.cleaned_data["alasan"]), title=title,
                      submit_label=_("Akhiri"))


@require_POST
@login_required
def acting_grant_end(request, pk: int):
    """End a Plt./Plh. in force now (reason required); its holder's tasks taken by it go back to the queue."""
    _refuse_read_only(request)
    grant = _visible_or_404(request.user, ActingGrant, pk, "region_id")

    def record(reason):
        ended, returned = delegation.acting_grant_end_early(grant_pk=pk, by=request.user, reason=reason)
        return _("%(grant)s diakhiri; %(count)d tugas dikembalikan ke antrean.") % {"grant": ended, "count": returned}

    return _end_early(request, grant, may_end=delegation.grant_may_end, reason_required=True, record=record,
                      title=_("Akhiri %(grant)s") % {"grant": grant})


@require_POST
@login_required
def absence_end(request, pk: int):
    """End an absence now: the official is back (reason optional)."""
    _refuse_read_only(request)
    absence = _visible_or_404(request.user, Absence, pk, "user__region_id")

    def record(reason):
        ended = delegation.absence_end(absence_pk=pk, by=request.user, reason=reason)
        return _("Ketidakhadiran %(user)s diakhiri: tugas baru kembali kepada %(user)s.") % {"user": ended.user}

    return _end_early(request, absence, may_end=delegation.absence_may_end, reason_required=False, record=record,
                      title=_("Akhiri ketidakhadiran %(user)s") % {"user": absence.user})
