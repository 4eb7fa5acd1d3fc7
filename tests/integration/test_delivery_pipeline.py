"""End to end with real pieces on loopback: Celery workers, Redis, an SMTP server and the Cloud API.

Exactly-once evidence: each message reaches its recipient once, a rolled-back approval sends
nothing, an approval made while Redis is down still commits and its messages follow when Redis is
back, and a worker killed mid-send leads to a delivery after restart that is flagged, never silent.
"""

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction

from flows import operations
from flows import services as flow_services
from flows.models import Hasil, TaskDeadline
from flows import reminders
from notifications import delivery, outbox
from notifications.models import Channel, Kind, Notification, Status
from tests.helpers import full_sweep, act, decision, task_of

pytestmark = pytest.mark.django_db(transaction=True)
WITA = ZoneInfo("Asia/Makassar")


def with_phones(*users):
    for i, user in enumerate(users):
        user.phone = f"08123456{i:04d}"
        user.save()


def settled(pipeline, n_email: int, n_whatsapp: int):
    """Wait until the outbox has delivered that many messages, then a little more (late duplicates)."""
    pipeline.wait_for(lambda: len(pipeline.mail.messages) >= n_email and len(pipeline.cloud.requests) >= n_whatsapp,
                      45, message=f"{n_email} emails and {n_whatsapp} WhatsApp messages")
    time.sleep(1.5)


def test_a_proposal_and_an_approval_reach_the_next_officials_by_email_and_whatsapp(pipeline, donggala, start_proposal):
    with_phones(donggala["verifikator_dinas"], donggala["verifikator_aset"], donggala["bagian_hukum"])
    pipeline.new_worker()
    process = start_proposal(donggala["pengusul"])
    settled(pipeline, 1, 1)
    assert len(pipeline.mail.to(donggala["verifikator_dinas"].email)) == 1
    assert pipeline.cloud.invalid == [] and pipeline.cloud.requests[0]["body"]["to"] == "6281234560000"

    assert act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302
    settled(pipeline, 3, 3)
    for role in ("verifikator_aset", "bagian_hukum"):
        mails = pipeline.mail.to(donggala[role].email)
        assert len(mails) == 1 and process.pengelola.name in mails[0]["data"]
    assert len(pipeline.mail.messages) == 3 and len(pipeline.cloud.requests) == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    assert not Notification.objects.filter(possible_duplicate=True).exists()


def test_two_sweeps_at_once_send_each_reminder_once(pipeline, donggala, start_proposal):
    with_phones(donggala["verifikator_dinas"])
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=WITA), tick=False):
        process = start_proposal(donggala["pengusul"])
        second = start_proposal(donggala["pengusul"])
    pipeline.new_worker(concurrency=4)
    settled(pipeline, 2, 2)  # the two "tugas baru" messages
    assert TaskDeadline.objects.filter(due_on=dt.date(2026, 11, 9)).count() == 2

    barrier = threading.Barrier(2)
    results = []

    def sweep():
        try:
            barrier.wait()
            results.append(full_sweep(now=dt.datetime(2026, 11, 9, 8, 0, tzinfo=WITA)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r["reminders"] for r in results) == 4  # 2 tasks x 2 channels, written once in all
    settled(pipeline, 4, 4)
    due_today = Notification.objects.filter(kind=Kind.DUE_TODAY)
    assert due_today.count() == 4 and set(due_today.values_list("status", flat=True)) == {Status.SENT}
    assert len([m for m in pipeline.mail.messages if "jatuh tempo hari ini" in m["data"]]) == 2
    assert len(pipeline.cloud.requests) == 4
    names = [r["body"]["template"]["name"] for r in pipeline.cloud.requests]
    assert names.count("sksentra_pengingat_hari_ini") == 2
    assert {process.pk, second.pk} == set(due_today.values_list("process_id", flat=True))


def test_an_approval_rolled_back_sends_nothing(pipeline, donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    pipeline.new_worker()
    settled(pipeline, 1, 0)
    task = task_of(process, "verifikasi_dinas")

    def approve_then_fail(activation):
        flow_services.step_decide(activation=activation, user=donggala["verifikator_dinas"], hasil=Hasil.DISETUJUI)
        assert Notification.objects.filter(kind=Kind.TASK_CREATED).count() == 3  # written in the transaction
        raise RuntimeError("something failed after the approval")

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            operations.task_act(task=task, user=donggala["verifikator_dinas"], action=approve_then_fail)
    assert Notification.objects.count() == 1
    full_sweep()
    time.sleep(4)
    assert len(pipeline.mail.messages) == 1
    assert pipeline.mail.to(donggala["verifikator_aset"].email) == []


def test_with_redis_down_the_approval_commits_and_the_messages_follow_when_it_is_back(pipeline, donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    pipeline.new_worker()
    settled(pipeline, 1, 0)
    pipeline.redis.stop()

    response = act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    assert response.status_code == 302
    assert task_of(process, "verifikasi_aset") and task_of(process, "harmonisasi_hukum")
    waiting = Notification.objects.filter(kind=Kind.TASK_CREATED, status=Status.PENDING)
    assert waiting.count() == 2

    pipeline.redis.start()  # same port: the worker reconnects
    time.sleep(3)
    full_sweep()
    settled(pipeline, 3, 0)
    assert len(pipeline.mail.to(donggala["verifikator_aset"].email)) == 1
    assert len(pipeline.mail.to(donggala["bagian_hukum"].email)) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_worker_killed_mid_send_delivers_after_restart_and_flags_a_possible_duplicate(pipeline, donggala, start_proposal):
    with_phones(donggala["verifikator_dinas"])
    donggala["verifikator_dinas"].email = ""
    donggala["verifikator_dinas"].save()
    pipeline.cloud.script = [("hang", 30)]
    worker = pipeline.new_worker()
    start_proposal(donggala["pengusul"])
    pipeline.wait_for(lambda: len(pipeline.cloud.requests) == 1, 30, message="the first, hanging send")
    n = Notification.objects.get(channel=Channel.WHATSAPP)
    assert n.status == Status.SENDING

    worker.kill()
    pipeline.new_worker()
    time.sleep(3.5)  # the send lease runs out
    full_sweep()  # picks up the send whose worker died
    pipeline.wait_for(lambda: Notification.objects.get(pk=n.pk).status == Status.SENT, 30, message="redelivery")
    n.refresh_from_db()
    assert n.possible_duplicate is True
    assert n.attempts == 2
    assert len(pipeline.cloud.requests) == 2 and pipeline.cloud.invalid == []
