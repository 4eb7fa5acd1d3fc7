from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Pengguna dan peran")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

        from . import signals, two_factor
        from .models import User
        from .redaction import install_record_factory

        # Logs never carry tokens, passwords or full phone numbers, whichever process writes them.
        install_record_factory()

        # Login throttling per (username, IP) and session marks (accounts.throttle, accounts.sessions).
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="accounts.login_failed")
        user_logged_in.connect(signals.on_logged_in, dispatch_uid="accounts.logged_in")
        # Two-factor sign-in: the session remembers whether the user has a device (accounts.two_factor).
        user_logged_in.connect(two_factor.on_logged_in, dispatch_uid="accounts.two_factor_logged_in")
        # A deactivated or deleted account loses its live sessions at once.
        pre_save.connect(signals.on_user_pre_save, sender=User, dispatch_uid="accounts.user_pre_save")
        post_save.connect(signals.on_user_post_save, sender=User, dispatch_uid="accounts.user_post_save")
        post_delete.connect(signals.on_user_post_delete, sender=User, dispatch_uid="accounts.user_post_delete")
        # The provinces' kab/kota codes (the scope of provincial officials) are cached across requests: a
        # change of a region counts from the next request. The region model by name: schema, not an import.
        from .selectors import region_children_forget

        for signal in (post_save, post_delete):
            signal.connect(region_children_forget, sender="sentra.Region",
                           dispatch_uid=f"accounts.region_children.{signal}")
        post_migrate.connect(region_children_forget, sender=self, dispatch_uid="accounts.region_children.migrate")
