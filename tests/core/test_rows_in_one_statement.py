"""``core.queries.rows_insert_new`` and ``rows_update``: many rows in one statement, with the ORM's outcome.

Run on both backends (SQLite by default, PostgreSQL in CI), where they take different paths: one JSON
document turned back into rows on PostgreSQL, ``bulk_create`` and ``update`` elsewhere."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.queries import rows_insert_new, rows_update
from flows.models import TaskDeadline
from notifications.models import Notification, Status
from tests.conftest import DONGGALA

WITA = ZoneInfo("Asia/Makassar")


def _row(user, key, **extra):
    return {"dedup_key": key, "kind": "due_today", "slot": "2026-11-09", "channel": "email", "recipient_id": user.pk,
            "context": {"task": "Verifikasi — Dinas", "n": 1}, **extra}


def test_new_rows_are_written_with_their_values_and_the_fields_left_out_take_their_defaults(make_user):
    from accounts.roles import Role

    user = make_user(Role.VERIFIKATOR_DINAS, DONGGALA)
    moment = dt.datetime(2026, 11, 9, 8, 0, 0, 123456, tzinfo=WITA)
    rows = [_row(user, f"k{i}", not_before=moment, created_at=moment, process_id=10**12 + i) for i in range(3)]
    rows[1]["context"] = {"pengelola": "Koperasi \"Maju\" \\ Jaya ✓ ١٢", "lines": ["a", "b"]}
    with CaptureQueriesContext(connection) as queries:
        rows_insert_new(Notification, rows, unique="dedup_key")
    assert len(queries) == 1
    written = {n.dedup_key: n for n in Notification.objects.all()}
    assert set(written) == {"k0", "k1", "k2"}
    second = written["k1"]
    assert second.context == {"pengelola": "Koperasi \"Maju\" \\ Jaya ✓ ١٢", "lines": ["a", "b"]}
    assert second.not_before == moment and second.created_at == moment  # microseconds kept
    assert second.process_id == 10**12 + 1 and second.recipient_id == user.pk and second.task_id is None
    assert (second.status, second.attempts, second.last_error, second.possible_duplicate) == (Status.PENDING, 0, "", False)


def test_a_row_whose_unique_value_is_taken_is_left_alone_and_the_others_are_written(make_user):
    from accounts.roles import Role

    user = make_user(Role.VERIFIKATOR_DINAS, DONGGALA)
    rows_insert_new(Notification, [_row(user, "taken", context={"first": True})], unique="dedup_key")
    rows_insert_new(Notification, [_row(user, "taken", context={"first": False}), _row(user, "new"),
                                   _row(user, "new", context={"twice": True})], unique="dedup_key")
    assert Notification.objects.get(dedup_key="taken").context == {"first": True}
    assert Notification.objects.filter(dedup_key="new").count() == 1
    rows_insert_new(Notification, [], unique="dedup_key")
    assert Notification.objects.count() == 2


def test_rows_update_writes_each_rows_own_values_and_nothing_else(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    deadlines = list(TaskDeadline.objects.filter(process=process))
    assert deadlines, "a started proposal has the deadline of its first task"
    first = deadlines[0]
    later = dt.datetime(2026, 12, 1, 7, 30, 0, 654321, tzinfo=WITA)
    before = TaskDeadline.objects.values("due_on", "received_on", "step").get(pk=first.pk)
    rows_update(TaskDeadline, [{"pk": first.pk, "next_reminder_at": later, "escalated": True}],
                ["next_reminder_at", "escalated"])
    first.refresh_from_db()
    assert (first.next_reminder_at, first.escalated) == (later, True)
    assert TaskDeadline.objects.values("due_on", "received_on", "step").get(pk=first.pk) == before
    rows_update(TaskDeadline, [{"pk": first.pk, "next_reminder_at": None, "escalated": False}],
                ["next_reminder_at", "escalated"])
    first.refresh_from_db()
    assert (first.next_reminder_at, first.escalated) == (None, False)


def test_rows_update_writes_a_relation_by_its_field_name(make_user):
    """A foreign key is named as a field (``recipient``) and given its id, as ``update(recipient=…)`` takes."""
    from accounts.roles import Role

    first, second = make_user(Role.VERIFIKATOR_DINAS, DONGGALA), make_user(Role.PIMPINAN, DONGGALA)
    rows_insert_new(Notification, [_row(first, "moved")], unique="dedup_key")
    row = Notification.objects.get(dedup_key="moved")
    rows_update(Notification, [{"pk": row.pk, "recipient": second.pk, "status": Status.HELD}], ["recipient", "status"])
    row.refresh_from_db()
    assert (row.recipient_id, row.status) == (second.pk, Status.HELD)
