"""``/api/v1/``: the register, sentra, pengelola, anggota IKM, proposals, the inbox, the schema and its page."""

from django.urls import path, register_converter
from django.urls.converters import IntConverter
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import inbox, views
from .problems import problem_json

app_name = "api"
MAX_ID = 2**63 - 1


class IdConverter(IntConverter):
    """An id of the API: digits naming a 64-bit key. A longer number matches no route, so it is answered
    by ``not_found`` as a problem (``core.middleware.IdRangeMiddleware`` would answer the site's HTML 404)."""

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number


register_converter(IdConverter, "id")


@csrf_exempt
def not_found(request, rest=""):
    """Any other URL under ``/api/v1/``: a problem in JSON, not the site's HTML page."""
    return problem_json(404, _("Alamat API ini tidak ada."))


class SchemaView(SpectacularAPIView):
    pass


class DocsView(SpectacularSwaggerSplitView):
    url_name = "api:schema"


v1 = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("register/", views.RegisterList.as_view(), name="register-list"),
    path("register/<id:pk>/", views.RegisterDetail.as_view(), name="register-detail"),
    path("sentra/", views.SentraList.as_view(), name="sentra-list"),
    path("sentra/<id:pk>/", views.SentraDetail.as_view(), name="sentra-detail"),
    path("pengelola/", views.PengelolaList.as_view(), name="pengelola-list"),
    path("pengelola/<id:pk>/", views.PengelolaDetail.as_view(), name="pengelola-detail"),
    path("anggota/", views.AnggotaList.as_view(), name="anggota-list"),
    path("anggota/<id:pk>/", views.AnggotaDetail.as_view(), name="anggota-detail"),
    path("usulan/", views.UsulanList.as_view(), name="usulan-list"),
    path("usulan/<id:pk>/", views.UsulanDetail.as_view(), name="usulan-detail"),
    path("kotak-masuk/", inbox.InboxList.as_view(), name="inbox"),
    path("kotak-masuk/antrean/", inbox.QueueList.as_view(), name="queue"),
    path("tugas/<id:pk>/", inbox.TaskDetail.as_view(), name="task-detail"),
    path("tugas/<id:pk>/ambil/", inbox.TaskClaim.as_view(), name="task-claim"),
    path("tugas/<id:pk>/lepas/", inbox.TaskUnclaim.as_view(), name="task-unclaim"),
    path("tugas/<id:pk>/putuskan/", inbox.TaskDecide.as_view(), name="task-decide"),
]

urlpatterns = [path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1] + [
    path("v1/<path:rest>", not_found, name="not-found"),
]
