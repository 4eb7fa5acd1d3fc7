"""``/api/v1/``: the register, sentra, pengelola, anggota IKM, proposals, the inbox, the schema and its page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import inbox, views

app_name = "api"


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"


v1 = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("register/", views.RegisterList.as_view(), name="register-list"),
    path("register/<int:pk>/", views.RegisterDetail.as_view(), name="register-detail"),
    path("sentra/", views.SentraList.as_view(), name="sentra-list"),
    path("sentra/<int:pk>/", views.SentraDetail.as_view(), name="sentra-detail"),
    path("pengelola/", views.PengelolaList.as_view(), name="pengelola-list"),
    path("pengelola/<int:pk>/", views.PengelolaDetail.as_view(), name="pengelola-detail"),
    path("anggota/", views.AnggotaList.as_view(), name="anggota-list"),
    path("anggota/<int:pk>/", views.AnggotaDetail.as_view(), name="anggota-detail"),
    path("usulan/", views.UsulanList.as_view(), name="usulan-list"),
    path("usulan/<int:pk>/", views.UsulanDetail.as_view(), name="usulan-detail"),
    path("kotak-masuk/", inbox.InboxList.as_view(), name="inbox"),
    path("kotak-masuk/antrean/", inbox.QueueList.as_view(), name="queue"),
    path("tugas/<int:pk>/", inbox.TaskDetail.as_view(), name="task-detail"),
    path("tugas/<int:pk>/ambil/", inbox.TaskClaim.as_view(), name="task-claim"),
    path("tugas/<int:pk>/lepas/", inbox.TaskUnclaim.as_view(), name="task-unclaim"),
    path("tugas/<int:pk>/putuskan/", inbox.TaskDecide.as_view(), name="task-decide"),
]

urlpatterns = [path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1]
