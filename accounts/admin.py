from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from . import two_factor
from .forms import AdminLoginForm
from .models import LoginThrottle, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "get_full_name", "region", "is_active")
    list_filter = ("groups", "region", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Tugas"), {"fields": ("region", "sentra", "jabatan", "nip", "phone")}),)
    raw_id_fields = ("sentra",)
    actions = ["two_factor_reset_action"]

    @admin.action(description=_("Atur ulang verifikasi dua langkah (hapus aplikasi autentikator dan kode cadangan)"),
                  permissions=["change"])
    def two_factor_reset_action(self, request, queryset):
        """Remove the selected users' second factor (a lost phone); each reset is an audit event."""
        users = list(queryset)
        for user in users:
            two_factor.two_factor_reset(user=user, actor=request.user)
        self.message_user(request, ngettext(
            "Verifikasi dua langkah %(count)d pengguna diatur ulang; pengguna itu mendaftarkan aplikasinya lagi saat masuk berikutnya.",
            "Verifikasi dua langkah %(count)d pengguna diatur ulang; pengguna itu mendaftarkan aplikasinya lagi saat masuk berikutnya.",
            len(users),
        ) % {"count": len(users)}, messages.SUCCESS)


# Devices are removed through the audited reset above, never edited row by row (the plugins' own admin
# pages would also list backup codes).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


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
