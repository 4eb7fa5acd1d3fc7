from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("seq", "at", "action", "actor_username", "role", "region", "process_id", "ip")
    list_filter = ("action", "region")
    search_fields = ("actor_username", "object_id", "hash")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
