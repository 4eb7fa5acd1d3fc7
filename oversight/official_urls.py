"""The officials' search and service-level report, mounted at /pantau/."""

from django.urls import path

from . import official_views as views

app_name = "pantau"

urlpatterns = [
    path("cari/", views.search, name="search"),
    path("kinerja/", views.service_levels, name="service_levels"),
    path("kinerja/ekspor/", views.service_levels_export, name="service_levels_export"),
]
