"""One viewflow Site: the legalisation flow's inbox, queue, archive and process pages."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Site

from accounts.views import SentraAuthViewset
from flows.flows import LegalisasiFlow
from flows.viewset import LegalisasiViewset
from sentra.viewset import RegisterApp

from .health import healthz

site = Site(
    title=_("SK Sentra"),
    viewsets=[
        LegalisasiViewset(LegalisasiFlow, icon="assignment"),
        RegisterApp(),
    ],
)

urlpatterns = [
    # Answered by workflow_project.health.HealthCheckMiddleware before host checks and the HTTPS redirect.
    path("healthz/", healthz, name="healthz"),
    path("accounts/", SentraAuthViewset(allow_password_change=True, with_profile_view=False).urls),
    path("admin/", admin.site.urls),
    path("berkas/", include("sentra.urls")),
    path("notifikasi/", include("notifications.urls")),
    # Public (no login): outside the viewflow site, whose middleware refuses anonymous visitors.
    path("verifikasi/", include("sentra.public_urls")),
    path("audit/", include("audit.urls")),
    path("", site.urls),
]
