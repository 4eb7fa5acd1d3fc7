from django.urls import path

from . import access_views
from . import auditor_views as views

# The auditor's pages keep the "audit" namespace and the /audit/ address they have always had.
app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("akses-ditolak/", access_views.access_refusals, name="access_refusals"),
    path("usulan/<int:pk>/", views.TimelineView.as_view(), name="timeline"),
    path("usulan/<int:pk>/keputusan/<int:keputusan_pk>/", views.as_decided, name="as_decided"),
    path("usulan/<int:pk>/linimasa.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("usulan/<int:pk>/laporan.pdf", views.export, {"fmt": "pdf"}, name="export_pdf"),
    path("usulan/<int:pk>/bukti.zip", views.export, {"fmt": "zip"}, name="export_zip"),
]
