"""Public verification pages (no login), mounted at /verifikasi/ outside the viewflow site."""

from django.urls import path

from . import public_views

app_name = "verifikasi"

urlpatterns = [
    path("", public_views.verifikasi_lookup, name="lookup"),
    path("<slug:token>/", public_views.verifikasi_detail, name="detail"),
]
