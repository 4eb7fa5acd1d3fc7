from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Hash-chained audit trail and the auditor's pages: built by the audit issue."""

    name = "audit"
    verbose_name = _("Audit")
