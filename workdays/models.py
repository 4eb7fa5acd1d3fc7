"""The admin's additions to the business calendar (national holidays come from the ``holidays`` package)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def _region_or_all() -> models.ForeignKey:
    """The region a row holds for; empty: every region (a row of the region wins over one of all)."""
    return models.ForeignKey(
        "sentra.Region",
        verbose_name=_("wilayah"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Kosongkan bila berlaku untuk semua wilayah."),
    )


class NonWorkingDay(models.Model):
    """An extra non-working day an admin adds (a local holiday, a regional cuti), for one region or all.

    National holidays and cuti bersama come from the ``holidays`` package; only additions live here.
    """

    date = models.DateField(_("tanggal"))
    region = _region_or_all()
    name = models.CharField(_("keterangan"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "region"], name="non_working_day_unique")]

    def __str__(self):
        return f"{self.date}: {self.name}"


class Weekday(models.IntegerChoices):
    SENIN = 0, _("Senin")
    SELASA = 1, _("Selasa")
    RABU = 2, _("Rabu")
    KAMIS = 3, _("Kamis")
    JUMAT = 4, _("Jumat")
    SABTU = 5, _("Sabtu")
    MINGGU = 6, _("Minggu")


class OfficeHours(models.Model):
    """Office hours for a run of weekdays (Monday to Thursday, Friday), for one region or all, either
    standing (no dates) or for a date range (Ramadan hours).

    For a given day and region the most specific row wins: a range for the region, a range for all
    regions, the region's standing hours, the standing hours of all regions; without any row the
    settings ``SKSENTRA_OFFICE_START``/``END`` apply. The hours only matter on working days.
    """

    name = models.CharField(_("keterangan"), max_length=200)
    region = _region_or_all()
    valid_from = models.DateField(
        _("berlaku dari"), null=True, blank=True,
        help_text=_("Kosongkan kedua tanggal untuk jam kerja tetap; isi keduanya untuk suatu masa (mis. Ramadan)."),
    )
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    first_weekday = models.PositiveSmallIntegerField(_("dari hari"), choices=Weekday.choices)
    last_weekday = models.PositiveSmallIntegerField(_("sampai hari"), choices=Weekday.choices)
    start = models.TimeField(_("jam masuk"))
    end = models.TimeField(_("jam pulang"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jam kerja")
        verbose_name_plural = _("jam kerja")
        ordering = ["valid_from", "first_weekday"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="office_hours_start_before_end"),
            models.CheckConstraint(
                condition=models.Q(first_weekday__lte=models.F("last_weekday")), name="office_hours_weekday_order"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True, valid_until__isnull=True)
                | models.Q(valid_from__isnull=False, valid_until__isnull=False, valid_from__lte=models.F("valid_until")),
                name="office_hours_range_both_or_neither",
            ),
        ]

    def __str__(self):
        days = self.get_first_weekday_display()
        if self.last_weekday != self.first_weekday:
            days = f"{days}–{self.get_last_weekday_display()}"
        when = f" ({self.valid_from} s.d. {self.valid_until})" if self.valid_from else ""
        return f"{self.name}: {days} {self.start:%H:%M}–{self.end:%H:%M}{when}"

    def covers(self, day) -> bool:
        """Whether this row speaks for ``day`` (its weekday, and its date when it is a range)."""
        if not self.first_weekday <= day.weekday() <= self.last_weekday:
            return False
        return self.valid_from is None or self.valid_from <= day <= self.valid_until

    def clean(self):
        errors = {}
        if self.start is not None and self.end is not None and self.start >= self.end:
            errors["end"] = _("Jam pulang harus sesudah jam masuk.")
        if self.first_weekday is not None and self.last_weekday is not None and self.first_weekday > self.last_weekday:
            errors["last_weekday"] = _("Hari terakhir tidak boleh sebelum hari pertama.")
        if (self.valid_from is None) != (self.valid_until is None):
            errors["valid_until"] = _("Isi kedua tanggal untuk suatu masa, atau kosongkan keduanya untuk jam kerja tetap.")
        elif self.valid_from is not None and self.valid_from > self.valid_until:
            errors["valid_until"] = _("Tanggal akhir tidak boleh sebelum tanggal mulai.")
        if errors:
            raise ValidationError(errors)
        overlapping = OfficeHours.objects.exclude(pk=self.pk).filter(
            region=self.region_id, first_weekday__lte=self.last_weekday, last_weekday__gte=self.first_weekday
        )
        if self.valid_from is None:
            overlapping = overlapping.filter(valid_from__isnull=True)
        else:
            overlapping = overlapping.filter(valid_from__lte=self.valid_until, valid_until__gte=self.valid_from)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                _("Bertumpang tindih dengan jam kerja lain untuk wilayah dan hari yang sama: %(other)s") % {"other": clash}
            )
