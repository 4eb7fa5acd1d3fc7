"""Files of a proposal in progress: the draft SK, for those who may view the proposal (``/berkas/rancangan-sk/``)."""

from django.urls import path

from . import views

file_patterns = (
    [
        path("<int:process_pk>/docx/", views.sk_draft_download, {"fmt": "docx"}, name="sk_draft_docx"),
        path("<int:process_pk>/pdf/", views.sk_draft_download, {"fmt": "pdf"}, name="sk_draft_pdf"),
    ],
    "rancangan",
)
