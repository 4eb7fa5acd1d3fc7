from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "get_full_name", "region", "is_active")
    list_filter = ("groups", "region", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + ((_("Tugas"), {"fields": ("region", "jabatan", "nip", "phone")}),)
