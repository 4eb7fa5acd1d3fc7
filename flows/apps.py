from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    from .roles import roles_sync

    roles_sync(using=using)


def _deactivation_guard(sender, instance, raw=False, **kwargs):
    from .delegation import deactivation_guard

    deactivation_guard(instance, raw=raw)


class FlowsConfig(AppConfig):
    name = "flows"
    verbose_name = _("Alur legalisasi")

    def ready(self):
        # After every migrate the role groups carry exactly the permissions their steps need.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="flows.sync_roles")
        # Tasks are never left with an inactive user: deactivation moves them first (flows.delegation).
        pre_save.connect(_deactivation_guard, sender=settings.AUTH_USER_MODEL, dispatch_uid="flows.deactivation_guard")
        # The step deadlines are cached across requests: a change counts from the next decision.
        from .deadlines import step_deadlines_forget
        from .models import StepDeadline

        for signal in (post_save, post_delete):
            signal.connect(step_deadlines_forget, sender=StepDeadline, dispatch_uid=f"flows.step_deadlines.{signal}")
        post_migrate.connect(step_deadlines_forget, sender=self, dispatch_uid="flows.step_deadlines.migrate")
