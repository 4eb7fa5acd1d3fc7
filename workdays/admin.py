from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import NonWorkingDay, OfficeHours


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "name", "region")
    list_filter = ("region",)
    date_hierarchy = "date"


class StandingOrRangeFilter(admin.SimpleListFilter):
    title = _("masa berlaku")
    parameter_name = "masa"

    def lookups(self, request, model_admin):
        return [("tetap", _("jam kerja tetap")), ("masa", _("untuk suatu masa"))]

    def queryset(self, request, queryset):
        if self.value() == "tetap":
            return queryset.filter(valid_from__isnull=True)
        if self.value() == "masa":
            return queryset.filter(valid_from__isnull=False)
        return queryset


@admin.register(OfficeHours)
class OfficeHoursAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "first_weekday", "last_weekday", "start", "end", "valid_from", "valid_until")
    list_filter = (StandingOrRangeFilter, "region")
    fields = ("name", "region", ("valid_from", "valid_until"), ("first_weekday", "last_weekday"), ("start", "end"))
    save_as = True  # "Simpan sebagai baru": the Friday row of a range from its Monday–Thursday row
