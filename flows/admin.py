from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import UserAdmin as AccountsUserAdmin
from accounts.models import Absence, ActingGrant
from core.admin import ReadOnlyAdminMixin

from . import delegation
from .models import Keputusan, StepDeadline


@admin.register(Keputusan)
class KeputusanAdmin(SimpleHistoryAdmin):
    list_display = ("process", "langkah", "putaran", "hasil", "oleh", "peran", "kapasitas", "dibuat")
    list_filter = ("langkah", "hasil")


@admin.register(StepDeadline)
class StepDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ("step", "working_days", "escalate_after")


class _ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Recorded through the site's pages (/pelimpahan/), whose services check and audit them."""


@admin.register(ActingGrant)
class ActingGrantAdmin(_ReadOnlyAdmin):
    list_display = ("user", "kapasitas", "role", "region", "starts_on", "ends_on", "ended_at", "basis_number")
    list_filter = ("kapasitas", "role", "region")


@admin.register(Absence)
class AbsenceAdmin(_ReadOnlyAdmin):
    list_display = ("user", "starts_on", "ends_on", "substitute", "recorded_by")


class UserDeactivationForm(UserChangeForm):
    """The admin's user form asks, when an official holding tasks is made inactive, to whom the tasks go."""

    alihkan_tugas_kepada = forms.ModelChoiceField(
        label=_("Alihkan tugasnya kepada"), required=False,
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        help_text=_("Wajib bila pengguna yang dinonaktifkan masih memegang tugas: semua tugasnya dialihkan."),
    )
    catatan_pengalihan = forms.CharField(label=_("Catatan pengalihan"), required=False, max_length=2000,
                                         widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        user = self.instance
        self.deactivating = bool(user.pk and user.is_active and not data.get("is_active", True))
        if self.deactivating:
            count = delegation.held_tasks(user).count()
            target = data.get("alihkan_tugas_kepada")
            if count and target is None:
                self.add_error("alihkan_tugas_kepada", _(
                    "Pengguna ini masih memegang %(count)d tugas: pilih kepada siapa tugasnya dialihkan.") % {"count": count})
            elif count:
                problems = delegation.reassign_problems(user, target)
                if problems:
                    self.add_error("alihkan_tugas_kepada", _(
                        "%(user)s tidak dapat menerima tugas: %(tasks)s") % {"user": target, "tasks": "; ".join(problems)})
        return data


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(AccountsUserAdmin):
    """The accounts' user admin; deactivating an official who holds tasks moves them in the same
    transaction (``flows.delegation.user_deactivate``)."""

    form = UserDeactivationForm
    fieldsets = AccountsUserAdmin.fieldsets + (
        (_("Penonaktifan"), {"fields": ("alihkan_tugas_kepada", "catatan_pengalihan")}),
    )

    def save_model(self, request, obj, form, change):
        if change and getattr(form, "deactivating", False):
            obj.is_active = True
            super().save_model(request, obj, form, change)
            delegation.user_deactivate(user=obj, by=request.user, to_user=form.cleaned_data.get("alihkan_tugas_kepada"),
                                       note=form.cleaned_data.get("catatan_pengalihan", ""))
            return
        super().save_model(request, obj, form, change)
