"""CR/LF in names (issue 18.5): one-line fields refuse control characters, email subjects are one
line, any exception in a delivery ends in a recorded failure, and the attempt limit holds on every path."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from audit.models import Action, AuditEvent
from notifications import channels, delivery, outbox
from notifications.models import Channel, Kind, Notification, Status
from sentra.models import Pengelola
from tests.flows.test_bad_input import _media_files, assert_nothing_saved, submit_usulan
from tests.helpers import form_errors

NOON = dt.datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))
INJECTION = "Koperasi Maju\r\nBcc: semua@example.test"


@pytest.mark.parametrize("value", [INJECTION, "Jl. Poros\nNo. 1", "Nama\tTab", "Nama\x00", "Baris\u2028baru",
                                   "Nama\x85NEL", "Nama\x1b[31m"])
def test_control_characters_are_refused_in_one_line_text(value):
    from core.validators import validate_single_line

    with pytest.raises(ValidationError, match="harus satu baris"):
        validate_single_line(value)


@pytest.mark.parametrize("value", ["Koperasi Produsen Bawang Goreng Palu", "Jl. Trans Sulawesi No. 12, Désa Towale",
                                   "UD Ikan Asin \u201cLa Ode\u201d", ""])
def test_ordinary_names_pass(value):
    from core.validators import validate_single_line

    validate_single_line(value)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["pengelola-name", "pengelola-alamat", "sentra-name", "pengurus-0-nama",
                                   "anggota-0-nama_usaha"])
def test_a_proposal_with_a_line_break_in_a_name_is_refused(donggala, field):
    before = _media_files()
    response = submit_usulan(donggala["pengusul"], **{field: INJECTION})
    assert response.status_code in (200, 422)
    assert "harus satu baris" in form_errors(response)
    assert_nothing_saved(before)


@pytest.fixture
def email_row(donggala, start_proposal, settings):
    settings.SKSENTRA_OFFICE_HOURS_ENFORCED = False
    start_proposal(donggala["pengusul"])
    row = Notification.objects.filter(kind=Kind.TASK_CREATED, channel=Channel.EMAIL).first()
    Notification.objects.filter(pk=row.pk).update(not_before=NOON - dt.timedelta(hours=1),
                                                  created_at=NOON - dt.timedelta(hours=1))
    row.refresh_from_db()
    return row


@pytest.mark.django_db
def test_a_name_stored_with_cr_lf_still_gets_its_email_out_with_a_one_line_subject(email_row):
    """Rows written before the forms refused it (or by the admin) must not lose their messages."""
    email_row.context = {**email_row.context, "pengelola": INJECTION}
    email_row.save()
    assert delivery.notification_deliver(email_row.pk, now=NOON)[0] == delivery.Outcome.SENT
    subject = mail.outbox[-1].subject
    assert "\r" not in subject and "\n" not in subject
    assert "Koperasi Maju Bcc: semua@example.test" in subject
    assert mail.outbox[-1].bcc == []


@pytest.mark.django_db
def test_any_exception_in_a_send_ends_in_a_recorded_failure_with_its_reason(email_row, monkeypatch):
    def broken(n):
        raise KeyError("template tidak ada")

    monkeypatch.setattr(channels, "send", broken)
    outcome, _delay = delivery.notification_deliver(email_row.pk, now=NOON)
    email_row.refresh_from_db()
    assert outcome == delivery.Outcome.FAILED
    assert email_row.status == Status.FAILED and "KeyError" in email_row.last_error
    event = AuditEvent.objects.filter(action=Action.NOTIFICATION_STATUS, object_id=str(email_row.pk)).last()
    assert event.details["status"] == Status.FAILED and "KeyError" in event.note
    # and the sweep does not pick it up again
    assert outbox.outbox_pickup(now=NOON + dt.timedelta(hours=3)) == 0


@pytest.mark.django_db
def test_the_attempt_limit_holds_when_a_stale_sending_row_is_claimed_again(email_row):
    """A row whose sends die mid-way is re-claimed by the sweep after each lease: not for ever."""
    Notification.objects.filter(pk=email_row.pk).update(
        status=Status.SENDING, attempts=delivery.MAX_ATTEMPTS, claimed_at=NOON - dt.timedelta(hours=1))
    outcome, _delay = delivery.notification_deliver(email_row.pk, now=NOON)
    email_row.refresh_from_db()
    assert outcome == delivery.Outcome.FAILED
    assert email_row.status == Status.FAILED and "Batas 8 percobaan" in email_row.last_error
    assert mail.outbox == []
    assert AuditEvent.objects.filter(action=Action.NOTIFICATION_STATUS, object_id=str(email_row.pk)).exists()


@pytest.mark.django_db
def test_a_send_that_keeps_dying_is_sent_at_most_max_attempts_times(email_row, monkeypatch):
    sends = []

    def dies(n):  # the worker is killed mid-send: the row stays "sending" and the sweep finds it later
        sends.append(n.pk)
        raise SystemExit("worker killed")

    monkeypatch.setattr(channels, "send", dies)
    now = NOON
    for _ in range(30):
        try:
            delivery.notification_deliver(email_row.pk, now=now)
        except SystemExit:
            pass
        now += outbox.send_lease() + dt.timedelta(seconds=1)
    email_row.refresh_from_db()
    assert len(sends) == delivery.MAX_ATTEMPTS
    assert email_row.status == Status.FAILED


@pytest.mark.django_db
def test_an_operator_resend_starts_a_fresh_count(email_row):
    Notification.objects.filter(pk=email_row.pk).update(status=Status.FAILED, attempts=delivery.MAX_ATTEMPTS)
    assert outbox.failed_resend(Notification.objects.filter(pk=email_row.pk)) == 1
    assert delivery.notification_deliver(email_row.pk, now=NOON)[0] == delivery.Outcome.SENT


@pytest.mark.django_db
def test_a_webhook_callback_with_non_ascii_digits_is_ignored(email_row):
    from notifications.whatsapp import StatusReport

    report = StatusReport(wamid="wamid.X", status="delivered", timestamp=None, callback_data="١٢²",
                          error_code=None, error_title="")
    delivery.whatsapp_status_record(report)  # no ValueError from int("²")
    assert Pengelola.objects.exists()
