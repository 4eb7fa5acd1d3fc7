from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Pages that read across the apps for those who oversee: the auditor's search, timeline and
    evidence, the province dashboard, and the daily check of the audit chain that alerts the operators."""

    name = "oversight"
    verbose_name = _("Pengawasan")
