from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProdukHukumConfig(AppConfig):
    name = "produk_hukum"
    verbose_name = _("Produk hukum daerah")
