from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    from .roles import roles_sync

    roles_sync(using=using)


class FlowsConfig(AppConfig):
    name = "flows"
    verbose_name = _("Alur legalisasi")

    def ready(self):
        # After every migrate the role groups carry exactly the permissions their steps need.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="flows.sync_roles")
