"""The province dashboard: each kab/kota at a glance (sentra, pengelola with an SK in force,
proposals in progress per stage, overdue steps), in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from accounts.roles import Role
from flows.models import LegalisasiProcess, Tahap, TaskDeadline
from sentra.choices import StatusSK
from sentra import asset_services
from sentra.models import SK, AsetDAK, Region, Sentra


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


def agreements_ending(user, province: Region, *, today: dt.date | None = None) -> dict:
    """The dashboard's block of DAK asset agreements (sewa, KSP, pinjam pakai) ending within
    ``SKSENTRA_ASSET_AGREEMENT_WARN_DAYS``, in the reader's scope: one query, at most 200 lines."""
    today = today or timezone.localdate()
    days = settings.SKSENTRA_ASSET_AGREEMENT_WARN_DAYS
    lines = asset_services.agreements_ending(
        AsetDAK.objects.visible_to(user).filter(sentra__region__parent=province), today=today, within_days=days
    )
    return {"days": days, "lines": [{"line": line, "days_left": (line.berakhir_pada - today).days}
                                    for line in lines[:200]]}
