"""Reminder policy on real dates: who is told, when, on which channel, and never twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.roles import Role
from flows.models import Hasil, TaskDeadline
from flows import reminders
from notifications import delivery, outbox
from notifications.models import Channel, Kind, Notification, Preference, Status
from tests.helpers import act, client_for, decision, task_of, task_url

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


def wita(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WITA)


def kinds(**filters) -> list[tuple[str, str, str]]:
    return sorted(
        Notification.objects.filter(**filters).values_list("kind", "slot", "recipient__username")
    )


@pytest.fixture
def proposal(donggala, start_proposal):
    """A proposal reaching the Disperindag on Monday 2 November 2026 at 09:00 WITA (due 9 November)."""
    with time_machine.travel(wita(2026, 11, 2, 9, 0), tick=False):
        return start_proposal(donggala["pengusul"])


def test_a_new_task_is_told_to_everyone_in_the_region_who_may_claim_it(donggala, make_user, proposal):
    second = make_user(Role.VERIFIKATOR_DINAS, "72.03", username="verifikator2.donggala")
    make_user(Role.VERIFIKATOR_DINAS, "72.02", username="verifikator.poso")
    task = task_of(proposal, "verifikasi_dinas")
    rows = Notification.objects.filter(kind=Kind.TASK_CREATED, task=task)
    # the second verifikator was created after the task: only the one in the region at that time
    assert {n.recipient for n in rows} == {donggala["verifikator_dinas"]}
    assert second not in {n.recipient for n in rows}
    n = rows.get()
    assert n.channel == Channel.EMAIL and n.status == Status.PENDING
    assert n.context["due"] == "9 November 2026"
    assert n.context["url"].endswith(f"/legalisasi/{proposal.pk}/verifikasi_dinas/{task.pk}/")
    deadline = TaskDeadline.objects.get(task=task)
    assert (deadline.received_on, deadline.due_on) == (dt.date(2026, 11, 2), dt.date(2026, 11, 9))


def test_reminders_fall_the_day_before_on_the_day_and_every_overdue_working_day_then_escalate(donggala, proposal):
    reminder = lambda *when: reminders.reminders_create_due(now=wita(*when))  # noqa: E731
    verifikator, pimpinan = donggala["verifikator_dinas"].username, donggala["pimpinan"].username
    assert reminder(2026, 11, 5, 16, 0) == 0
    assert reminder(2026, 11, 6, 7, 30) == 1
    assert reminder(2026, 11, 6, 11, 0) == 0  # once per slot, however often the sweep runs
    assert reminder(2026, 11, 9, 8, 0) == 1
    assert reminder(2026, 11, 10, 8, 0) == 1
    assert reminder(2026, 11, 11, 8, 0) == 1
    assert reminder(2026, 11, 12, 8, 0) == 2  # third overdue working day: the pimpinan is told
    assert reminder(2026, 11, 13, 8, 0) == 1  # overdue again, no second escalation
    assert reminder(2026, 11, 14, 8, 0) == 0  # Saturday
    assert reminder(2026, 11, 16, 8, 0) == 1  # Monday
    assert kinds(kind__in=[Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION]) == [
        (Kind.DUE_SOON, "2026-11-06", verifikator),
        (Kind.DUE_TODAY, "2026-11-09", verifikator),
        (Kind.ESCALATION, "", pimpinan),
        (Kind.OVERDUE, "2026-11-10", verifikator),
        (Kind.OVERDUE, "2026-11-11", verifikator),
        (Kind.OVERDUE, "2026-11-12", verifikator),
        (Kind.OVERDUE, "2026-11-13", verifikator),
        (Kind.OVERDUE, "2026-11-16", verifikator),
    ]
    escalation = Notification.objects.get(kind=Kind.ESCALATION)
    assert escalation.context["days_overdue"] == 3


def test_the_provincial_step_escalates_to_the_provinces_pimpinan(donggala, province, proposal):
    from tests.flows.test_legalisasi_http import sign_and_number, sk_post, through_verification

    with time_machine.travel(wita(2026, 11, 2, 10, 0), tick=False):
        through_verification(proposal, donggala)
        sign_and_number(proposal, donggala, sk_post(proposal.region))
    task = task_of(proposal, "pencatatan_provinsi")
    assert set(Notification.objects.filter(task=task, kind=Kind.TASK_CREATED).values_list("recipient", flat=True)) == {
        province["pencatat_provinsi"].pk
    }
    for day in (6, 9, 10, 11, 12):
        reminders.reminders_create_due(now=wita(2026, 11, day, 8, 0))
    escalation = Notification.objects.get(task=task, kind=Kind.ESCALATION)
    assert escalation.recipient == province["pimpinan"]


def test_no_reminder_after_the_task_is_done_and_a_pending_one_is_cancelled(donggala, proposal):
    reminders.reminders_create_due(now=wita(2026, 11, 6, 7, 30))
    pending = Notification.objects.get(kind=Kind.DUE_SOON)
    with time_machine.travel(wita(2026, 11, 6, 7, 45), tick=False):
        act(donggala["verifikator_dinas"], proposal, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    assert reminders.reminders_create_due(now=wita(2026, 11, 9, 8, 0)) == 0
    outcome, _ = delivery.notification_deliver(pending.pk, now=wita(2026, 11, 6, 8, 0))
    pending.refresh_from_db()
    assert (outcome, pending.status) == (delivery.Outcome.SKIPPED, Status.CANCELLED)
    assert len(mail.outbox) == 0


def test_the_revision_step_has_no_clock_and_a_resubmission_starts_a_fresh_deadline(donggala, proposal):
    from tests.flows.test_legalisasi_http import usulan_post
    from tests.helpers import client_for, task_url

    with time_machine.travel(wita(2026, 11, 3, 10, 0), tick=False):
        act(donggala["verifikator_dinas"], proposal, "verifikasi_dinas", decision(Hasil.DIKEMBALIKAN, "Lengkapi."))
    perbaikan = task_of(proposal, "perbaikan")
    assert not TaskDeadline.objects.filter(task=perbaikan).exists()
    assert kinds(task=perbaikan) == [(Kind.TASK_CREATED, "", donggala["pengusul"].username)]
    with time_machine.travel(wita(2026, 11, 20, 10, 0), tick=False):
        response = client_for(donggala["pengusul"]).post(task_url(perbaikan), usulan_post(proposal.region, files=False))
        assert response.status_code == 302
    again = task_of(proposal, "verifikasi_dinas")
    assert TaskDeadline.objects.get(task=again).due_on == dt.date(2026, 11, 27)


def test_messages_wait_for_office_hours_in_the_recipients_time_zone(donggala, start_proposal):
    with time_machine.travel(wita(2026, 11, 2, 20, 0), tick=False):
        process = start_proposal(donggala["pengusul"])
    n = Notification.objects.get(kind=Kind.TASK_CREATED, task=task_of(process, "verifikasi_dinas"))
    assert n.not_before == wita(2026, 11, 3, 7, 30)
    assert delivery.notification_deliver(n.pk, now=wita(2026, 11, 2, 20, 5))[0] == delivery.Outcome.LATER
    assert len(mail.outbox) == 0
    assert delivery.notification_deliver(n.pk, now=wita(2026, 11, 3, 7, 31))[0] == delivery.Outcome.SENT
    assert len(mail.outbox) == 1


def test_an_email_says_what_the_task_is_when_it_is_due_and_links_to_it(donggala, proposal):
    n = Notification.objects.get(kind=Kind.TASK_CREATED)
    assert delivery.notification_deliver(n.pk, now=wita(2026, 11, 2, 9, 5))[0] == delivery.Outcome.SENT
    message = mail.outbox[0]
    assert message.to == [donggala["verifikator_dinas"].email]
    assert "Tugas baru: Verifikasi Disperindag" in message.subject
    assert proposal.pengelola.name in message.body and "9 November 2026" in message.body
    assert n.context["url"] in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{n.context["url"]}"' in html
    n.refresh_from_db()
    assert n.status == Status.SENT and n.attempts == 1
    # delivered at most once: a second delivery of the same row sends nothing
    assert delivery.notification_deliver(n.pk, now=wita(2026, 11, 2, 9, 6))[0] == delivery.Outcome.SKIPPED
    assert len(mail.outbox) == 1


def test_a_user_who_takes_the_daily_digest_gets_one_message_a_day(donggala, make_user, start_proposal):
    Preference.objects.create(user=donggala["verifikator_dinas"], email=True, whatsapp=False, digest=True)
    with time_machine.travel(wita(2026, 11, 2, 9, 0), tick=False):
        first = start_proposal(donggala["pengusul"])
        second = start_proposal(donggala["pengusul"])
    held = Notification.objects.filter(recipient=donggala["verifikator_dinas"])
    assert set(held.values_list("status", flat=True)) == {Status.HELD}
    assert outbox.digests_build(now=wita(2026, 11, 2, 15, 0)) == 0
    assert outbox.digests_build(now=wita(2026, 11, 3, 7, 30)) == 1
    digest = Notification.objects.get(kind=Kind.DIGEST)
    assert digest.context["count"] == 2
    assert delivery.notification_deliver(digest.pk, now=wita(2026, 11, 3, 7, 31))[0] == delivery.Outcome.SENT
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert first.pengelola.name in body and second.pengelola.name in body
    assert set(held.exclude(kind=Kind.DIGEST).values_list("status", flat=True)) == {Status.DIGESTED}


def test_a_user_chooses_channels_on_the_preferences_page(donggala):
    from tests.helpers import client_for

    client = client_for(donggala["verifikator_dinas"])
    assert client.get("/notifikasi/preferensi/").status_code == 200
    response = client.post("/notifikasi/preferensi/", {"email": "on", "digest": "on"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=donggala["verifikator_dinas"])
    assert (pref.email, pref.whatsapp, pref.digest) == (True, False, True)


@pytest.mark.usefixtures("two_officials")
def test_the_inbox_and_the_task_page_show_the_due_date_and_overdue_tasks_stand_out(donggala, proposal):
    from tests.helpers import client_for, task_url

    task = task_of(proposal, "verifikasi_dinas")
    with time_machine.travel(wita(2026, 11, 4, 9, 0), tick=False):
        client = client_for(donggala["verifikator_dinas"])
        queue = client.get("/legalisasi/queue/").content.decode()
        assert "9 Nov 2026 · 3 hari kerja lagi" in queue and "sk-due--ok" in queue
        client.post(task_url(task, "assign"))
    with time_machine.travel(wita(2026, 11, 11, 9, 0), tick=False):
        client = client_for(donggala["verifikator_dinas"])  # a new working day, a new login
        inbox = client.get("/legalisasi/inbox/").content.decode()
        assert "sk-due--overdue" in inbox and "terlambat 2 hari kerja" in inbox
        page = client.get(task_url(task)).content.decode()
        assert "Senin, 9 November 2026" in page and "terlambat 2 hari kerja" in page


def test_the_sweep_costs_the_same_statements_for_many_due_reminders_as_for_few(donggala, make_user, poso, start_proposal):
    """Reading processes, owners and preferences per reminder would grow with the reminders due."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements_for(proposals: int) -> tuple[int, int]:
        TaskDeadline.objects.update(next_reminder_at=None)
        with time_machine.travel(wita(2026, 11, 2, 9, 0), tick=False):
            started = [start_proposal(pengusul) for _ in range(proposals) for pengusul in (donggala["pengusul"], poso["pengusul"])]
            # half the tasks claimed: their owner is the only one reminded
            for process in started[::2]:
                client_for(process.region_id == "72.03" and donggala["verifikator_dinas"] or poso["verifikator_dinas"]).post(
                    task_url(task_of(process, "verifikasi_dinas"), "assign"))
        cache.clear()  # both sweeps read the cached reference data (days off, hours) cold: the same start
        with CaptureQueriesContext(connection) as queries:
            written = reminders.reminders_create_due(now=wita(2026, 11, 9, 8, 0))
        return len(queries), written

    few, few_written = statements_for(1)
    many, many_written = statements_for(6)
    assert (few_written, many_written) == (2, 12)
    assert many == few, f"{few} statements for {few_written} reminders, {many} for {many_written}"
