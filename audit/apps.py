from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Hash-chained audit trail, history of data and the auditor's pages."""

    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
