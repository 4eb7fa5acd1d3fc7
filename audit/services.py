"""Writing and verifying the hash-chained audit trail."""

import hashlib
import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .context import current
from .models import GENESIS_HASH, Action, AuditEvent, ChainHead

logger = logging.getLogger(__name__)

SYSTEM_USERNAME = "sistem"


def system_user():
    """The named account that acts for Celery tasks, beat and management commands (never an empty actor)."""
    User = get_user_model()
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, first_name="Sistem", last_name="SK Sentra", is_active=False)
        user.set_unusable_password()
        user.save()
    return user


def current_actor():
    """The user of the current web request, else the system user."""
    context = current()
    user = getattr(context, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return system_user()


# The attribute naming the proposal a model instance is saved for (``process_attach``).
PROCESS_ATTR = "_audit_process"


def process_attach(instance, process):
    """Name the proposal ``instance`` is about to be saved for: the event its save records (``signals``:
    the upload of an SK or a document) names this process instead of reading the pengelola's latest
    again. Returns ``instance``."""
    setattr(instance, PROCESS_ATTR, process)
    return instance


def event_hash(prev_hash: str, content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _role_of(user) -> str:
    names = getattr(user, "role_names", None)
    return ",".join(sorted(names)) if names else ""


# Events recorded inside ``events_batch`` wait here to be chained together when the block ends.
_batch: ContextVar[list | None] = ContextVar("sksentra_audit_batch", default=None)


@contextmanager
def events_batch():
    """Chain the events recorded inside the block together when it ends: one reservation on the chain
    head (its lock, the numbers, the previous hash) and one INSERT, however many events one decision records.

    Use it inside the transaction it belongs to (``flows.services.unit_of_work`` does); the events
    are written at the end of the block, in the order they were recorded, and dropped if the block
    raises. A nested block leaves the writing to the outer one. A caller that rolls back a savepoint
    inside the block and carries on would keep that savepoint's events: units of work do not.
    """
    if _batch.get() is not None:
        yield
        return
    token = _batch.set([])
    try:
        yield
        _chain_append(_batch.get())
    finally:
        _batch.reset(token)


def _chain_append(events: list[AuditEvent]) -> None:
    """Give ``events`` their places at the end of the chain and write them, under the head's lock:
    two statements, the head's reservation (``_chain_reserve``) and one INSERT of the events."""
    if not events:
        return
    with transaction.atomic():
        seq, prev_hash = _chain_reserve(len(events))
        for event in events:
            seq += 1
            event.seq, event.prev_hash = seq, prev_hash
            event.hash = prev_hash = event_hash(prev_hash, event.canonical())
        AuditEvent.objects.bulk_create(events)


def _chain_reserve(count: int) -> tuple[int, str]:
    """Lock the chain head, reserve ``count`` numbers after its last one, and return that last number
    with its event's hash (the genesis hash when the chain is empty), in one statement.

    The head row is the lock that serialises appends: the upsert takes its row lock (creating the row
    on a first append, so an empty chain starts at #1) and holds it to the end of the transaction, so
    two appends never get the same numbers. The head stores only the number; the hash is read from the
    event that carries it. On PostgreSQL the subquery in RETURNING reads the statement's snapshot, taken
    *before* the lock was waited for: when another append held the head and committed meanwhile, its
    events are not visible to it and the hash comes back NULL. Only then a second read (a new statement,
    a new snapshot, the lock now ours) fetches it; an append that did not wait costs one statement.
    A NULL hash on that second read means the last event was removed: the new events are chained to
    the genesis hash after the gap, which ``chain_verify`` reports (``peristiwa #n hilang``).
    """
    qn = connection.ops.quote_name
    head, events = qn(ChainHead._meta.db_table), qn(AuditEvent._meta.db_table)
    pk, seq, hash_ = qn("id"), qn("seq"), qn("hash")
    sql = (
        f"INSERT INTO {head} ({pk}, {seq}) VALUES (1, %s) "
        f"ON CONFLICT ({pk}) DO UPDATE SET {seq} = {head}.{seq} + %s "
        f"RETURNING {head}.{seq} - %s, (SELECT {events}.{hash_} FROM {events} WHERE {events}.{seq} = {head}.{seq} - %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, count, count, count])
        last_seq, last_hash = cursor.fetchone()
    if last_seq == 0:
        return 0, GENESIS_HASH
    if last_hash is None:  # committed by the append we waited for, after this statement's snapshot
        last_hash = AuditEvent.objects.filter(seq=last_seq).values_list("hash", flat=True).first()
    if last_hash is None:
        logger.error("audit chain: event #%s, the last before the head, is missing; appending after the gap", last_seq)
        return last_seq, GENESIS_HASH
    return last_seq, last_hash


def event_record(
    *,
    action: str,
    actor=None,
    process=None,
    process_id: int | None = None,
    task=None,
    obj=None,
    details: dict | None = None,
    note: str = "",
    capacity: str = "",
    actor_username: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction (a rollback takes it along).

    Inside ``events_batch`` the event is chained when the batch ends (its ``seq`` and hashes are set then).
    """
    context = current()
    if actor is None and actor_username is None:
        actor = current_actor()
    region = ""
    if process is not None:
        region = getattr(process, "region_id", "") or ""
    elif actor is not None:
        region = getattr(actor, "region_id", "") or ""
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_username=actor_username or getattr(actor, "username", ""),
        role=_role_of(actor) if actor is not None else "",
        region=region,
        capacity=(capacity or "")[:100],
        action=action,
        process_id=getattr(process, "pk", None) or process_id,
        task_id=getattr(task, "pk", None),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        details=details or {},
        note=note or "",
        ip=getattr(context, "ip", None),
        user_agent=getattr(context, "user_agent", "") or "",
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(event)
    else:
        _chain_append([event])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


def chain_verify() -> ChainReport:
    """Recompute the chain from the first event; name the first row that was changed or removed.

    The head holds the number of the last event appended: fewer events than that means the last ones
    were removed (a gap inside the chain is caught on the way, by its number).

    The head and the events are read from one snapshot (``_one_snapshot``): an event appended while the
    check runs (the daily job runs beside the officials' work) is not taken for a tampered head."""
    with _one_snapshot():
        return _chain_walk()


@contextmanager
def _one_snapshot():
    """A read-only transaction whose statements all see the same snapshot: REPEATABLE READ on PostgreSQL
    (READ COMMITTED, its default, takes a snapshot per statement); SQLite's transactions read one
    snapshot already. Inside a caller's transaction the caller's isolation stands."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        with transaction.atomic():
            yield


def _chain_walk() -> ChainReport:
    head_seq, head_hash = chain_head()
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if event.seq != expected_seq:
            return ChainReport(False, count, head_seq, head_hash, expected_seq, f"peristiwa #{expected_seq} hilang (dihapus)")
        if event.prev_hash != expected_prev:
            return ChainReport(False, count, head_seq, head_hash, event.seq,
                               f"peristiwa #{event.seq} tidak menyambung ke peristiwa sebelumnya")
        if event_hash(event.prev_hash, event.canonical()) != event.hash:
            return ChainReport(False, count, head_seq, head_hash, event.seq, f"isi peristiwa #{event.seq} telah diubah")
        expected_prev, expected_seq = event.hash, expected_seq + 1
    if head_seq != expected_seq - 1:
        return ChainReport(False, count, head_seq, head_hash, expected_seq,
                           f"peristiwa terakhir (#{head_seq}) hilang atau kepala rantai diubah")
    return ChainReport(True, count, head_seq, expected_prev)


def chain_head() -> tuple[int, str]:
    """The last number appended and its event's hash, in one query (``(0, genesis)`` before the first
    event; an empty hash when that event is missing, which ``chain_verify`` reports)."""
    row = (ChainHead.objects.filter(pk=1)
           .annotate(last_hash=Subquery(AuditEvent.objects.filter(seq=OuterRef("seq")).values("hash")[:1]))
           .values_list("seq", "last_hash").first())
    if row is None or row[0] == 0:
        return 0, GENESIS_HASH
    return row[0], row[1] or ""


def document_downloaded(*, user, obj) -> AuditEvent:
    """Someone opened a document or a signed SK: which one (by hash), who, from where."""
    process = obj.pengelola.processes.order_by("-pk").first()
    return event_record(
        action=Action.DOCUMENT_DOWNLOAD, actor=user, process=process, obj=obj,
        details={"sha256": obj.sha256, "jenis": getattr(obj, "jenis", "sk")},
    )
