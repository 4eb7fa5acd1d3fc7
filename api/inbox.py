"""The inbox for a user (a user token or the site's session): my tasks, the tasks I may claim, claim,
release and decide: the same selectors, lock, permission checks and services as the web pages."""

import base64
import binascii
import hashlib
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from accounts.selectors import user_is_read_only
from audit.context import acting_as
from core.errors import RuleViolation
from flows import forms as flow_forms
from flows import services, task_lists
from flows.flows import LegalisasiFlow
from flows.models import LegalisasiTask
from flows.steps import PROCESS_MODEL, STEP

from .base import ApiView, ScopedDetailView, ScopedListView, param_choice
from .idempotency import canonical, idempotent
from .models import Scope
from .parsers import JSONParser
from .problems import problem
from .serializers import KeputusanSerializer, TaskSerializer

TASK_RELATED = ("process__legalisasiprocess__pengelola", "process__legalisasiprocess__region")
STEP_PARAM = OpenApiParameter("langkah", str, enum=[s.name for s in STEP.values() if s.process_model == PROCESS_MODEL])


def _require_user(request):
    """The inbox is a person's: a service account has none."""
    if request.user.pk is None:
        raise exceptions.PermissionDenied(_("Kotak masuk hanya untuk token pengguna atau sesi situs, bukan akun layanan."))


class _TaskList(ScopedListView):
    serializer_class = TaskSerializer
    read_scope = None
    selector = None

    def get_queryset(self):
        _require_user(self.request)
        step = param_choice(self.request, "langkah", [node.name for node in task_lists.human_nodes(LegalisasiFlow)])
        return type(self).selector(LegalisasiFlow, self.request.user, step).select_related(*TASK_RELATED)


@extend_schema(summary="Tugas saya (sudah diambil, belum selesai)", parameters=[STEP_PARAM])
class InboxList(_TaskList):
    selector = staticmethod(task_lists.inbox_tasks)


@extend_schema(summary="Tugas yang boleh saya ambil (antrean)", parameters=[STEP_PARAM])
class QueueList(_TaskList):
    selector = staticmethod(task_lists.queue_tasks)


def _visible_tasks(request):
    return LegalisasiTask.objects.visible_to(request.user).filter(
        flow_task_type="HUMAN", flow_task__in=task_lists.human_nodes(LegalisasiFlow)
    )


@extend_schema(summary="Satu tugas dalam wilayah saya")
class TaskDetail(ScopedDetailView):
    serializer_class = TaskSerializer
    read_scope = None

    def get_queryset(self):
        _require_user(self.request)
        return _visible_tasks(self.request).select_related(*TASK_RELATED)


def _handled(task):
    task = LegalisasiTask.objects.select_related("owner").get(pk=task.pk)
    who = task.owner.get_full_name() or task.owner.username if task.owner_id else None
    detail = _("Tugas ini sudah diselesaikan oleh %(who)s.") % {"who": who} if who else _("Tugas ini sudah selesai.")
    return problem(409, detail, title=_("Tugas sudah diselesaikan"), tugas=task.pk, pemilik=task.owner_id)


class _TaskWrite(ApiView, APIView):
    """A write on one task: found in the user's scope first (404 otherwise), then the idempotency key,
    then the process lock, the node's permission and the service, as the web's task pages do."""

    read_scope = None
    write_scope = Scope.INBOX_WRITE
    parser_classes = [JSONParser]

    def body(self, request) -> tuple[dict, str]:
        data = request.data
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("Isi permintaan harus objek JSON.")]})
        return data, canonical(data)

    def post(self, request, pk: int):
        _require_user(request)
        if user_is_read_only(request.user):
            raise exceptions.PermissionDenied(_("Auditor hanya dapat membaca; perubahan tidak diizinkan."))
        task = _visible_tasks(request).filter(pk=pk).only("pk", "process_id").first()
        if task is None:
            raise exceptions.NotFound()
        data, body_repr = self.body(request)
        return idempotent(request, body_repr, lambda: self._locked(request, task, data))

    def _locked(self, request, task, data):
        user = request.user
        try:
            with acting_as(user), LegalisasiFlow.lock(task.process_id), transaction.atomic():
                task = LegalisasiTask.objects.select_related(*TASK_RELATED).get(pk=task.pk)
                return self.act(request, task, data)
        except FlowLockFailed:
            return problem(409, _("Usulan ini sedang diproses pengguna lain. Coba lagi sebentar lagi."))
        except TransitionNotAllowed:
            return problem(409, _("Tugas ini tidak dapat diubah pada statusnya sekarang."))

    def act(self, request, task, data):
        raise NotImplementedError


@extend_schema(summary="Ambil tugas dari antrean", request=None, responses={200: TaskSerializer},
               parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)])
class TaskClaim(_TaskWrite):
    def act(self, request, task, data):
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            return _handled(task)
        with task.activation() as activation:
            if not activation.task.flow_task.can_assign(request.user, activation.task):
                if task.owner_id is not None:
                    return problem(409, _("Tugas ini sudah diambil pengguna lain."), title=_("Tugas sudah diambil"))
                return problem(403, _("Tugas ini bukan untuk peran Anda."))
            services.task_claim(activation=activation, user=request.user)
        return _task_response(task)


@extend_schema(summary="Lepas tugas ke antrean", request=None, responses={200: TaskSerializer},
               parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)])
class TaskUnclaim(_TaskWrite):
    def act(self, request, task, data):
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            return _handled(task)
        with task.activation() as activation:
            if not activation.task.flow_task.can_unassign(request.user, activation.task):
                return problem(409, _("Tugas ini bukan tugas Anda atau belum diambil."))
            services.task_unclaim(activation=activation, user=request.user)
        return _task_response(task)


def _task_response(task):


    task = LegalisasiTask.objects.select_related(*TASK_RELATED).get(pk=task.pk)
    return Response(TaskSerializer(task).data)


# --- deciding -------------------------------------------------------------------------------------

FILE_FIELDS = {"sk": ("signed_pdf", "salinan_pdf", "dasar_pdf")}
DATA_PREFIX = {"penomoran_sk": "sk"}


def _scalar(name: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, int | float | str):
        return str(value)
    raise exceptions.ValidationError({name: [_("Harus berupa teks, angka atau boolean.")]})


def _file_from_base64(name: str, value) -> UploadedFile:
    if not isinstance(value, str):
        raise exceptions.ValidationError({name: [_("Berkas harus teks base64.")]})
    try:
        content = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise exceptions.ValidationError({name: [_("Berkas bukan base64 yang valid.")]}) from None
    return SimpleUploadedFile(f"{name}.pdf", content, content_type="application/pdf")


def _form_input(step: str, data, files) -> tuple[dict, dict]:
    """The web forms' own field names (``keputusan-hasil``, ``sk-nomor``…) from the JSON
    body (``hasil``, ``catatan``, ``kapasitas``, and an object ``sk``) or a multipart body that
    already uses them."""
    form_data, form_files = {}, {}
    if files is not None:  # multipart: the web's names as they are
        for key in data:
            form_data[key] = data.get(key)
        for name in ("hasil", "catatan", "kapasitas"):
            if name in data:
                form_data[f"keputusan-{name}"] = data.get(name)
        for key in files:
            form_files[key] = files[key]
        return form_data, form_files
    for name in ("hasil", "catatan", "kapasitas"):
        form_data[f"keputusan-{name}"] = _scalar(name, data.get(name))
    prefix = DATA_PREFIX.get(step)
    if prefix is not None:
        nested = data.get(prefix) or {}
        if not isinstance(nested, dict):
            raise exceptions.ValidationError({prefix: [_("Harus objek JSON.")]})
        for key, value in nested.items():
            if not isinstance(key, str) or len(key) > 50:
                continue
            if key in FILE_FIELDS.get(prefix, ()):
                if value:
                    form_files[f"{prefix}-{key}"] = _file_from_base64(f"{prefix}.{key}", value)
            else:
                form_data[f"{prefix}-{key}"] = _scalar(f"{prefix}.{key}", value)
    return form_data, form_files


def _form_errors(form_map: dict) -> dict:
    errors = {}
    for key, form in form_map.items():
        prefix = {"keputusan_form": "", "sk_form": "sk."}.get(key, "")
        for field, messages in form.errors.items():
            errors[prefix + ("non_field_errors" if field == "__all__" else field)] = [str(m) for m in messages]
    return errors


DECISION_REQUEST = inline_serializer("Keputusan", {
    "hasil": serializers.CharField(help_text="Salah satu pilihan langkah (hasil_pilihan tugas)."),
    "catatan": serializers.CharField(required=False, help_text="Wajib saat mengembalikan atau menolak."),
    "kapasitas": serializers.CharField(required=False, help_text="Mis. 'Plt. Kepala Dinas'."),
    "sk": serializers.DictField(required=False, help_text="penomoran_sk: nomor, tanggal, penandatangan_nama, "
                                "penandatangan_kapasitas, dasar_*, plh_peringatan_diakui, srikandi_ref, dan berkas "
                                "signed_pdf, salinan_pdf, dasar_pdf dalam base64 (atau multipart sk-signed_pdf …)."),
})


@extend_schema(
    summary="Putuskan tugas (aturan, catatan dan data sama dengan formulir web)",
    request={"application/json": DECISION_REQUEST, "multipart/form-data": OpenApiTypes.OBJECT},
    responses={200: inline_serializer("HasilKeputusan", {
        "tugas": serializers.IntegerField(), "usulan": serializers.IntegerField(),
        "tahap": serializers.CharField(), "keputusan": KeputusanSerializer()})},
    parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)],
)
class TaskDecide(_TaskWrite):
    parser_classes = [JSONParser, MultiPartParser]

    def body(self, request):
        if request.content_type.startswith("multipart/"):
            files = {key: request.FILES[key] for key in request.FILES}
            fields = {key: request.data.get(key) for key in request.data if key not in files}
            digests = {}
            for key, uploaded in files.items():
                digest = hashlib.sha256()
                for chunk in uploaded.chunks():
                    digest.update(chunk)
                uploaded.seek(0)
                digests[key] = digest.hexdigest()
            self._files = files
            return fields, canonical({"fields": fields, "files": digests})
        self._files = None
        return super().body(request)

    def act(self, request, task, data):


        if task.status in (STATUS.DONE, STATUS.CANCELED):
            return _handled(task)
        flow_task = task.flow_task
        step = STEP.get(flow_task.name)
        if step is None or step.by_pengusul or step.web_only:
            return problem(422, _("Usulan dan perbaikan diisi melalui halaman web, bukan API."))
        if not flow_task.can_execute(request.user, task):
            if task.status == STATUS.NEW:
                return problem(409, _("Ambil tugas ini terlebih dahulu."), title=_("Tugas belum diambil"))
            if task.owner_id != request.user.pk:
                return problem(409, _("Tugas ini dipegang pengguna lain."), title=_("Tugas sudah diambil"))
            return problem(403, _("Anda tidak berhak memutuskan tugas ini."))
        form_data, form_files = _form_input(step.name, data, self._files)
        keputusan_form = flow_forms.KeputusanForm(form_data, prefix="keputusan", step=step.name)
        form_map = {"keputusan_form": keputusan_form}
        if step.name == "penomoran_sk":
            form_map["sk_form"] = flow_forms.PenomoranSKForm(form_data, form_files, prefix="sk")
        with_data = form_data.get("keputusan-hasil") == step.data_required_for
        checked = form_map.values() if with_data else [keputusan_form]
        if not all(form.is_valid() for form in checked):
            return problem(422, _("Periksa kembali data yang dikirim."),
                           errors=_form_errors(form_map if with_data else {"keputusan_form": keputusan_form}))
        decision = keputusan_form.cleaned_data
        try:
            with transaction.atomic():
                activation = flow_task.activation_class(task)
                activation.start(SimpleNamespace(user=request.user))
                keputusan = self.decide(step.name, activation, request.user, form_map if with_data else {}, decision)
        except RuleViolation as exc:
            return problem(422, exc.messages[0], errors={exc.field or "non_field_errors": list(exc.messages)})
        process = activation.process
        process.refresh_from_db(fields=["tahap"])
        return Response({"tugas": task.pk, "usulan": process.pk, "tahap": process.tahap,
                         "keputusan": KeputusanSerializer(keputusan).data})

    @staticmethod
    def decide(step, activation, user, data_forms, decision):
        """The web page's ``decide`` for each step (``flows.views``): the same service, the same data."""
        if step == "verifikasi_aset":
            # The asset lines are BPKAD's own records (the sentra's asset page); approving checks them.
            return services.verifikasi_aset_decide(activation=activation, user=user, **decision)
        if step == "penomoran_sk":
            sk_form = data_forms.get("sk_form")
            return services.penomoran_sk_decide(
                activation=activation, user=user,
                sk_fields=sk_form.sk_fields() if sk_form is not None else None,
                pdf=sk_form.cleaned_data.get("signed_pdf") if sk_form is not None else None,
                salinan=sk_form.cleaned_data.get("salinan_pdf") if sk_form is not None else None,
                dasar=sk_form.cleaned_data.get("dasar_pdf") if sk_form is not None else None,
                **decision)
        if step == "pencatatan_provinsi":
            return services.pencatatan_provinsi_decide(activation=activation, user=user, **decision)
        if step == "tanggapan_catatan":
            return services.tanggapan_catatan_decide(activation=activation, user=user, **decision)
        return services.step_decide(activation=activation, user=user, **decision)
