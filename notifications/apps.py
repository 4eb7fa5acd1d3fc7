from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Outbox, channels and reminders: built by the deadlines/reminders issue."""

    name = "notifications"
    verbose_name = _("Notifikasi")
