"""One viewflow Site: the legalisation flow's inbox, queue, archive and process pages."""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site

from accounts.roles import Role
from accounts.views import SentraAuthViewset
from flows import urls as flows_urls
from flows import laporan_views
from flows.flows import LegalisasiFlow
from flows.laporan_flow import LaporanFlow  # noqa: F401  (the report flow's nodes and permissions)
from flows.viewset import LegalisasiViewset
from oversight import register_views as sentra_register_views
from oversight.dashboard_views import province_dashboard
from sentra import urls as sentra_urls
from sentra.views import officials as register_views

from .health import healthz


class RegisterApp(Application):
    """Register SK: the provincial register, its Excel export, the province dashboard and the DAK
    sentra register.

    Open to every logged-in official (each sees the entries of their own region scope); the views
    check the rest, so an anonymous visitor is sent to the login page rather than refused.
    """

    title = _("Register SK")
    icon = "menu_book"
    app_name = "register"
    menu_template_name = "sentra/register_menu.html"

    index_path = path("", register_views.register_list, name="index")
    export_path = path("ekspor/", register_views.register_export, name="export")
    dashboard_path = path("dasbor/", province_dashboard, name="dashboard")
    # The DAK sentra register (issue 14): list, one sentra, registering, confirmation, Excel import.
    sentra_list_path = path("sentra/", sentra_register_views.sentra_list, name="sentra_list")
    sentra_create_path = path("sentra/baru/", sentra_register_views.sentra_create, name="sentra_create")
    sentra_detail_path = path("sentra/<int:pk>/", sentra_register_views.sentra_detail, name="sentra_detail")
    sentra_confirm_path = path("sentra/<int:pk>/konfirmasi/", sentra_register_views.sentra_confirm, name="sentra_confirm")
    sentra_import_path = path("sentra/impor/", sentra_register_views.sentra_import, name="sentra_import")
    sentra_import_template_path = path(
        "sentra/impor/templat.xlsx", sentra_register_views.import_template, name="sentra_import_template"
    )


class LaporanApp(Application):
    """Laporan berkala: the pengelola's periodic reports, their review, export, and pengelola accounts.

    Open to every logged-in user (each sees the reports of their own scope; a pengelola, its sentra's).
    """

    title = _("Laporan berkala")
    icon = "summarize"
    app_name = "laporan"
    menu_template_name = "flows/laporan/menu.html"

    index_path = path("", laporan_views.laporan_list, name="index")
    detail_path = path("<int:pk>/", laporan_views.laporan_detail, name="detail")
    foto_path = path("foto/<int:pk>/", laporan_views.laporan_foto, name="foto")
    export_path = path("ekspor/", laporan_views.laporan_export, name="export")
    account_path = path("akun-pengelola/", laporan_views.pengelola_account_new, name="account_new")


site = Site(
    title=_("SK Sentra"),
    viewsets=[
        LegalisasiViewset(LegalisasiFlow, icon="assignment"),
        RegisterApp(),
        LaporanApp(),
    ],
)

def home(request):
    """``/`` after login: a pengelola's officer starts at its periodic reports (it holds no legalisation
    task); every official at the legalisation inbox, as viewflow's site would send them."""
    if request.user.is_authenticated and request.user.has_role(Role.PENGELOLA):
        return HttpResponseRedirect(reverse("laporan:index"))
    return HttpResponseRedirect(reverse("legalisasi:index"))


urlpatterns = [
    path("", home, name="home"),
    # Answered by workflow_project.health.HealthCheckMiddleware before host checks and the HTTPS redirect.
    path("healthz/", healthz, name="healthz"),
    # Two-factor sign-in (accounts.two_factor): enrolment, the code page, backup codes.
    path("accounts/2fa/", include("accounts.two_factor_views")),
    path("accounts/", SentraAuthViewset(allow_password_change=True, with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("berkas/", include(sentra_urls.file_patterns)),
    path("berkas/rancangan-sk/", include(flows_urls.file_patterns)),
    path("pelimpahan/", include(flows_urls.delegation_patterns)),
    path("anggota/", include(sentra_urls.census_patterns)),
    path("notifikasi/", include("notifications.urls")),
    path("aset/", include(sentra_urls.aset_patterns)),
    # Public (no login): outside the viewflow site, whose middleware refuses anonymous visitors.
    path("verifikasi/", include(sentra_urls.public_patterns)),
    path("audit/", include("oversight.urls")),
    path("pantau/", include("oversight.official_urls")),  # officials' search, service-level report
    path("api/", include("api.urls")),
    path("", site.urls),
]
