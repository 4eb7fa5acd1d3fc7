"""Operators create and revoke API tokens here; the secret is shown once, when the token is created."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdminMixin, ViewOnlyAdminMixin

from .models import ApiDocs, ApiToken, IdempotencyRecord, Scope, WebhookDelivery, WebhookSubscriber
from .tokens import token_issue, token_revoke


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Cakupan"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = ApiToken
        fields = ["name", "user", "region", "scopes", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "prefix", "user", "region", "scope_list", "created_at", "last_used_at", "expires_at",
                    "revoked_at"]
    list_filter = ["revoked_at", "region"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at", "docs_link"]
    raw_id_fields = ["user"]
    actions = ["revoke"]
    change_list_template = "admin/api/apitoken/change_list.html"

    @admin.display(description=_("cakupan"))
    def scope_list(self, token):
        return ", ".join(token.scopes or [])

    @admin.display(description=_("dokumentasi"))
    def docs_link(self, token):
        return format_html('<a href="{}">{}</a>', reverse("api:docs"), _("Dokumentasi API (OpenAPI)"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:  # a token's holder and region do not change: revoke it and create another
            fields += ["user", "region"]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        secret = token_issue(obj, created_by=request.user)
        self.message_user(
            request,
            format_html(
                "{} <code>{}</code>",
                _("Token dibuat. Salin rahasianya sekarang: rahasia ini tidak akan ditampilkan lagi."),
                secret,
            ),
            messages.WARNING,
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: its last use stays on record

    @admin.action(description=_("Cabut token terpilih"))
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token)
        self.message_user(request, _("Token dicabut."), messages.SUCCESS)


@admin.register(ApiDocs)
class ApiDocsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The admin index's link to the documentation page."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def changelist_view(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("api:docs"))


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["principal", "key", "method", "path", "status_code", "created_at"]
    search_fields = ["principal", "key"]
    readonly_fields = [f.name for f in IdempotencyRecord._meta.fields]


@admin.register(WebhookSubscriber)
class WebhookSubscriberAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "region", "active", "created_at"]
    list_filter = ["active", "region"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event", "sk_id", "subscriber", "status", "attempts", "response_code", "last_attempt_at",
                    "delivered_at"]
    list_filter = ["status", "event", "subscriber"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
