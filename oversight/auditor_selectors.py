"""Reads for auditors: find proposals, replay one proposal's whole history, see what was decided on.

Every function here costs a fixed number of queries, however long the history is.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from audit.models import AuditEvent
from core.queries import filter_given
from flows.models import Keputusan, LegalisasiProcess
from notifications.models import Notification
from sentra.models import SK, AnggotaIKM, Dokumen, PemeriksaanAset, Pengelola, Pengurus, Sentra

# Fields that are bookkeeping, not data an official looked at.
_SKIP_FIELDS = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user",
                "history_user_id", "process_ptr", "process_ptr_id", "file"}


def proposal_search(*, user, region: str = "", sentra: str = "", pengelola: str = "", sk_nomor: str = "", tahap: str = "",
                    date_from: dt.date | None = None, date_to: dt.date | None = None):
    qs = filter_given(
        LegalisasiProcess.objects.visible_to(user).select_related("region", "pengelola", "pengelola__sentra")
        .order_by("-created"),
        region_id=region, pengelola__sentra__name__icontains=sentra, pengelola__name__icontains=pengelola,
        tahap=tahap, created__date__gte=date_from, created__date__lte=date_to,
    )
    if sk_nomor:
        qs = qs.filter(Q(pengelola__sk_set__nomor__icontains=sk_nomor) | Q(pengelola__sk_set__nomor_register__icontains=sk_nomor))
    return qs.distinct()


@dataclass
class Entry:
    """One line of the timeline."""

    at: dt.datetime
    kind: str  # event | change
    title: str
    actor: str = ""
    role: str = ""
    capacity: str = ""
    note: str = ""
    details: dict = field(default_factory=dict)
    diffs: list = field(default_factory=list)  # (field label, old, new)
    seq: int | None = None
    hash: str = ""


def _history_sources(process: LegalisasiProcess):
    """(label, historical queryset) for every model whose changes belong to this proposal."""
    pengelola_id = process.pengelola_id
    return [
        ("Usulan", LegalisasiProcess.history.filter(id=process.pk)),
        ("Sentra", Sentra.history.filter(id=process.pengelola.sentra_id)),
        ("Pengelola", Pengelola.history.filter(id=pengelola_id)),
        ("Pengurus", Pengurus.history.filter(pengelola_id=pengelola_id)),
        ("Anggota IKM", AnggotaIKM.history.filter(pengelola_id=pengelola_id)),
        ("Dokumen", Dokumen.history.filter(pengelola_id=pengelola_id)),
        ("Pemeriksaan aset", PemeriksaanAset.history.filter(pengelola_id=pengelola_id)),
        ("SK", SK.history.filter(pengelola_id=pengelola_id)),
    ]


def _tracked_fields(record) -> list:
    return [f for f in record.instance_type._meta.concrete_fields if f.attname not in _SKIP_FIELDS
            and f.name not in _SKIP_FIELDS]


def _diffs(previous, record) -> list[tuple[str, str, str]]:
    changes = []
    for f in _tracked_fields(record):
        new = getattr(record, f.attname, None)
        old = getattr(previous, f.attname, None) if previous is not None else None
        if previous is None and record.history_type == "+":
            if new not in (None, ""):
                changes.append((str(f.verbose_name), "", str(new)))
        elif old != new:
            changes.append((str(f.verbose_name), "" if old is None else str(old), "" if new is None else str(new)))
    return changes


def data_changes(process: LegalisasiProcess) -> list[Entry]:
    """Every create/change/delete of the proposal's data, as field diffs (old -> new)."""
    entries = []
    for label, qs in _history_sources(process):
        previous_by_object = {}
        for record in qs.select_related("history_user").order_by("history_date", "history_id"):
            previous = previous_by_object.get(record.id)
            diffs = [] if record.history_type == "-" else _diffs(previous, record)
            previous_by_object[record.id] = record
            if record.history_type == "~" and not diffs:
                continue
            verb = {"+": "dibuat", "~": "diubah", "-": "dihapus"}[record.history_type]
            entries.append(Entry(
                at=record.history_date, kind="change", title=f"{label} #{record.id} {verb}",
                actor=getattr(record.history_user, "username", "") or "", diffs=diffs,
            ))
    return entries


def events_of(process: LegalisasiProcess):
    return list(AuditEvent.objects.filter(process_id=process.pk).select_related("actor").order_by("seq"))


def proposal_timeline(process: LegalisasiProcess) -> dict:
    """The whole story of one proposal: decisions and notes, data changes, documents, notifications."""
    events = events_of(process)
    entries = [
        Entry(at=e.at, kind="event", title=e.get_action_display(), actor=e.actor_username, role=e.role,
              capacity=e.capacity, note=e.note, details=e.details, seq=e.seq, hash=e.hash)
        for e in events
    ]
    entries += data_changes(process)
    entries.sort(key=lambda entry: (entry.at, 0 if entry.kind == "event" else 1, entry.seq or 0))
    return {
        "process": process,
        "entries": entries,
        "events": events,
        "documents": list(Dokumen.objects.filter(pengelola_id=process.pengelola_id).select_related("uploaded_by")
                          .order_by("uploaded_at")),
        "sk_list": list(SK.objects.filter(pengelola_id=process.pengelola_id).order_by("created_at")),
        "notifications": list(Notification.objects.filter(process_id=process.pk).select_related("recipient")
                              .order_by("created_at")),
        "decisions": list(Keputusan.objects.filter(process=process).select_related("oleh").order_by("dibuat")),
    }


def as_decided(process: LegalisasiProcess, keputusan: Keputusan) -> dict:
    """The data and document versions on file at the moment of ``keputusan``: what the official saw."""
    moment = keputusan.dibuat
    state = {}
    for label, qs in _history_sources(process):
        latest = {}
        for record in qs.filter(history_date__lte=moment).order_by("history_date", "history_id"):
            latest[record.id] = record
        state[label] = [r for r in latest.values() if r.history_type != "-"]
    documents = [d for d in state["Dokumen"] if not d.superseded]
    by_kind = defaultdict(list)
    for d in documents:
        by_kind[d.jenis].append(d)
    return {
        "keputusan": keputusan,
        "moment": moment,
        "pengelola": (state["Pengelola"] or [None])[0],
        "sentra": (state["Sentra"] or [None])[0],
        "pengurus": state["Pengurus"],
        "anggota": state["Anggota IKM"],
        "dokumen": documents,
        "pemeriksaan_aset": state["Pemeriksaan aset"],
        "sk": state["SK"],
    }
