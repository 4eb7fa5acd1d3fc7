"""Reads for auditors: find proposals, replay one proposal's whole history, see what was decided on.

Every function here costs a fixed number of queries, however long the history is.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import Role

from audit.models import AuditEvent
from core.queries import filter_given
from flows.models import Keputusan, LegalisasiProcess
from flows.steps import STEP
from notifications.models import Notification
from sentra.models import SK, AnggotaIKM, AsetDAK, Dokumen, PemeriksaanAset, Pengelola, Pengurus, Sentra

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
        # BPKAD's DAK asset lines belong to the sentra: each line and its basis as BPKAD changed them.
        ("Aset DAK", AsetDAK.history.filter(sentra_id=process.pengelola.sentra_id)),
        ("SK", SK.history.filter(pengelola_id=pengelola_id)),
    ]


def _tracked_fields(record) -> list:
    return [f for f in record.instance_type._meta.concrete_fields if f.attname not in _SKIP_FIELDS
            and f.name not in _SKIP_FIELDS]


def _person_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class _Readable:
    """Shows a stored value as an auditor reads it: choice labels, people's and objects' names (read once
    per related model for the whole timeline), yes/no in Indonesian, times in WITA."""

    def __init__(self, records_by_source):
        wanted = defaultdict(set)
        for records in records_by_source:
            for record in records:
                for f in _tracked_fields(record):
                    value = getattr(record, f.attname, None)
                    if f.is_relation and value is not None:
                        wanted[f.related_model].add(value)
        self.names = {}
        for model, ids in wanted.items():
            for obj in model._default_manager.filter(pk__in=ids):
                name = _person_name(obj) if hasattr(obj, "get_full_name") else str(obj)
                self.names[(model, obj.pk)] = name

    def __call__(self, f, value) -> str:
        if value is None or value == "":
            return ""
        if f.is_relation:
            return self.names.get((f.related_model, value), f"#{value}")
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("ya") if value else _("tidak"))
        if isinstance(value, dt.datetime):
            return f"{date_format(timezone.localtime(value), 'j M Y H:i')} WITA"
        if isinstance(value, dt.date):
            return date_format(value, "j M Y")
        return str(value)


def _diffs(previous, record, readable) -> list[tuple[str, str, str]]:
    changes = []
    for f in _tracked_fields(record):
        if f.name == "pengelola":  # the row's owner, the same on every line of this timeline
            continue
        new = getattr(record, f.attname, None)
        old = getattr(previous, f.attname, None) if previous is not None else None
        if previous is None and record.history_type == "+":
            if new not in (None, ""):
                changes.append((str(f.verbose_name), "", readable(f, new)))
        elif old != new:
            changes.append((str(f.verbose_name), readable(f, old), readable(f, new)))
    return changes


# A proposal's people are replaced as a whole list on each revision (``sentra.services``); the timeline
# shows what changed: rows matched by their identity number, else by position.
_PEOPLE = {"Pengurus": ("nik", "nama"), "Anggota IKM": ("nib", "nama_usaha")}


def _people_changes(label, records, readable) -> list[Entry]:
    key_field, name_field = _PEOPLE[label]
    entries = []
    batches = []
    # In time order, one batch per revision: its removals, then its additions, by one user; a removal
    # after additions begins the next revision.
    for record in records:
        batch = batches[-1] if batches else None
        if (batch is None or record.history_user_id != batch[0].history_user_id
                or (record.history_type == "-" and any(r.history_type == "+" for r in batch))):
            batches.append([record])
        else:
            batch.append(record)
    previous_by_id = {}
    for batch in batches:
        removed = [r for r in batch if r.history_type == "-"]
        added = [r for r in batch if r.history_type == "+"]
        by_key = {}
        for r in removed:
            by_key.setdefault(getattr(r, key_field), r)
        pairs, added_left = [], []
        for r in added:
            old = by_key.pop(getattr(r, key_field), None)
            (pairs if old is not None else added_left).append((old, r) if old is not None else r)
        removed_left = [r for r in removed if by_key.get(getattr(r, key_field)) is r]
        n = min(len(removed_left), len(added_left))  # the same position under a corrected number
        pairs += list(zip(removed_left[:n], added_left[:n]))
        actor = _person_name(batch[0].history_user)
        lines = []
        for old, new in pairs:
            diffs = _diffs(old, new, readable)
            if diffs:
                lines.append(Entry(at=new.history_date, kind="change", actor=actor, diffs=diffs,
                                   title=f"{label} {getattr(new, name_field)} {_('diubah')}"))
        for r in batch:
            if r.history_type == "~":
                diffs = _diffs(previous_by_id.get(r.id), r, readable)
                if diffs:
                    lines.append(Entry(at=r.history_date, kind="change", actor=actor, diffs=diffs,
                                       title=f"{label} {getattr(r, name_field)} {_('diubah')}"))
            previous_by_id[r.id] = r
        lines += [Entry(at=r.history_date, kind="change", actor=actor,
                        title=f"{label} {_('ditambahkan')}: {getattr(r, name_field)}") for r in added_left[n:]]
        lines += [Entry(at=r.history_date, kind="change", actor=actor,
                        title=f"{label} {_('dihapus')}: {getattr(r, name_field)}") for r in removed_left[n:]]
        entries += lines
    return entries


def data_changes(process: LegalisasiProcess) -> list[Entry]:
    """Every create/change/delete of the proposal's data, as field diffs (old -> new) in words."""
    sources = [(label, list(qs.select_related("history_user").order_by("history_date", "history_id")))
               for label, qs in _history_sources(process)]
    readable = _Readable(records for _label, records in sources)
    entries = []
    for label, records in sources:
        if label in _PEOPLE:
            entries += _people_changes(label, records, readable)
            continue
        previous_by_object = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            diffs = [] if record.history_type == "-" else _diffs(previous, record, readable)
            previous_by_object[record.id] = record
            if record.history_type == "~" and not diffs:
                continue
            verb = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}[record.history_type]
            entries.append(Entry(
                at=record.history_date, kind="change", title=f"{label} #{record.id} {verb}",
                actor=_person_name(record.history_user), diffs=diffs,
            ))
    return entries


def events_of(process: LegalisasiProcess):
    return list(AuditEvent.objects.filter(process_id=process.pk).select_related("actor").order_by("seq"))


def proposal_timeline(process: LegalisasiProcess) -> dict:
    """The whole story of one proposal: decisions and notes, data changes, documents, notifications."""
    events = events_of(process)
    entries = [
        Entry(at=e.at, kind="event", title=e.get_action_display(), actor=_person_name(e.actor) or e.actor_username,
              role=_role_label(e.role),
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
        "decisions": _with_step_titles(Keputusan.objects.filter(process=process).select_related("oleh").order_by("dibuat")),
    }


def _with_step_titles(decisions) -> list:
    """Decisions with their step's title (``flows.steps``), as officials name the step."""
    decisions = list(decisions)
    for k in decisions:
        step = STEP.get(k.langkah)
        k.step_title = str(step.title) if step else k.langkah
    return decisions


def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


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
        "keputusan": _with_step_titles([keputusan])[0],
        "moment": moment,
        "pengelola": (state["Pengelola"] or [None])[0],
        "sentra": (state["Sentra"] or [None])[0],
        "pengurus": state["Pengurus"],
        "anggota": state["Anggota IKM"],
        "dokumen": documents,
        "pemeriksaan_aset": state["Pemeriksaan aset"],
        "aset_dak": state["Aset DAK"],
        "sk": state["SK"],
    }
