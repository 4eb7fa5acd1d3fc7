"""The province dashboard: it leads with the FGD's indicator (DAK sentra without a pengelola ber-SK,
``oversight.sentra_register.indicator``), then each kab/kota at a glance (sentra, pengelola with an SK in
force, proposals in progress per stage, overdue steps), in a fixed number of queries. Every count is
read through ``visible_to(user)``: the province's officials see every kab/kota, a kab/kota's pimpinan
their own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from accounts.roles import Role
from flows.models import LegalisasiProcess, Tahap, TaskDeadline
from sentra.choices import RegionKind, StatusSK
from sentra.models import SK, Region, Sentra

from .sentra_register import indicator


def user_can_view_province_dashboard(user) -> bool:
    """The province's officials (pencatat, pimpinan), a kab/kota's pimpinan (for their own region),
    auditors and administrators read the dashboard."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_role(Role.AUDITOR):
        return True
    region = user.region
    if region is None:
        return False
    if region.is_province:
        return bool(user.role_names & {Role.PENCATAT_PROVINSI.value, Role.PIMPINAN.value})
    return user.has_role(Role.PIMPINAN)


def dashboard_province(user) -> Region:
    """The region the dashboard is titled with: the official's own, else the installation's province."""
    region = user.region
    if region is not None:
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


def province_dashboard(user, *, today: dt.date | None = None) -> dict:
    """Per kab/kota ``user`` may see: sentra, pengelola with an SK in force, proposals in progress per
    stage and overdue steps. Five queries (the regions, four aggregates), however many proposals there are."""
    today = today or timezone.localdate()
    stages = [t for t in Tahap if t not in (Tahap.TERCATAT, Tahap.DITOLAK)]
    rows = {
        r.code: DashboardRow(region=r, per_tahap={t.value: 0 for t in stages})
        for r in Region.objects.visible_to(user).exclude(kind=RegionKind.PROVINSI).order_by("code")
    }

    for code, n in (
        Sentra.objects.visible_to(user).values("region").annotate(n=Count("pk")).values_list("region", "n")
    ):
        if code in rows:
            rows[code].sentra = n
    ber_sk = (
        SK.objects.visible_to(user).filter(status=StatusSK.BERLAKU)
        .values("region")
        .annotate(n=Count("pengelola", distinct=True))
        .values_list("region", "n")
    )
    for code, n in ber_sk:
        if code in rows:
            rows[code].pengelola_ber_sk = n
    in_progress = (
        LegalisasiProcess.objects.visible_to(user).filter(tahap__in=stages)
        .exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED])
        .values("region", "tahap")
        .annotate(n=Count("pk"))
        .values_list("region", "tahap", "n")
    )
    for code, tahap, n in in_progress:
        if code in rows:
            rows[code].per_tahap[tahap] = n
    overdue = (
        TaskDeadline.objects.filter(
            process__in=LegalisasiProcess.objects.visible_to(user).values("pk"),
            due_on__lt=today, task__finished__isnull=True,
        )
        .exclude(task__status__in=[STATUS.DONE, STATUS.CANCELED])
        .values("process__region")
        .annotate(n=Count("pk"))
        .values_list("process__region", "n")
    )
    for code, n in overdue:
        if code in rows:
            rows[code].terlambat = n

    ordered = list(rows.values())
    return {
        "province": dashboard_province(user),
        "indicator": indicator(user, today=today),
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
