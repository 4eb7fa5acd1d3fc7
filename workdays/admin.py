from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import NonWorkingDay


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "name", "region")
    list_filter = ("region",)
    date_hierarchy = "date"
