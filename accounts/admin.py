from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import AdminLoginForm
from .models import LoginThrottle, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "get_full_name", "region", "is_active")
    list_filter = ("groups", "region", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Tugas"), {"fields": ("region", "jabatan", "nip", "phone")}),)


# The admin (/admin/) admits staff accounts only (Django's own rule) and its login form is throttled
# and worded like the site's (accounts.forms).
admin.site.login_form = AdminLoginForm


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Locked and recently failing (username, IP) pairs; deleting a row lifts its lock at once."""

    list_display = ("username", "ip_address", "failures", "last_failure_at", "locked_until")
    search_fields = ("username", "ip_address")
    readonly_fields = ("username", "ip_address", "failures", "first_failure_at", "last_failure_at", "locked_until")

    def has_add_permission(self, request):
        return False
