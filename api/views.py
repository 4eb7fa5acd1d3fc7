"""Read endpoints: every queryset is ``Model.objects.visible_to(request.user)`` (the one scope rule);
a service-account token's user is its ``ServicePrincipal``, attached to the token's region."""

from django.db.models import Count, Exists, OuterRef, Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from core.queries import filter_given

from flows.models import Keputusan, LegalisasiProcess, Tahap
from sentra.choices import StatusPencatatan, StatusSK
from flows.selectors import sentra_state_annotate
from sentra.models import SK, AnggotaIKM, Pengelola, Pengurus, Sentra
from sentra.selectors import register_entries

from . import serializers
from .base import ScopedDetailView, ScopedListView, param_choice, param_date, param_int, param_region
from .tokens import scopes_of

REGION = OpenApiParameter("wilayah", str, description="Kode wilayah Kemendagri (mis. 72.03)")
SEJAK = OpenApiParameter("sejak", str, description="Tanggal awal (YYYY-MM-DD)")
SAMPAI = OpenApiParameter("sampai", str, description="Tanggal akhir (YYYY-MM-DD)")
CURSOR_PARAMS = [OpenApiParameter("jumlah", int, description="Jumlah per halaman (1–200)")]


class _ScopedMixin:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "scopes": scopes_of(self.request)}


# --- the register -------------------------------------------------------------------------------------


def _register(request):
    return register_entries(user=request.user).order_by("-pk")


@extend_schema_view(get=extend_schema(
    summary="Register SK (SK yang tercatat di provinsi)",
    parameters=[REGION, SEJAK, SAMPAI, *CURSOR_PARAMS,
                OpenApiParameter("status", str, enum=list(StatusSK.values)),
                OpenApiParameter("status_pencatatan", str, enum=list(StatusPencatatan.values))],
))
class RegisterList(_ScopedMixin, ScopedListView):
    serializer_class = serializers.RegisterEntrySerializer

    def get_queryset(self):
        request = self.request
        return filter_given(
            _register(request),
            region_id=param_region(request),
            status=param_choice(request, "status", StatusSK.values),
            status_pencatatan=param_choice(request, "status_pencatatan", StatusPencatatan.values),
            dicatat_pada__gte=param_date(request, "sejak"),
            dicatat_pada__lte=param_date(request, "sampai", end=True),
        )


@extend_schema(summary="Satu entri register SK")
class RegisterDetail(_ScopedMixin, ScopedDetailView):
    serializer_class = serializers.RegisterEntrySerializer

    def get_queryset(self):
        return _register(self.request)


# --- sentra, pengelola, anggota ---------------------------------------------------------------------


def _sentra(request):
    in_force = SK.objects.filter(pengelola__sentra=OuterRef("pk"), status=StatusSK.BERLAKU).exclude(nomor_register="")
    # ``keadaan``: the register's derived state, the one rule (flows.selectors.sentra_state_annotate).
    return sentra_state_annotate(
        Sentra.objects.visible_to(request.user).select_related("region")
        .annotate(ber_sk=Exists(in_force), jumlah_pengelola=Count("pengelola_set"))
    )


@extend_schema_view(get=extend_schema(summary="Sentra IKM", parameters=[REGION, *CURSOR_PARAMS]))
class SentraList(_ScopedMixin, ScopedListView):
    serializer_class = serializers.SentraSerializer

    def get_queryset(self):
        return filter_given(_sentra(self.request), region_id=param_region(self.request))


@extend_schema(summary="Satu sentra IKM")
class SentraDetail(_ScopedMixin, ScopedDetailView):
    serializer_class = serializers.SentraSerializer

    def get_queryset(self):
        return _sentra(self.request)


def _pengelola(request):
    return Pengelola.objects.visible_to(request.user).select_related("sentra__region").prefetch_related(
        Prefetch("pengurus_set", queryset=Pengurus.objects.order_by("pk"))
    )


@extend_schema_view(get=extend_schema(summary="Pengelola dan pengurusnya", parameters=[
    REGION, SEJAK, SAMPAI, OpenApiParameter("sentra", int), *CURSOR_PARAMS]))
class PengelolaList(_ScopedMixin, ScopedListView):
    serializer_class = serializers.PengelolaSerializer

    def get_queryset(self):
        request = self.request
        return filter_given(
            _pengelola(request),
            sentra__region_id=param_region(request),
            sentra_id=param_int(request, "sentra"),
            created_at__gte=param_date(request, "sejak"),
            created_at__lte=param_date(request, "sampai", end=True),
        )


@extend_schema(summary="Satu pengelola dengan pengurusnya")
class PengelolaDetail(_ScopedMixin, ScopedDetailView):
    serializer_class = serializers.PengelolaSerializer

    def get_queryset(self):
        return _pengelola(self.request)


@extend_schema_view(get=extend_schema(
    summary="Anggota IKM (NIK hanya dengan cakupan personal:read)",
    parameters=[REGION, OpenApiParameter("pengelola", int), *CURSOR_PARAMS]))
class AnggotaList(_ScopedMixin, ScopedListView):
    serializer_class = serializers.AnggotaSerializer

    def get_queryset(self):
        request = self.request
        return filter_given(
            AnggotaIKM.objects.visible_to(request.user),
            pengelola__sentra__region_id=param_region(request),
            pengelola_id=param_int(request, "pengelola"),
        )


@extend_schema(summary="Satu anggota IKM")
class AnggotaDetail(_ScopedMixin, ScopedDetailView):
    serializer_class = serializers.AnggotaSerializer

    def get_queryset(self):
        return AnggotaIKM.objects.visible_to(self.request.user)


# --- proposals ---------------------------------------------------------------------------------------


def _usulan(request):
    return LegalisasiProcess.objects.visible_to(request.user).select_related("region", "pengelola").prefetch_related(
        Prefetch("keputusan_set", queryset=Keputusan.objects.select_related("oleh").order_by("dibuat", "pk"))
    )


@extend_schema_view(get=extend_schema(summary="Usulan dengan tahap dan riwayat keputusan", parameters=[
    REGION, SEJAK, SAMPAI, OpenApiParameter("tahap", str, enum=list(Tahap.values)), *CURSOR_PARAMS]))
class UsulanList(_ScopedMixin, ScopedListView):
    serializer_class = serializers.UsulanSerializer

    def get_queryset(self):
        request = self.request
        return filter_given(
            _usulan(request),
            region_id=param_region(request),
            tahap=param_choice(request, "tahap", Tahap.values),
            created__gte=param_date(request, "sejak"),
            created__lte=param_date(request, "sampai", end=True),
        )


@extend_schema(summary="Satu usulan dengan riwayat keputusannya")
class UsulanDetail(_ScopedMixin, ScopedDetailView):
    serializer_class = serializers.UsulanSerializer

    def get_queryset(self):
        return _usulan(self.request)
