"""Who is told what, when, on which channel; and the outbox that delivers it exactly once.

Rules:
- a task's creation is told to its assignee, or to everyone who may claim it (role + region);
- reminders one working day before the deadline, on the deadline, and each working day while
  overdue; after ``escalate_after`` overdue working days the region's ``pimpinan`` is told (the
  province's for the provincial step);
- messages leave only within office hours of the recipient's time zone; a user may take one daily
  digest instead of single messages;
- every row is written in the transaction of the change that causes it and delivered after commit
  by a Celery worker; the per-minute sweep creates due reminders and picks up whatever is pending.
"""

import datetime as dt
import logging
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from accounts.roles import Role
from audit import services as audit
from flows import deadlines
from workdays.calendar import BusinessCalendar
from flows.models import LegalisasiProcess, TaskDeadline

from .models import Channel, ChannelState, Kind, Notification, Preference, Status

logger = logging.getLogger(__name__)

TASK_KINDS = frozenset({Kind.TASK_CREATED, Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION})
# A send claimed longer ago than this is presumed dead (worker killed): it may be sent again, flagged.
# It must exceed the longest provider call (WHATSAPP_TIMEOUT_SECONDS, the SMTP timeout).
def send_lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.SKSENTRA_SEND_LEASE_SECONDS)

MAX_ATTEMPTS = 8


# --- recipients and channels -----------------------------------------------------------------


def preference_of(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def channel_stopped(channel: str) -> bool:
    return ChannelState.objects.filter(channel=channel, stopped=True).exists()


def channels_for(user, pref: Preference, *, whatsapp_stopped=None) -> list[str]:
    """The user's chosen channels; while WhatsApp is stopped, its messages go by email instead.

    ``whatsapp_stopped`` is a callable answering whether the channel is stopped (memoised by a
    ``Lookups``); by default the database is asked.
    """
    wants_whatsapp = pref.whatsapp and user.phone and settings.WHATSAPP_ENABLED
    stopped = whatsapp_stopped or (lambda: channel_stopped(Channel.WHATSAPP))
    whatsapp_usable = wants_whatsapp and not stopped()
    channels = []
    if user.email and (pref.email or (wants_whatsapp and not whatsapp_usable)):
        channels.append(Channel.EMAIL)
    if whatsapp_usable:
        channels.append(Channel.WHATSAPP)
    return channels


def _users_with_role(role: Role, region_code: str):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role.value, region_id=region_code)
        .select_related("region", "notification_pref")
        .distinct()
    )


def _step_region_code(process: LegalisasiProcess, step: str) -> str:
    # The provincial step belongs to the province, every other step to the proposal's kab/kota.
    return process.region.parent_id if step == "pencatatan_provinsi" else process.region_id


def task_candidates(task, process: LegalisasiProcess, lookups=None):
    """The assignee, or everyone who may claim the task: its role in its region (the province's for pencatatan)."""
    from flows.services import STEP_ROLES

    if task.owner_id:
        return [task.owner]
    step = task.flow_task.name
    region_code = _step_region_code(process, step)
    if lookups is not None:
        return lookups.users_with_role(STEP_ROLES[step], region_code)
    return list(_users_with_role(STEP_ROLES[step], region_code))


def escalation_recipients(process: LegalisasiProcess, step: str, lookups=None):
    region_code = _step_region_code(process, step)
    if lookups is not None:
        return lookups.users_with_role(Role.PIMPINAN, region_code)
    return list(_users_with_role(Role.PIMPINAN, region_code))


# --- message content -----------------------------------------------------------------------------


def task_context(task, process: LegalisasiProcess, deadline: TaskDeadline | None) -> dict:
    """What a message about ``task`` says, frozen when the message is written."""
    url = settings.SKSENTRA_BASE_URL.rstrip("/") + reverse(
        f"legalisasi:{task.flow_task.name}:index", args=[process.pk, task.pk]
    )
    context = {
        "task": str(task.flow_task.task_title),
        "step": task.flow_task.name,
        "process_id": process.pk,
        "pengelola": process.pengelola.name,
        "sentra": process.pengelola.sentra.name,
        "region": str(process.region),
        "url": url,
        "owner": str(task.owner) if task.owner_id else "",
    }
    if deadline is not None:
        context["due_on"] = deadline.due_on.isoformat()
        context["due"] = date_format(deadline.due_on, "j F Y")
    return context


# --- writing the outbox ------------------------------------------------------------------------


def _dedup_key(*, task_id, kind, slot, channel, recipient_id) -> str:
    return f"{task_id or '-'}:{kind}:{slot}:{channel}:{recipient_id}"


def _calendar_for(user) -> BusinessCalendar:
    return BusinessCalendar(getattr(user, "region", None))


class Lookups(deadlines.ReferenceData):
    """Per-run memo of preferences, calendars, candidate lists and the WhatsApp channel's state, so that
    a sweep over thousands of due deadlines costs a few queries per batch instead of several per
    message, and one decision reads each of them once however many tasks and messages it creates
    (``flows.services.unit_of_work``)."""

    def __init__(self):
        super().__init__()
        self.prefs: dict[int, Preference] = {}
        self.users: dict[tuple, list] = {}
        self._whatsapp_stopped = None

    def pref(self, user) -> Preference:
        if user.pk not in self.prefs:
            try:  # no query when read with the user (``_users_with_role`` selects it)
                self.prefs[user.pk] = user.notification_pref
            except Preference.DoesNotExist:
                self.prefs[user.pk] = Preference(user=user)
        return self.prefs[user.pk]

    def calendar(self, user) -> BusinessCalendar:
        return self.region_calendar(getattr(user, "region", None))

    def whatsapp_stopped(self) -> bool:
        if self._whatsapp_stopped is None:
            self._whatsapp_stopped = channel_stopped(Channel.WHATSAPP)
        return self._whatsapp_stopped

    def users_with_role(self, role: Role, region_code: str) -> list:
        key = (role, region_code)
        if key not in self.users:
            self.users[key] = list(_users_with_role(role, region_code))
        return self.users[key]


def outbox_rows(*, kind: str, recipient, slot: str = "", task=None, process=None, context: dict, now,
                lookups: Lookups) -> list[Notification]:
    """The unsaved rows (one per channel the recipient uses) for one message to one person."""
    pref = lookups.pref(recipient)
    calendar = lookups.calendar(recipient)
    held = pref.digest and kind in TASK_KINDS
    if held:
        not_before = calendar.office_start(calendar.next_working_day(calendar.local(now).date()))
    elif settings.SKSENTRA_OFFICE_HOURS_ENFORCED:
        not_before = calendar.next_office_moment(now)
    else:
        not_before = now
    return [
        Notification(
            dedup_key=_dedup_key(task_id=getattr(task, "pk", None), kind=kind, slot=slot, channel=channel,
                                 recipient_id=recipient.pk),
            kind=kind, slot=slot, channel=channel, recipient=recipient, task=task, process=process, context=context,
            status=Status.HELD if held else Status.PENDING, not_before=not_before, created_at=now,
        )
        for channel in channels_for(recipient, pref, whatsapp_stopped=lookups.whatsapp_stopped)
    ]


def outbox_add(*, kind: str, recipient, slot: str = "", task=None, process=None, context: dict, now=None,
               lookups: Lookups | None = None) -> list[Notification]:
    """Write one row per channel the recipient uses; a row that exists already is left alone.

    Must run inside the transaction of the change that causes it: a rollback takes the rows along.
    """
    now = now or timezone.now()
    created = []
    for row in outbox_rows(kind=kind, recipient=recipient, slot=slot, task=task, process=process, context=context,
                           now=now, lookups=lookups or Lookups()):
        try:
            with transaction.atomic():
                defaults = {f.attname: getattr(row, f.attname) for f in Notification._meta.concrete_fields
                            if f.attname not in ("id", "dedup_key")}
                notification, is_new = Notification.objects.get_or_create(dedup_key=row.dedup_key, defaults=defaults)
        except IntegrityError:  # a concurrent writer made the same row first
            continue
        if is_new:
            created.append(notification)
    _enqueue_due(created, now)
    return created


def notify_task_created(*, task, process: LegalisasiProcess, deadline: TaskDeadline | None,
                        lookups: Lookups | None = None) -> list[Notification]:
    """Tell everyone who may act on a new task (its owner, or its role in its region)."""
    lookups = lookups or Lookups()
    now = timezone.now()
    context = task_context(task, process, deadline)
    rows = [
        row
        for user in task_candidates(task, process, lookups)
        for row in outbox_rows(kind=Kind.TASK_CREATED, recipient=user, task=task, process=process, context=context,
                               now=now, lookups=lookups)
    ]
    # The task was created in this transaction, so no other writer can hold a row naming it: the rows
    # go in with one INSERT instead of a get-or-create each (``outbox_add``).
    created = Notification.objects.bulk_create(rows)
    _enqueue_due(created, now)
    return created


def _enqueue_due(rows: list[Notification], now) -> None:
    """Rows to send now go to the workers after commit; held and later rows wait for the sweep."""
    enqueue_after_commit([n.pk for n in rows if n.status == Status.PENDING and n.not_before <= now])


def enqueue_after_commit(ids: list[int]) -> None:
    """Hand rows to the workers once the transaction commits; if the broker is down they wait for the sweep."""
    if not ids:
        return

    def send():
        from .tasks import deliver

        for pk in ids:
            try:
                deliver.delay(pk)
            except Exception:  # broker unreachable: the row stays pending and the sweep picks it up
                logger.warning("broker unavailable; notification %s left for the sweep", pk, exc_info=True)
                return

    transaction.on_commit(send)


# --- the sweep ----------------------------------------------------------------------------------


def _reminders_due_for(deadline: TaskDeadline, calendar: BusinessCalendar, now) -> tuple[list[tuple[str, str]], dt.datetime | None]:
    """The reminders owed now for ``deadline`` and when the next one falls due."""
    from flows.deadlines import first_reminder_day

    today = calendar.local(now).date()
    if not calendar.is_working_day(today):
        return [], calendar.next_office_moment(now)
    soon_day = first_reminder_day(calendar, deadline.received_on, deadline.due_on)
    due = []
    if today < soon_day:
        return [], calendar.office_start(soon_day)
    if today == soon_day and soon_day < deadline.due_on:
        due.append((Kind.DUE_SOON, today.isoformat()))
    elif today == deadline.due_on:
        due.append((Kind.DUE_TODAY, today.isoformat()))
    elif today > deadline.due_on:
        due.append((Kind.OVERDUE, today.isoformat()))
        overdue_days = calendar.working_days_between(deadline.due_on, today)
        if overdue_days >= deadline.escalate_after and not deadline.escalated:
            due.append((Kind.ESCALATION, ""))
    return due, calendar.office_start(calendar.next_working_day(today))


def reminders_create_due(*, now=None, batch_size: int = 500) -> int:
    """Write every reminder that has fallen due; return how many rows were written.

    Reads only the deadlines whose next reminder is due (a partial index), in batches locked with
    SKIP LOCKED: two sweeps at once take disjoint batches, and each slot's row exists once anyway.
    """
    now = now or timezone.now()
    lookups = Lookups()
    calendars: dict[str, BusinessCalendar] = {}
    written = 0
    while True:
        with transaction.atomic():
            batch = list(
                TaskDeadline.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(next_reminder_at__lte=now)
                .select_related("task", "task__owner", "process", "process__region", "process__pengelola",
                                "process__pengelola__sentra")
                .order_by("next_reminder_at")[:batch_size]
            )
            if not batch:
                return written
            rows = []
            for deadline in batch:
                task, process = deadline.task, deadline.process
                if task.finished is not None or task.status in (STATUS.DONE, STATUS.CANCELED):
                    deadline.next_reminder_at = None
                    continue
                if process.region_id not in calendars:
                    calendars[process.region_id] = BusinessCalendar(process.region)
                calendar = calendars[process.region_id]
                reminders, deadline.next_reminder_at = _reminders_due_for(deadline, calendar, now)
                if not reminders:
                    continue
                context = task_context(task, process, deadline)
                context["days_overdue"] = max(0, calendar.working_days_between(deadline.due_on, calendar.local(now).date()))
                for kind, slot in reminders:
                    if kind == Kind.ESCALATION:
                        deadline.escalated = True
                        recipients = escalation_recipients(process, deadline.step, lookups)
                    else:
                        recipients = task_candidates(task, process, lookups)
                    for user in recipients:
                        rows += outbox_rows(kind=kind, slot=slot, recipient=user, task=task, process=process,
                                            context=context, now=now, lookups=lookups)
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            TaskDeadline.objects.bulk_update(batch, ["next_reminder_at", "escalated"])
            written += len(rows)


def digests_build(*, now=None) -> int:
    """Fold each user's held messages whose time has come into one digest per channel."""
    now = now or timezone.now()
    built = 0
    pairs = (
        Notification.objects.filter(status=Status.HELD, not_before__lte=now)
        .values_list("recipient_id", "channel")
        .distinct()
    )
    for recipient_id, channel in list(pairs):
        with transaction.atomic():
            held = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(status=Status.HELD, not_before__lte=now, recipient_id=recipient_id, channel=channel)
                .order_by("created_at")
            )
            if not held:
                continue
            recipient = held[0].recipient
            day = _calendar_for(recipient).local(now).date().isoformat()
            items = [
                {"kind": n.get_kind_display(), "task": n.context.get("task", ""), "pengelola": n.context.get("pengelola", ""),
                 "region": n.context.get("region", ""), "due": n.context.get("due", ""), "url": n.context.get("url", "")}
                for n in held
            ]
            digest, _ = Notification.objects.get_or_create(
                dedup_key=_dedup_key(task_id=None, kind=Kind.DIGEST, slot=day, channel=channel, recipient_id=recipient_id),
                defaults=dict(
                    kind=Kind.DIGEST, slot=day, channel=channel, recipient=recipient,
                    context={"items": items, "count": len(items),
                             "summary": "; ".join(f"{i['task']} ({i['pengelola']})" for i in items)[:900],
                             "url": settings.SKSENTRA_BASE_URL.rstrip("/") + "/legalisasi/inbox/"},
                    not_before=now,
                ),
            )
            for n in held:
                n.status, n.digest = Status.DIGESTED, digest
                n.save(update_fields=["status", "digest"])
            enqueue_after_commit([digest.pk])
            built += 1
    return built


def outbox_pickup(*, now=None, limit: int = 5000) -> int:
    """Hand the workers every pending row whose time has come, and sends whose worker died."""
    now = now or timezone.now()
    ready = list(
        Notification.objects.filter(status=Status.PENDING, not_before__lte=now).order_by("not_before").values_list("pk", flat=True)[:limit]
    )
    stale = list(
        Notification.objects.filter(status=Status.SENDING, claimed_at__lt=now - send_lease()).values_list("pk", flat=True)[:limit]
    )
    from .tasks import deliver

    for pk in ready + stale:
        deliver.delay(pk)
    return len(ready) + len(stale)


def sweep(*, now=None) -> dict:
    """The per-minute job: due reminders, digests, then everything waiting to be delivered."""
    now = now or timezone.now()
    result = {"reminders": reminders_create_due(now=now), "digests": digests_build(now=now)}
    result["enqueued"] = outbox_pickup(now=now)
    return result


# --- delivery -----------------------------------------------------------------------------------


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
        if n.kind in TASK_KINDS and n.task_id and (n.task.finished is not None or n.task.status in (STATUS.DONE, STATUS.CANCELED)):
            n.status, n.last_error = Status.CANCELLED, _("Tugas sudah selesai sebelum pesan terkirim.")
            n.save(update_fields=["status", "last_error"])
            return None, Outcome.SKIPPED
        if n.channel == Channel.WHATSAPP and channel_stopped(Channel.WHATSAPP):
            n.status, n.last_error = Status.FAILED, _("Kanal WhatsApp sedang dihentikan; dikirim lewat email.")
            n.save(update_fields=["status", "last_error"])
            fallback_to_email(n, reason=n.last_error, now=now)
            return None, Outcome.FAILED
        calendar = _calendar_for(n.recipient)
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
    from . import channels

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
    with transaction.atomic():
        Notification.objects.filter(pk=n.pk, status=Status.SENDING).update(
            status=Status.SENT, sent_at=timezone.now(), provider_message_id=provider_id or "", last_error=""
        )
        audit.notification_status(notification=n, status=Status.SENT,
                                  reason=_("mungkin terkirim dua kali") if n.possible_duplicate else "")
    return Outcome.SENT, 0.0


def _after_failure(n: Notification, exc, *, now, delay: float) -> str:
    from .whatsapp import ErrorClass

    error_class = getattr(exc, "error_class", ErrorClass.TRANSIENT)
    reason = str(exc)[:1000]
    if error_class in (ErrorClass.TRANSIENT, ErrorClass.RECIPIENT_BACKOFF) and n.attempts < MAX_ATTEMPTS:
        Notification.objects.filter(pk=n.pk).update(
            status=Status.PENDING, last_error=reason,
            not_before=now + dt.timedelta(seconds=delay),
        )
        return Outcome.RETRY
    Notification.objects.filter(pk=n.pk).update(status=Status.FAILED, last_error=reason)
    audit.notification_status(notification=n, status=Status.FAILED, reason=reason)
    if error_class == ErrorClass.CHANNEL:
        channel_stop(channel=n.channel, reason=reason, now=now)
    if n.channel == Channel.WHATSAPP:
        fallback_to_email(n, reason=reason, now=now)
    return Outcome.FAILED


def fallback_to_email(n: Notification, *, reason: str, now=None) -> Notification | None:
    """A WhatsApp message that cannot be delivered goes out by email instead (if the user has one)."""
    if not n.recipient.email:
        return None
    key = _dedup_key(task_id=n.task_id, kind=n.kind, slot=n.slot, channel=Channel.EMAIL, recipient_id=n.recipient_id)
    with transaction.atomic():
        email, created = Notification.objects.get_or_create(
            dedup_key=key,
            defaults=dict(kind=n.kind, slot=n.slot, channel=Channel.EMAIL, recipient=n.recipient, task=n.task,
                          process=n.process, context={**n.context, "fallback_reason": reason},
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


def operators_alert(*, subject_key: str, channel: str, reason: str, title: str = "", now=None) -> None:
    """Email every active superuser with an address (once per ``subject_key``)."""
    now = now or timezone.now()
    for admin in get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email=""):
        key = _dedup_key(task_id=None, kind=Kind.ALERT, slot=subject_key, channel=Channel.EMAIL, recipient_id=admin.pk)
        alert, created = Notification.objects.get_or_create(
            dedup_key=key,
            defaults=dict(kind=Kind.ALERT, channel=Channel.EMAIL, recipient=admin,
                          context={"channel": channel, "reason": reason, "title": title or channel},
                          slot=channel[:20], not_before=now),
        )
        if created:
            enqueue_after_commit([alert.pk])


def channel_resume(*, channel: str) -> None:
    ChannelState.objects.filter(channel=channel).update(stopped=False, reason="", changed_at=timezone.now())


# --- provider reports -----------------------------------------------------------------------------


def whatsapp_status_record(*, wamid: str, status: str, timestamp=None, error_code=None, error_title: str = "",
                           callback_data: str = "") -> bool:
    """Store a webhook status once per (message, status) and move the notification forward only."""
    from .models import STATUS_RANK, WhatsAppStatus

    if status not in ("sent", "delivered", "read", "failed"):
        return False
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(provider_message_id=wamid).first()
        if notification is None and callback_data.isdigit():
            notification = Notification.objects.select_for_update().filter(pk=int(callback_data)).first()
        _, created = WhatsAppStatus.objects.get_or_create(
            wamid=wamid, status=status,
            defaults=dict(notification=notification, timestamp=timestamp, error_code=error_code, error_title=error_title[:300]),
        )
        if not created or notification is None:
            return created
        audit.notification_status(notification=notification, status=status,
                                  reason=f"WhatsApp {wamid} {error_code or ''} {error_title}".strip())
        current = STATUS_RANK.get(notification.status, 0)
        if status == "failed":
            if current < STATUS_RANK[Status.DELIVERED]:
                notification.status = Status.FAILED
                notification.last_error = f"WhatsApp: {error_code} {error_title}".strip()
                notification.save(update_fields=["status", "last_error"])
                fallback_to_email(notification, reason=notification.last_error)
        elif STATUS_RANK[Status(status)] > current:
            notification.status = Status(status)
            notification.save(update_fields=["status"])
    return created
