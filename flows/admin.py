from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Keputusan, NonWorkingDay, StepDeadline


@admin.register(Keputusan)
class KeputusanAdmin(SimpleHistoryAdmin):
    list_display = ("process", "langkah", "putaran", "hasil", "oleh", "peran", "kapasitas", "dibuat")
    list_filter = ("langkah", "hasil")


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "name", "region")
    list_filter = ("region",)
    date_hierarchy = "date"


@admin.register(StepDeadline)
class StepDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ("step", "working_days", "escalate_after")
