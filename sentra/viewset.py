"""The register's pages inside the viewflow site, so that they sit in its menu next to the inbox."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application

from . import sk_views


class RegisterApp(Application):
    """Register SK: the provincial register, its Excel export and the province dashboard.

    Open to every logged-in official (each sees the entries of their own region scope); the views
    check the rest, so an anonymous visitor is sent to the login page rather than refused.
    """

    title = _("Register SK")
    icon = "menu_book"
    app_name = "register"
    menu_template_name = "sentra/register_menu.html"

    index_path = path("", sk_views.register_list, name="index")
    export_path = path("ekspor/", sk_views.register_export, name="export")
    dashboard_path = path("dasbor/", sk_views.province_dashboard, name="dashboard")
