"""Appending to the audit chain: two statements (the head's reservation, one INSERT), the first event of
an empty chain, a removed last event, and appends from several connections at once (no gap, no fork)."""

import logging
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import GENESIS_HASH, Action, AuditEvent, ChainHead
from audit.services import chain_head, chain_verify, event_hash, event_record, events_batch, system_user
from tests.flows.test_query_budgets import _data_queries
from tests.helpers import needs_postgres


def _record(n: int, **details):
    return event_record(action=Action.CHAIN_VERIFIED, actor_username="sistem", details={"n": n, **details})


def _delete_events(where: str, params):
    """What someone with the database's rights does (on PostgreSQL past the append-only trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred FK checks first: ALTER refuses pending ones
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(f"DELETE FROM audit_auditevent WHERE {where}", params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


@pytest.mark.django_db
def test_the_first_event_of_an_empty_chain_starts_it_from_the_genesis_hash():
    assert not ChainHead.objects.exists() and chain_head() == (0, GENESIS_HASH) and chain_verify().ok
    event = _record(1)
    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
    assert event.hash == event_hash(GENESIS_HASH, event.canonical())
    assert ChainHead.objects.get(pk=1).seq == 1
    second = _record(2)
    assert (second.seq, second.prev_hash) == (2, event.hash)
    assert chain_head() == (2, second.hash)
    report = chain_verify()
    assert report.ok and (report.events, report.head_seq, report.head_hash) == (2, 2, second.hash)


@pytest.mark.django_db
def test_an_append_costs_two_statements_however_many_events_a_batch_holds():
    _record(0)
    with CaptureQueriesContext(connection) as single:
        _record(1)
    with CaptureQueriesContext(connection) as batch:
        with transaction.atomic(), events_batch():
            for n in (2, 3, 4):
                _record(n)
    for captured in (single, batch):
        statements = _data_queries([q["sql"] for q in captured.captured_queries])
        assert len(statements) == 2, statements
        assert "audit_chainhead" in statements[0] and "RETURNING" in statements[0]
        assert statements[1].startswith('INSERT INTO "audit_auditevent"')
    assert list(AuditEvent.objects.values_list("seq", "details__n")) == [(n + 1, n) for n in range(5)]
    assert chain_verify().ok and chain_head()[0] == 5


@pytest.mark.django_db
def test_a_removed_last_event_is_reported_and_the_chain_goes_on_after_the_gap(caplog):
    events = [_record(n) for n in range(3)]
    _delete_events("seq = %s", [3])
    assert chain_head() == (3, "")
    report = chain_verify()
    assert not report.ok and report.broken_seq == 3 and "peristiwa terakhir (#3) hilang" in report.reason

    with caplog.at_level(logging.ERROR, logger="audit.services"):
        after = _record(3)
    assert after.seq == 4 and "#3" in caplog.text  # numbers are never given twice, the operators are told
    assert AuditEvent.objects.filter(seq=2, hash=events[1].hash).exists()
    report = chain_verify()
    assert not report.ok and report.broken_seq == 3 and "peristiwa #3 hilang" in report.reason


@pytest.mark.django_db
def test_a_head_set_back_over_remaining_events_is_reported():
    for n in range(3):
        _record(n)
    ChainHead.objects.filter(pk=1).update(seq=2)
    report = chain_verify()
    assert not report.ok and "kepala rantai diubah" in report.reason


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_appends_from_several_connections_at_once_make_one_chain_without_gaps_or_forks():
    """Each append holds the head's lock a moment, so the others wait for it and, once it commits, must
    chain to events their statement's snapshot could not see (``services._chain_reserve``)."""
    system_user()
    threads_n, rounds = 6, 4
    barrier = threading.Barrier(threads_n)
    errors = []

    def append(worker):
        try:
            barrier.wait()
            for n in range(rounds):
                with transaction.atomic():
                    if n % 2:
                        with events_batch():
                            _record(n, worker=worker, part=1)
                            _record(n, worker=worker, part=2)
                    else:
                        _record(n, worker=worker)
                    time.sleep(0.02)  # the head stays locked: the next appender waits for the commit
        except Exception as exc:  # noqa: BLE001 - reported below, with the thread's failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    total = threads_n * (rounds // 2) * 3
    rows = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _, _ in rows] == list(range(1, total + 1))
    assert [prev for _, prev, _ in rows] == [GENESIS_HASH] + [h for _, _, h in rows[:-1]]
    report = chain_verify()
    assert report.ok and report.head_seq == total and report.head_hash == rows[-1][2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason=(
    "needs PostgreSQL: the check's snapshot is PostgreSQL's REPEATABLE READ; SQLite's one writer at a time "
    "cannot append from a second connection while the check's read transaction is open"))
@pytest.mark.django_db(transaction=True)
def test_an_event_appended_while_the_check_runs_is_not_taken_for_a_tampered_head(monkeypatch):
    """The daily check runs beside the officials' work: here another connection appends (and commits) an
    event between the check's read of the head and its walk over the events. One snapshot sees neither."""
    import audit.services as services

    system_user()
    for n in range(3):
        _record(n)
    before = AuditEvent.objects.count()
    read_head = services.chain_head

    def head_then_an_append_elsewhere():
        head = read_head()

        def append():
            try:
                _record(99, elsewhere=True)
            finally:
                connection.close()

        thread = threading.Thread(target=append)
        thread.start()
        thread.join(timeout=30)
        return head

    monkeypatch.setattr(services, "chain_head", head_then_an_append_elsewhere)
    report = chain_verify()
    assert AuditEvent.objects.count() == before + 1  # the append did commit
    assert report.ok, report
    assert (report.head_seq, report.events) == (before, before)
    monkeypatch.undo()
    assert chain_verify().ok and chain_head()[0] == before + 1
