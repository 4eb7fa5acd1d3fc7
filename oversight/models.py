"""What the service-level report reads: each finished task's time in working days, stored once.

``service_levels.durations_record`` (beat, every few minutes) adds one ``StepDuration`` per human task
finished since the ``SlaWatermark``; the report then reads only the rows of its period through the
index on (region, finished day), so its cost follows the period, not the whole history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import scoped_queryset


class StepDuration(models.Model):
    """One finished human task of a proposal: its step, who finished it, and how long it took.

    ``working_days`` counts the working days after the day the task was received (the deadline's rule,
    ``BusinessCalendar.received_on``) up to the day it was finished, in the region's calendar (weekends,
    holidays, cuti bersama and the admin's days off skipped): received and finished on the same day is 0.
    """

    task = models.OneToOneField("viewflow.Task", primary_key=True, on_delete=models.CASCADE, related_name="+")
    process = models.ForeignKey("flows.LegalisasiProcess", on_delete=models.CASCADE, related_name="+")
    # The proposal's kab/kota (the provincial step counts for the kab/kota whose proposal it recorded).
    region = models.ForeignKey("sentra.Region", on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("langkah"), max_length=50)
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pejabat"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_on = models.DateField(_("diterima (hari kerja)"))
    finished_on = models.DateField(_("diselesaikan"))
    working_days = models.PositiveSmallIntegerField(_("lama (hari kerja)"))
    due_on = models.DateField(_("jatuh tempo"), null=True)
    late = models.BooleanField(_("melewati batas waktu"), default=False)

    objects = scoped_queryset(region_field="region").as_manager()

    class Meta:
        verbose_name = _("lama penyelesaian langkah")
        verbose_name_plural = _("lama penyelesaian langkah")
        indexes = [
            models.Index(fields=["region", "finished_on"], name="stepduration_region_day_idx"),
            models.Index(fields=["finished_on"], name="stepduration_day_idx"),
        ]

    def __str__(self):
        return f"{self.step} #{self.task_id}: {self.working_days}"


class SlaWatermark(models.Model):
    """The single row that says up to when finished tasks have been recorded in ``StepDuration``."""

    name = models.CharField(max_length=30, primary_key=True)
    finished_until = models.DateTimeField(null=True)
    # False while a long backlog is read a run at a time: the next run goes on after this task.
    caught_up = models.BooleanField(default=True)
    last_task_id = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("penanda rekap lama langkah")
