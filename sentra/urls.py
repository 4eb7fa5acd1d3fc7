from django.urls import path

from . import sk_views, views

app_name = "sentra"

urlpatterns = [
    path("dokumen/<int:pk>/", views.dokumen_download, name="dokumen_download"),
    path("sk/<int:pk>/", views.sk_download, name="sk_download"),
    path("rancangan-sk/<int:process_pk>/docx/", sk_views.sk_draft_download, {"fmt": "docx"}, name="sk_draft_docx"),
    path("rancangan-sk/<int:process_pk>/pdf/", sk_views.sk_draft_download, {"fmt": "pdf"}, name="sk_draft_pdf"),
    path("register/<int:pk>/ringkasan/", sk_views.register_summary_download, name="register_summary"),
]
