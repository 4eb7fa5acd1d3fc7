"""Delivering one outbox row exactly once: claim, office hours, send, retry or fail, fall back to email.

- The send claims the row under ``SELECT … FOR UPDATE SKIP LOCKED``; a row still ``sending`` after
  the lease was cut off mid-send (worker killed): it is sent again and flagged ``possible_duplicate``.
- Every send ends in a recorded state: sent, a retry, or a failure with its reason (any exception,
  not only the channel's ``SendError``); no row is sent more than ``MAX_ATTEMPTS`` times, whichever
  path claims it (a task, the sweep re-claiming a stale ``sending`` row).
- Transient failures retry with exponential backoff and full jitter; permanent ones fail, and a
  WhatsApp message then goes by email; a channel-wide error stops the channel for everyone and
  alerts the operators until one of them resumes it (admin, recorded in the audit trail).
"""

import datetime as dt
import logging
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from audit import services as audit
from audit.models import Action
from workdays.calendar import BusinessCalendar

from . import channels
from .models import STATUS_RANK, Channel, ChannelState, Kind, Notification, Status, WhatsAppStatus
from .outbox import TASK_KINDS, channel_stopped, dedup_key, enqueue_after_commit, send_lease
from .whatsapp import ErrorClass

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


class Outcome:
    SENT = "sent"
    LATER = "later"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"
    IN_FLIGHT = "in_flight"


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with full jitter: up to 30 s, 60 s, 120 s … capped at 30 minutes."""
    return random.uniform(1, min(1800, 30 * 2 ** max(0, attempt - 1)))


def _task_done(task) -> bool:
    return task.finished is not None or task.status in (STATUS.DONE, STATUS.CANCELED)


def _claim(pk: int, now) -> tuple[Notification | None, str]:
    """Take the row for sending, under a row lock; decide whether it is to be sent now."""
    with transaction.atomic():
        n = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "recipient__region", "task")
            .filter(pk=pk)
            .first()
        )
        if n is None:
            return None, Outcome.SKIPPED  # another worker holds it right now
        if n.status == Status.SENDING and n.claimed_at and n.claimed_at > now - send_lease():
            return None, Outcome.IN_FLIGHT  # a send is under way elsewhere, or died less than a lease ago
        if n.status not in (Status.PENDING, Status.SENDING):
            return None, Outcome.SKIPPED
        if n.not_before > now:
            return None, Outcome.LATER
        if n.kind in TASK_KINDS and n.task_id and _task_done(n.task):
            n.status, n.last_error = Status.CANCELLED, _("Tugas sudah selesai sebelum pesan terkirim.")
            n.save(update_fields=["status", "last_error"])
            return None, Outcome.SKIPPED
        if n.channel == Channel.WHATSAPP and channel_stopped(Channel.WHATSAPP):
            n.status, n.last_error = Status.FAILED, _("Kanal WhatsApp sedang dihentikan; dikirim lewat email.")
            n.save(update_fields=["status", "last_error"])
            fallback_to_email(n, reason=n.last_error, now=now)
            return None, Outcome.FAILED
        if n.attempts >= MAX_ATTEMPTS:
            # The limit holds on every path: a row whose sends keep dying (a stale "sending" claimed
            # again by the sweep after each lease) stops here instead of being sent for ever.
            reason = _("Batas %(max)d percobaan pengiriman tercapai; tidak dikirim lagi.") % {"max": MAX_ATTEMPTS}
            if n.last_error:
                reason = f"{reason} {_('Galat terakhir')}: {n.last_error}"[:1000]
            n.status, n.last_error = Status.FAILED, reason
            n.save(update_fields=["status", "last_error"])
            notification_status_record(notification=n, status=Status.FAILED, reason=reason)
            if n.channel == Channel.WHATSAPP:
                fallback_to_email(n, reason=reason, now=now)
            return None, Outcome.FAILED
        calendar = BusinessCalendar(n.recipient.region)
        if settings.SKSENTRA_OFFICE_HOURS_ENFORCED and not calendar.in_office_hours(now):
            n.not_before = calendar.next_office_moment(now)
            n.save(update_fields=["not_before"])
            return None, Outcome.LATER
        if n.status == Status.SENDING:
            # The previous send was cut off (worker killed): it may have reached the recipient.
            n.possible_duplicate = True
            logger.warning("notification %s: earlier send interrupted; sending again, flagged as possible duplicate", n.pk)
        n.status, n.claimed_at, n.attempts = Status.SENDING, now, n.attempts + 1
        n.save(update_fields=["status", "claimed_at", "attempts", "possible_duplicate"])
        return n, Outcome.SENT


def notification_deliver(pk: int, *, now=None) -> tuple[str, float]:
    """Send one row. Returns (outcome, retry delay in seconds)."""
    now = now or timezone.now()
    n, outcome = _claim(pk, now)
    if n is None:
        # Come back when the other send's lease has run out; if it finished, there is nothing to do.
        return outcome, (send_lease().total_seconds() + 1 if outcome == Outcome.IN_FLIGHT else 0.0)
    try:
        provider_id = channels.send(n)
    except channels.SendError as exc:
        delay = backoff_seconds(n.attempts)
        return _after_failure(n, exc, now=now, delay=delay), delay
    except Exception as exc:  # noqa: BLE001 - any failure must end the send, never leave the row "sending"
        # A fault in our own code or data (a header Django refuses, a template error, a missing
        # template for the kind): sending again would fail the same way, so it fails now, with its reason.
        logger.exception("notification %s: send raised %s", n.pk, type(exc).__name__)
        failure = channels.SendError(f"{type(exc).__name__}: {exc}", error_class=ErrorClass.PERMANENT)
        return _after_failure(n, failure, now=now, delay=0.0), 0.0
    with transaction.atomic():
        Notification.objects.filter(pk=n.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now(), provider_message_id=provider_id or "", last_error=""
        )
        notification_status_record(notification=n, status=Status.SENT,
                                   reason=_("mungkin terkirim dua kali") if n.possible_duplicate else "")
    return Outcome.SENT, 0.0


def _after_failure(n: Notification, exc, *, now, delay: float) -> str:
    error_class = getattr(exc, "error_class", ErrorClass.TRANSIENT)
    reason = str(exc)[:1000]
    if error_class in (ErrorClass.TRANSIENT, ErrorClass.RECIPIENT_BACKOFF) and n.attempts < MAX_ATTEMPTS:
        Notification.objects.filter(pk=n.pk).update(
            status=Status.PENDING, last_error=reason,
            not_before=now + dt.timedelta(seconds=delay),
        )
        return Outcome.RETRY
    Notification.objects.filter(pk=n.pk).update(status=Status.FAILED, last_error=reason)
    notification_status_record(notification=n, status=Status.FAILED, reason=reason)
    if error_class == ErrorClass.CHANNEL:
        channel_stop(channel=n.channel, reason=reason, now=now)
    if n.channel == Channel.WHATSAPP:
        fallback_to_email(n, reason=reason, now=now)
    return Outcome.FAILED


def notification_status_record(*, notification, status: str, reason: str = ""):
    """A message's delivery status (sent, delivered, read, failed) enters the audit trail."""
    return audit.event_record(
        action=Action.NOTIFICATION_STATUS, actor=audit.system_user(),
        process=None, process_id=notification.process_id, task=notification.task, obj=notification,
        details={"status": status, "kind": notification.kind, "channel": notification.channel,
                 "recipient": notification.recipient.username if notification.recipient_id else ""},
        note=reason[:500],
    )


def fallback_to_email(n: Notification, *, reason: str, now=None) -> Notification | None:
    """A WhatsApp message that cannot be delivered goes out by email instead (if the user has one)."""
    if not n.recipient.email:
        return None
    key = dedup_key(task_id=n.task_id, kind=n.kind, slot=n.slot, channel=Channel.EMAIL, recipient_id=n.recipient_id)
    with transaction.atomic():
        email, created = Notification.objects.get_or_create(
            dedup_key=key,
            defaults=dict(kind=n.kind, slot=n.slot, channel=Channel.EMAIL, recipient=n.recipient, task=n.task,
                          process_id=n.process_id, context={**n.context, "fallback_reason": reason},
                          not_before=now or timezone.now()),
        )
        if created:
            enqueue_after_commit([email.pk])
    return email if created else None


def channel_stop(*, channel: str, reason: str, now=None) -> None:
    """Stop a channel for everyone (expired token, paused template) and alert the operators by email."""
    with transaction.atomic():
        state, _ = ChannelState.objects.select_for_update().get_or_create(channel=channel)
        if state.stopped:
            return
        state.stopped, state.reason, state.changed_at = True, reason, now or timezone.now()
        state.save()
        logger.error("channel %s stopped: %s", channel, reason)
        operators_alert(subject_key=f"{channel}-{state.changed_at:%Y%m%d%H%M%S}", channel=channel, reason=reason,
                        title=f"kanal {channel} dihentikan", now=state.changed_at)


@transaction.atomic
def channel_resume(*, channel: str, user, note: str = "") -> bool:
    """An operator resumes a stopped channel (after renewing the token, say); recorded in the audit trail."""
    state = ChannelState.objects.select_for_update().filter(channel=channel, stopped=True).first()
    if state is None:
        return False
    stopped_for = state.reason
    state.stopped, state.reason, state.changed_at = False, "", timezone.now()
    state.save()
    audit.event_record(action=Action.CHANNEL_RESUME, actor=user, obj=state, note=note,
                       details={"channel": channel, "alasan_berhenti": stopped_for[:500]})
    return True


def operators_alert(*, subject_key: str, channel: str, reason: str, title: str = "", now=None) -> None:
    """Email every active superuser with an address (once per ``subject_key``)."""
    now = now or timezone.now()
    for admin in get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email=""):
        key = dedup_key(task_id=None, kind=Kind.ALERT, slot=subject_key, channel=Channel.EMAIL, recipient_id=admin.pk)
        alert, created = Notification.objects.get_or_create(
            dedup_key=key,
            defaults=dict(kind=Kind.ALERT, channel=Channel.EMAIL, recipient=admin,
                          context={"channel": channel, "reason": reason, "title": title or channel},
                          slot=channel[:20], not_before=now),
        )
        if created:
            enqueue_after_commit([alert.pk])


# --- provider reports -----------------------------------------------------------------------------


def whatsapp_status_record(report) -> bool:
    """Store a webhook status (``whatsapp.StatusReport``) once per (message, status) and move the
    notification forward only (sent → delivered → read; a failure before delivery falls back to email)."""
    if report.status not in ("sent", "delivered", "read", "failed"):
        return False
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(provider_message_id=report.wamid).first()
        callback = report.callback_data
        if notification is None and callback.isascii() and callback.isdigit() and len(callback) < 19:
            notification = Notification.objects.select_for_update().filter(pk=int(report.callback_data)).first()
        _, created = WhatsAppStatus.objects.get_or_create(
            wamid=report.wamid, status=report.status,
            defaults=dict(notification=notification, timestamp=report.timestamp, error_code=report.error_code,
                          error_title=report.error_title[:300]),
        )
        if not created or notification is None:
            return created
        notification_status_record(
            notification=notification, status=report.status,
            reason=f"WhatsApp {report.wamid} {report.error_code or ''} {report.error_title}".strip(),
        )
        current = STATUS_RANK.get(notification.status, 0)
        if report.status == "failed":
            if current < STATUS_RANK[Status.DELIVERED]:
                notification.status = Status.FAILED
                notification.last_error = f"WhatsApp: {report.error_code} {report.error_title}".strip()
                notification.save(update_fields=["status", "last_error"])
                fallback_to_email(notification, reason=notification.last_error)
        elif STATUS_RANK[Status(report.status)] > current:
            notification.status = Status(report.status)
            notification.save(update_fields=["status"])
    return created
