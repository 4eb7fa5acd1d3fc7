from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import delivery, outbox
from .models import ChannelState, Notification, Preference, WhatsAppStatus


class WhatsAppStatusInline(admin.TabularInline):
    model = WhatsAppStatus
    extra = 0
    can_delete = False
    readonly_fields = ("wamid", "status", "timestamp", "error_code", "error_title", "received_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox for operators: what is pending, sent, delivered, read or failed, and why."""

    list_display = ("created_at", "kind", "channel", "recipient", "status", "attempts", "possible_duplicate",
                    "not_before", "sent_at", "last_error")
    list_filter = ("status", "channel", "kind", "possible_duplicate")
    search_fields = ("recipient__username", "recipient__email", "provider_message_id", "dedup_key")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    inlines = [WhatsAppStatusInline]
    actions = ["retry_now"]

    @admin.action(description=_("Kirim ulang sekarang (yang gagal/menunggu)"))
    def retry_now(self, request, queryset):
        count = outbox.failed_resend(queryset)
        self.message_user(request, _("%(n)d notifikasi dijadwalkan ulang.") % {"n": count}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChannelState)
class ChannelStateAdmin(admin.ModelAdmin):
    """A channel stopped by a channel-wide error (expired token, paused template) waits for an operator."""

    list_display = ("channel", "stopped", "reason", "changed_at")
    readonly_fields = ("channel", "stopped", "reason", "changed_at")
    actions = ["resume"]

    @admin.action(description=_("Lanjutkan kanal (setelah penyebabnya diperbaiki)"))
    def resume(self, request, queryset):
        resumed = [state.channel for state in queryset if delivery.channel_resume(channel=state.channel, user=request.user)]
        self.message_user(request, _("%(n)d kanal dilanjutkan.") % {"n": len(resumed)}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "whatsapp", "digest")
