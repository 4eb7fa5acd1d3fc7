from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """The government's business calendar: working days, holidays, cuti bersama, office hours."""

    name = "workdays"
    verbose_name = _("Hari kerja")
