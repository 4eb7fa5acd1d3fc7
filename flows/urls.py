"""Files of a proposal in progress: the draft SK, for those who may view the proposal (``/berkas/rancangan-sk/``)."""

from django.urls import path

from . import delegation_views, views

file_patterns = (
    [
        path("<int:process_pk>/docx/", views.sk_draft_download, {"fmt": "docx"}, name="sk_draft_docx"),
        path("<int:process_pk>/pdf/", views.sk_draft_download, {"fmt": "pdf"}, name="sk_draft_pdf"),
    ],
    "rancangan",
)

# Acting officials (Plt./Plh.), absences and moving tasks (``/pelimpahan/``).
delegation_patterns = (
    [
        path("", delegation_views.delegation_home, name="home"),
        path("ketidakhadiran/", delegation_views.absence_record, name="absence"),
        path("plt-plh/", delegation_views.acting_grant_record, name="grant"),
        path("plt-plh/<int:pk>/akhiri/", delegation_views.acting_grant_end, name="grant_end"),
        path("ketidakhadiran/<int:pk>/akhiri/", delegation_views.absence_end, name="absence_end"),
        path("pengguna/<int:user_pk>/alihkan/", delegation_views.tasks_reassign, name="reassign"),
    ],
    "delegation",
)
