"""Reads for the task and process pages: everything an official needs to decide, in few queries."""

import datetime as dt

from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from sentra.choices import SentraState, StatusSK
from sentra.models import SK, DakAlokasi, Dokumen
from workdays.calendar import BusinessCalendar

from .deadlines import deadline_label
from .models import Keputusan, LegalisasiProcess, TaskDeadline


def proposal_summary(process: LegalisasiProcess) -> dict:
    """The proposal as the official sees it at the moment of deciding."""
    pengelola = process.pengelola
    return {
        "process": process,
        "pengelola": pengelola,
        "sentra": pengelola.sentra,
        "region": process.region,
        "pengurus": list(pengelola.pengurus_set.all()),
        "anggota": list(pengelola.anggota_set.all()),
        "dokumen": list(
            Dokumen.objects.filter(pengelola=pengelola, superseded=False).select_related("uploaded_by")
        ),
        "pemeriksaan_aset": pengelola.pemeriksaan_aset_set.select_related("diperiksa_oleh").first(),
        "sk_list": list(pengelola.sk_set.all()),
        "keputusan": _with_step_titles(process, Keputusan.objects.filter(process=process).select_related("oleh")),
    }


def _with_step_titles(process, keputusan_qs) -> list:
    flow = process.flow_class.instance
    rows = list(keputusan_qs)
    for row in rows:
        row.langkah_title = flow.node(row.langkah).task_title
    return rows


def usulan_initial(pengelola) -> dict:
    """The current lists of people, as initial rows of the revision forms."""
    return {
        "pengurus": list(pengelola.pengurus_set.values("nama", "jabatan", "nik", "telepon")),
        "anggota": list(
            pengelola.anggota_set.values(
                "nama_usaha", "pemilik", "nik_pemilik", "nib", "kbli", "produk", "tenaga_kerja", "telepon"
            )
        ),
    }


def task_deadline_label(task, process: LegalisasiProcess) -> dict | None:



    deadline = TaskDeadline.objects.filter(task_id=task.pk).first()
    return deadline_label(deadline, BusinessCalendar(process.region), timezone.localdate())


# --- the DAK sentra register: where each sentra stands with its pengelola (issue 14) -----------------

SK_IN_FORCE = (StatusSK.BERLAKU, StatusSK.DIUBAH)


def sentra_state_annotate(queryset, *, today: dt.date | None = None):
    """``queryset`` of ``Sentra`` annotated with ``state`` (a ``SentraState``) and ``sk_dicabut``.

    The one rule, derived and never stored, in subqueries of the same SELECT (no query per row):

    1. an SK of the sentra whose status is berlaku/diubah and whose ``masa_bakti_berakhir`` is empty
       or not past -> *pengelola ber-SK*;
    2. else an open LegalisasiProcess for the sentra (not done, not cancelled) -> *dalam proses*;
    3. else the latest SK (by date, then id; replaced ``diganti`` SKs ignored) past its
       ``masa_bakti_berakhir`` and not revoked -> *SK berakhir*;
    4. else *belum ada pengelola* (a revoked SK included: ``sk_dicabut`` is true when the latest SK
       is ``dicabut``, shown as a note "SK dicabut" beside the state).
    """
    today = today or timezone.localdate()
    sk_of_sentra = SK.objects.filter(pengelola__sentra=OuterRef("pk")).exclude(status=StatusSK.DIGANTI)
    in_force = sk_of_sentra.filter(status__in=SK_IN_FORCE).filter(
        Q(masa_bakti_berakhir__isnull=True) | Q(masa_bakti_berakhir__gte=today)
    )
    open_process = LegalisasiProcess.objects.filter(pengelola__sentra=OuterRef("pk")).exclude(
        status__in=[PROCESS.DONE, PROCESS.CANCELED]
    )
    latest = sk_of_sentra.order_by("-tanggal", "-pk")
    return queryset.annotate(
        _sk_in_force=Exists(in_force),
        _in_process=Exists(open_process),
        _latest_sk_status=Subquery(latest.values("status")[:1]),
        _latest_sk_end=Subquery(latest.values("masa_bakti_berakhir")[:1]),
    ).annotate(
        state=Case(
            When(_sk_in_force=True, then=Value(SentraState.BER_SK.value)),
            When(_in_process=True, then=Value(SentraState.DALAM_PROSES.value)),
            When(
                Q(_latest_sk_end__lt=today) & ~Q(_latest_sk_status=StatusSK.DICABUT),
                then=Value(SentraState.SK_BERAKHIR.value),
            ),
            default=Value(SentraState.BELUM_ADA_PENGELOLA.value),
        ),
        sk_dicabut=Case(
            When(_latest_sk_status=StatusSK.DICABUT, then=Value(True)),
            default=Value(False),
        ),
    )


def dak_sentra(queryset):
    """The sentra built with DAK money: a DAK allocation on record, or the DAK year a proposal typed."""
    return queryset.filter(Q(tahun_dak__isnull=False) | Exists(DakAlokasi.objects.filter(sentra=OuterRef("pk"))))
