"""Reads of the provincial register: the register list, an entry's public face, the province dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.selectors import region_scope_q, user_visible_region_codes

from .choices import BentukHukum, RegionKind, StatusSK
from .documents.context import CAPACITY_PREFIX, date_id, kepala_daerah_title, lokasi
from .models import SK, Region, Sentra

# Statuses an SK can have once it is in the register (it stays there when revoked).
REGISTER_STATUSES = (StatusSK.BERLAKU, StatusSK.DICABUT)


# --- The register ----------------------------------------------------------------------------------


def register_entries(
    *,
    user,
    region_code: str | None = None,
    status: str | None = None,
    bentuk_hukum: str | None = None,
    tahun: int | None = None,
) -> QuerySet[SK]:
    """The register's entries ``user`` may see, newest register number first, narrowed by the filters.

    ``tahun`` is the register's year (the year of the register number), not the SK's.
    """
    entries = (
        SK.objects.exclude(nomor_register="")
        .filter(region_scope_q(user, "region"))
        .select_related("region", "pengelola__sentra")
    )
    if region_code:
        entries = entries.filter(region_id=region_code)
    if status:
        entries = entries.filter(status=status)
    if bentuk_hukum:
        entries = entries.filter(pengelola__bentuk_hukum=bentuk_hukum)
    if tahun:
        # The register number's year is the local year of the recording (services.sk_record).
        entries = entries.filter(dicatat_pada__year=tahun)
    # Register numbers end in /<year>/<4-digit sequence>: their text order is the register's order.
    return entries.order_by("-nomor_register")


def register_regions(user) -> QuerySet[Region]:
    """The kab/kota whose entries ``user`` may filter on."""
    regions = Region.objects.filter(kind__in=[RegionKind.KABUPATEN, RegionKind.KOTA])
    codes = user_visible_region_codes(user)
    return regions if codes is None else regions.filter(code__in=codes)


def register_entries_with_counts(entries: QuerySet[SK]) -> QuerySet[SK]:
    """``entries`` with the number of pengurus and anggota IKM of each (for the export)."""
    return entries.annotate(
        jumlah_pengurus=Count("pengelola__pengurus_set", distinct=True),
        jumlah_anggota=Count("pengelola__anggota_set", distinct=True),
    )


# --- An entry's public face --------------------------------------------------------------------------


def verification_url(sk: SK) -> str:
    """The absolute address of ``sk``'s public verification page (printed as a QR code)."""
    return settings.SKSENTRA_BASE_URL.rstrip("/") + reverse("verifikasi:detail", args=[sk.verification_token])


def signer_office(sk: SK) -> str:
    """``Plt. BUPATI DONGGALA``: in which capacity and office the SK was signed."""
    return f"{CAPACITY_PREFIX.get(sk.penandatangan_kapasitas, '')}{kepala_daerah_title(sk.region)}"


def register_entry_public(sk: SK) -> dict:
    """What anyone may know of a register entry: an allowlist, so that nothing else can leak.

    Never NIK, telephone numbers, names of pengurus or anggota, officials' notes or internal ids:
    the verification page and the printed summary show only these values.
    """
    sentra = sk.pengelola.sentra
    return {
        "nomor_register": sk.nomor_register,
        "dicatat_pada": date_id(timezone.localtime(sk.dicatat_pada).date()) if sk.dicatat_pada else "",
        "status": str(StatusSK(sk.status).label),
        "berlaku": sk.status == StatusSK.BERLAKU,
        "nomor": sk.nomor,
        "tanggal": date_id(sk.tanggal),
        "penandatangan": signer_office(sk),
        "pengelola": sk.pengelola.name,
        "bentuk_hukum": str(BentukHukum(sk.pengelola.bentuk_hukum).label),
        "sentra": sentra.name,
        "lokasi": lokasi(sentra),
        "wilayah": str(sk.region),
        "provinsi": str(sk.region.province).upper(),
        "sha256": sk.sha256,
    }


def _registered() -> QuerySet[SK]:
    return SK.objects.exclude(nomor_register="").select_related("region__parent", "pengelola__sentra")


def verification_entry(token: str) -> SK | None:
    """The register entry whose public page is ``token``, if it is in the register."""
    return _registered().filter(verification_token=token).first()


def verification_lookup(query: str, *, limit: int = 20) -> list[SK]:
    """Register entries whose register number or SK number is ``query`` (exactly, ignoring case).

    An SK number is unique only within its kab/kota and year, so a number may name several entries.
    """
    query = " ".join((query or "").split())
    if not query:
        return []
    return list(_registered().filter(Q(nomor_register__iexact=query) | Q(nomor__iexact=query)).order_by("-pk")[:limit])


# --- The province dashboard --------------------------------------------------------------------------


def user_can_view_province_dashboard(user) -> bool:
    """The province's officials (pencatat, pimpinan), auditors and administrators read the dashboard."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_role(Role.AUDITOR):
        return True
    region = user.region
    return (
        region is not None
        and region.is_province
        and bool(user.role_names & {Role.PENCATAT_PROVINSI.value, Role.PIMPINAN.value})
    )


def dashboard_province(user) -> Region:
    """The province the dashboard shows: the official's own, else the installation's."""
    region = user.region
    if region is not None and region.is_province:
        return region
    return Region.objects.get(code=settings.SKSENTRA_PROVINCE_CODE)


@dataclass
class DashboardRow:
    """One kab/kota on the province dashboard."""

    region: Region
    sentra: int = 0
    pengelola_ber_sk: int = 0
    per_tahap: dict[str, int] = field(default_factory=dict)
    terlambat: int = 0

    @property
    def berjalan(self) -> int:
        return sum(self.per_tahap.values())


def province_dashboard(province: Region, *, today: dt.date | None = None) -> dict:
    """Per kab/kota of ``province``: sentra, pengelola with an SK in force, proposals in progress per
    stage and overdue steps. Five queries (the regions, four aggregates), however many proposals there are."""
    from viewflow.workflow.status import PROCESS, STATUS

    from flows.models import LegalisasiProcess, Tahap, TaskDeadline

    today = today or timezone.localdate()
    stages = [t for t in Tahap if t not in (Tahap.TERCATAT, Tahap.DITOLAK)]
    rows = {
        r.code: DashboardRow(region=r, per_tahap={t.value: 0 for t in stages})
        for r in Region.objects.filter(parent=province).order_by("code")
    }
    in_province = {"region__parent": province}

    for code, n in (
        Sentra.objects.filter(**in_province).values("region").annotate(n=Count("pk")).values_list("region", "n")
    ):
        rows[code].sentra = n
    ber_sk = (
        SK.objects.filter(status=StatusSK.BERLAKU, **in_province)
        .values("region")
        .annotate(n=Count("pengelola", distinct=True))
        .values_list("region", "n")
    )
    for code, n in ber_sk:
        rows[code].pengelola_ber_sk = n
    in_progress = (
        LegalisasiProcess.objects.filter(tahap__in=stages, **in_province)
        .exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED])
        .values("region", "tahap")
        .annotate(n=Count("pk"))
        .values_list("region", "tahap", "n")
    )
    for code, tahap, n in in_progress:
        rows[code].per_tahap[tahap] = n
    overdue = (
        TaskDeadline.objects.filter(process__region__parent=province, due_on__lt=today, task__finished__isnull=True)
        .exclude(task__status__in=[STATUS.DONE, STATUS.CANCELED])
        .values("process__region")
        .annotate(n=Count("pk"))
        .values_list("process__region", "n")
    )
    for code, n in overdue:
        rows[code].terlambat = n

    ordered = list(rows.values())
    return {
        "province": province,
        "today": today,
        "stages": [(t.value, str(t.label)) for t in stages],
        "rows": ordered,
        "totals": {
            "sentra": sum(r.sentra for r in ordered),
            "pengelola_ber_sk": sum(r.pengelola_ber_sk for r in ordered),
            "per_tahap": {t.value: sum(r.per_tahap[t.value] for r in ordered) for t in stages},
            "berjalan": sum(r.berjalan for r in ordered),
            "terlambat": sum(r.terlambat for r in ordered),
        },
    }
