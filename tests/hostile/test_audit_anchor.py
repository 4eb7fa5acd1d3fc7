"""The chain head anchored outside the database (issue 18.13): the daily check appends it to a file
and emails it to the operators; the next check compares the chain with the last anchor."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.roles import Role
from audit import services as audit
from audit.models import Action, AuditEvent, ChainHead
from notifications.models import Kind, Notification
from oversight.services import audit_chain_check

pytestmark = pytest.mark.django_db


def _anchor_lines(settings) -> list[dict]:
    from pathlib import Path

    path = Path(settings.SKSENTRA_AUDIT_ANCHOR_DIR) / "audit-chain-anchors.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def events(db):
    for i in range(5):
        audit.event_record(action=Action.LOGIN, actor=audit.system_user(), note=f"peristiwa {i}")


@pytest.fixture
def operator(make_user):
    user = make_user(Role.PIMPINAN, "72", username="operator")
    user.is_superuser = True
    user.save()
    return user


def _raw(sql_statements):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        for sql, params in sql_statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def rewrite_chain_from(seq: int, note: str):
    """What someone with the database's rights does to hide a change: edit an event and recompute
    every hash after it, so that the chain verifies again (the head keeps only the number)."""
    statements = []
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        if event.seq == seq:
            event.note = note
        event.prev_hash = prev
        event.hash = audit.event_hash(prev, event.canonical())
        statements.append(("UPDATE audit_auditevent SET note = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                           [event.note, event.prev_hash, event.hash, event.seq]))
        prev = event.hash
    _raw(statements)
    assert audit.chain_head() == (AuditEvent.objects.order_by("seq").last().seq, prev)
    assert audit.chain_verify().ok  # the chain alone no longer shows it


def test_the_daily_check_appends_the_head_to_the_anchor_file_and_emails_it(settings, events, operator):
    report = audit_chain_check()
    assert report.ok
    seq, head_hash = audit.chain_head()
    [line] = _anchor_lines(settings)
    assert line["seq"] == seq and line["hash"] == head_hash and line["at"].endswith("+00:00")
    assert AuditEvent.objects.get(seq=seq).action == Action.CHAIN_VERIFIED
    alert = Notification.objects.get(kind=Kind.ALERT, recipient=operator)
    assert head_hash in alert.context["reason"] and f"#{seq}" in alert.context["title"]
    audit_chain_check()
    assert len(_anchor_lines(settings)) == 2


def test_a_chain_rewritten_after_the_anchor_is_reported(settings, events, operator, capsys):
    audit_chain_check()
    anchored = _anchor_lines(settings)[-1]
    rewrite_chain_from(2, "diubah diam-diam")
    report = audit_chain_check()
    assert not report.ok and report.broken_seq == anchored["seq"] and "jangkar" in report.reason
    with pytest.raises(CommandError, match="RUSAK"):
        call_command("verify_audit_chain")
    assert len(_anchor_lines(settings)) == 1  # a broken chain is never anchored
    assert Notification.objects.filter(kind=Kind.ALERT, context__title="rantai audit rusak").exists()


def test_a_chain_cut_back_before_the_anchor_is_reported(settings, events, operator):
    audit_chain_check()
    anchored = _anchor_lines(settings)[-1]
    keep = anchored["seq"] - 2
    _raw([("DELETE FROM audit_auditevent WHERE seq > %s", [keep])])
    ChainHead.objects.filter(pk=1).update(seq=keep)
    assert audit.chain_verify().ok
    report = audit_chain_check()
    assert not report.ok and "tidak ada lagi" in report.reason


def test_the_verify_command_reports_agreement_and_where_the_anchor_went(settings, events, capsys):
    call_command("verify_audit_chain")
    call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert "Rantai audit utuh" in out and "audit-chain-anchors.jsonl" in out
    assert len(_anchor_lines(settings)) == 2


def test_a_torn_last_line_is_skipped(settings, events):
    audit_chain_check()
    from pathlib import Path

    path = Path(settings.SKSENTRA_AUDIT_ANCHOR_DIR) / "audit-chain-anchors.jsonl"
    with path.open("a") as handle:
        handle.write('{"seq": 9999, "hash": "ab')  # power cut mid-write
    assert audit_chain_check().ok
