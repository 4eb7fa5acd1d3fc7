"""Reads of the DAK sentra register (issue 14): its list, and the province's indicator — DAK sentra
without a pengelola ber-SK, per kab/kota and in total — in a fixed number of queries, whatever the
number of sentra, pengelola or members. The state of each sentra is ``flows.selectors.sentra_state_annotate``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from flows.selectors import dak_sentra, sentra_state_annotate
from sentra.choices import RegionKind, SentraState
from sentra.models import DakAlokasi, Region, Sentra


def sentra_register(user, *, wilayah=None, keadaan: str = "", indikator: bool = False,
                    belum_dikonfirmasi: bool = False, today: dt.date | None = None):
    """The sentra ``user`` may see, with their state and DAK years (one query, plus one for the years)."""
    qs = sentra_state_annotate(Sentra.objects.visible_to(user), today=today).select_related("region")
    if wilayah is not None:
        qs = qs.filter(region=wilayah)
    if indikator:
        qs = dak_sentra(qs).filter(confirmed=True).exclude(state=SentraState.BER_SK)
    if keadaan:
        qs = qs.filter(state=keadaan)
    if belum_dikonfirmasi:
        qs = qs.filter(confirmed=False)
    return qs.prefetch_related(Prefetch("dak_set", queryset=DakAlokasi.objects.order_by("tahun"))).order_by(
        "region", "name", "pk"
    )


@dataclass
class IndicatorRow:
    region: Region
    dak_sentra: int = 0
    tanpa_sk: int = 0
    dalam_proses: int = 0
    menunggu_konfirmasi: int = 0

    @property
    def ber_sk(self) -> int:
        return self.dak_sentra - self.tanpa_sk


def indicator(user, *, today: dt.date | None = None) -> dict:
    """Per kab/kota ``user`` may see: DAK sentra (confirmed by the province), those without a pengelola
    ber-SK (the FGD's indicator), of which in process, and sentra waiting for confirmation. Two queries."""
    rows = {
        r.code: IndicatorRow(region=r)
        for r in Region.objects.visible_to(user).exclude(kind=RegionKind.PROVINSI).order_by("code")
    }
    counted = (
        dak_sentra(sentra_state_annotate(Sentra.objects.visible_to(user), today=today))
        .values("region")
        .annotate(
            dak=Count("pk", filter=Q(confirmed=True)),
            tanpa_sk=Count("pk", filter=Q(confirmed=True) & ~Q(state=SentraState.BER_SK)),
            proses=Count("pk", filter=Q(confirmed=True, state=SentraState.DALAM_PROSES)),
            menunggu=Count("pk", filter=Q(confirmed=False)),
        )
        .order_by()
    )
    for row in counted:
        if row["region"] in rows:
            target = rows[row["region"]]
            target.dak_sentra, target.tanpa_sk = row["dak"], row["tanpa_sk"]
            target.dalam_proses, target.menunggu_konfirmasi = row["proses"], row["menunggu"]
    ordered = list(rows.values())
    return {
        "today": today or timezone.localdate(),
        "rows": ordered,
        "total": IndicatorRow(
            region=None,
            dak_sentra=sum(r.dak_sentra for r in ordered),
            tanpa_sk=sum(r.tanpa_sk for r in ordered),
            dalam_proses=sum(r.dalam_proses for r in ordered),
            menunggu_konfirmasi=sum(r.menunggu_konfirmasi for r in ordered),
        ),
    }
