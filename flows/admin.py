from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Keputusan, StepDeadline


@admin.register(Keputusan)
class KeputusanAdmin(SimpleHistoryAdmin):
    list_display = ("process", "langkah", "putaran", "hasil", "oleh", "peran", "kapasitas", "dibuat")
    list_filter = ("langkah", "hasil")


@admin.register(StepDeadline)
class StepDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ("step", "working_days", "escalate_after")
