"""The admin's additions to the business calendar (national holidays come from the ``holidays`` package)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class NonWorkingDay(models.Model):
    """An extra non-working day an admin adds (a local holiday, a regional cuti), for one region or all.

    National holidays and cuti bersama come from the ``holidays`` package; only additions live here.
    """

    date = models.DateField(_("tanggal"))
    region = models.ForeignKey(
        "sentra.Region",
        verbose_name=_("wilayah"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Kosongkan bila berlaku untuk semua wilayah."),
    )
    name = models.CharField(_("keterangan"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "region"], name="non_working_day_unique")]

    def __str__(self):
        return f"{self.date}: {self.name}"
