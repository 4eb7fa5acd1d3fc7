from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ProdukHukumConfig(AppConfig):
    name = "produk_hukum"
    verbose_name = _("Produk hukum daerah")

    def ready(self):
        # The office names are cached across requests: a change counts from the next page or decision.
        from .models import KantorDaerah
        from .selectors import offices_forget

        for signal in (post_save, post_delete):
            signal.connect(offices_forget, sender=KantorDaerah, dispatch_uid=f"produk_hukum.offices.{signal}")
        post_migrate.connect(offices_forget, sender=self, dispatch_uid="produk_hukum.offices.migrate")
