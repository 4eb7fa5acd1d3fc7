from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _forget(key):
    """A receiver dropping the cached rows of one model, now and again when the change commits (a
    decision read in between by another request would otherwise keep the old rows)."""

    def receiver(sender, **kwargs):
        from .calendar import reference_forget

        reference_forget(key)
        transaction.on_commit(lambda: reference_forget(key))

    return receiver


def _forget_all(sender, **kwargs):
    from .calendar import reference_forget

    reference_forget()


class WorkdaysConfig(AppConfig):
    """The government's business calendar: working days, holidays, cuti bersama, office hours."""

    name = "workdays"
    verbose_name = _("Hari kerja")

    def ready(self):
        from .calendar import DAYS_OFF_KEY, HOURS_KEY
        from .models import NonWorkingDay, OfficeHours

        for model, key in ((NonWorkingDay, DAYS_OFF_KEY), (OfficeHours, HOURS_KEY)):
            receiver = _forget(key)
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"workdays.forget.{key}.save")
            post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"workdays.forget.{key}.delete")
        # a migration (the seed of office hours) writes through historical models, without those signals
        post_migrate.connect(_forget_all, sender=self, dispatch_uid="workdays.forget.migrate")
