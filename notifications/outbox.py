"""Writing the outbox: a message to a person, on the channels they chose, when they may receive it.

Rules:
- a row is written in the transaction of the change that causes it (a rollback takes it along) and
  handed to the workers after commit; if the broker is down it waits for the sweep;
- one row per (task, kind, slot, channel, recipient): ``Notification.dedup_key`` is unique;
- messages leave only within office hours of the recipient's time zone; a user may take one daily
  digest instead of single messages about tasks;
- the per-minute sweep folds held rows into digests and picks up whatever is pending.

This app knows people and messages, not steps: which task is due and who is reminded is decided by
``flows.reminders``, which calls ``message_rows`` and ``messages_add``.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.queries import rows_insert_new
from workdays.calendar import BusinessCalendar, Calendars

from .models import Channel, ChannelState, Kind, Notification, Preference, Status

logger = logging.getLogger(__name__)

# Messages about a task: held for the digest of a user who takes one, cancelled when the task is done.
TASK_KINDS = frozenset({Kind.TASK_CREATED, Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.ESCALATION})


def preference_of(user) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def channel_stopped(channel: str) -> bool:
    return ChannelState.objects.filter(channel=channel, stopped=True).exists()


def channels_for(user, pref: Preference, *, whatsapp_stopped) -> list[str]:
    """The user's chosen channels; while WhatsApp is stopped, its messages go by email instead.

    ``whatsapp_stopped`` is a callable answering whether the channel is stopped (memoised by ``Lookups``).
    """
    wants_whatsapp = pref.whatsapp and user.phone and settings.WHATSAPP_ENABLED
    whatsapp_usable = wants_whatsapp and not whatsapp_stopped()
    channels = []
    if user.email and (pref.email or (wants_whatsapp and not whatsapp_usable)):
        channels.append(Channel.EMAIL)
    if whatsapp_usable:
        channels.append(Channel.WHATSAPP)
    return channels


def dedup_key(*, task_id, kind, slot, channel, recipient_id) -> str:
    return f"{task_id or '-'}:{kind}:{slot}:{channel}:{recipient_id}"


class Lookups:
    """Per-run memo of preferences, calendars and the WhatsApp channel's state, so that a sweep over
    thousands of due reminders costs a few queries per batch instead of several per message, and one
    decision reads each of them once however many messages it writes."""

    def __init__(self, calendars: Calendars | None = None):
        self.prefs: dict[int, Preference] = {}
        self.calendars = calendars or Calendars()
        self._whatsapp_stopped = None
        self._not_before: dict[tuple, dt.datetime] = {}

    def pref(self, user) -> Preference:
        if user.pk not in self.prefs:
            try:  # no query when the user was read with it (``select_related("notification_pref")``)
                self.prefs[user.pk] = user.notification_pref
            except Preference.DoesNotExist:
                self.prefs[user.pk] = Preference(user=user)
        return self.prefs[user.pk]

    def calendar(self, user) -> BusinessCalendar:
        return self.calendars.of(getattr(user, "region", None))

    def whatsapp_stopped(self) -> bool:
        if self._whatsapp_stopped is None:
            self._whatsapp_stopped = channel_stopped(Channel.WHATSAPP)
        return self._whatsapp_stopped

    def not_before(self, user, now, *, held: bool) -> dt.datetime:
        """When a message to ``user`` written at ``now`` may leave: the next working day's office start
        for one held for the digest, the next office moment of the user's calendar otherwise (when
        office hours are enforced). Computed once per calendar and moment."""
        calendar = self.calendar(user)
        key = (id(calendar), now, held)
        if key not in self._not_before:
            if held:
                moment = calendar.office_start(calendar.next_working_day(calendar.local(now).date()))
            elif settings.SKSENTRA_OFFICE_HOURS_ENFORCED:
                moment = calendar.next_office_moment(now)
            else:
                moment = now
            self._not_before[key] = moment
        return self._not_before[key]


def message_rows(*, kind: str, recipient, context: dict, now, lookups: Lookups, slot: str = "", task=None,
                 process_id: int | None = None) -> list[dict]:
    """The rows (field name → value, not yet written: ``messages_add``), one per channel the recipient
    uses, of one message to one person."""
    pref = lookups.pref(recipient)
    held = pref.digest and kind in TASK_KINDS
    not_before = lookups.not_before(recipient, now, held=held)
    task_id = getattr(task, "pk", None)
    return [
        {
            "dedup_key": dedup_key(task_id=task_id, kind=kind, slot=slot, channel=channel, recipient_id=recipient.pk),
            "kind": kind, "slot": slot, "channel": channel, "recipient_id": recipient.pk, "task_id": task_id,
            "process_id": process_id, "context": context, "status": Status.HELD if held else Status.PENDING,
            "not_before": not_before, "created_at": now,
        }
        for channel in channels_for(recipient, pref, whatsapp_stopped=lookups.whatsapp_stopped)
    ]


def messages_add(rows: list[dict], *, now, new_task: bool = False) -> list:
    """Write ``rows`` (``message_rows``) in one INSERT; those to send now go to the workers after commit.

    ``new_task``: the rows name tasks created in this transaction, so no other writer can hold one
    of their keys and the database returns their ids; otherwise a row that exists already is left
    alone (a second sweep, a slot told before), and the sweep hands the new ones to the workers.
    """
    if not rows:
        return []
    if new_task:
        created = Notification.objects.bulk_create([Notification(**row) for row in rows])
        enqueue_after_commit([n.pk for n in created if n.status == Status.PENDING and n.not_before <= now])
        return created
    rows_insert_new(Notification, rows, unique="dedup_key")
    return rows


def enqueue_after_commit(ids: list[int]) -> None:
    """Hand rows to the workers once the transaction commits; if the broker is down they wait for the sweep."""
    if not ids:
        return

    def send():
        from .tasks import deliver  # the Celery task module imports this one

        for pk in ids:
            try:
                deliver.delay(pk)
            except Exception:  # broker unreachable: the row stays pending and the sweep picks it up
                logger.warning("broker unavailable; notification %s left for the sweep", pk, exc_info=True)
                return

    transaction.on_commit(send)


# --- the sweep ----------------------------------------------------------------------------------


def digests_build(*, now=None) -> int:
    """Fold each user's held messages whose time has come into one digest per channel."""
    now = now or timezone.now()
    built = 0
    calendars = Calendars()
    pairs = (
        Notification.objects.filter(status=Status.HELD, not_before__lte=now)
        .values_list("recipient_id", "channel")
        .distinct()
    )
    for recipient_id, channel in list(pairs):
        with transaction.atomic():
            held = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=Status.HELD, not_before__lte=now, recipient_id=recipient_id, channel=channel)
                .select_related("recipient__region")
                .order_by("created_at")
            )
            if not held:
                continue
            recipient = held[0].recipient
            day = calendars.of(recipient.region).local(now).date().isoformat()
            items = [
                {"kind": n.get_kind_display(), "task": n.context.get("task", ""), "pengelola": n.context.get("pengelola", ""),
                 "region": n.context.get("region", ""), "due": n.context.get("due", ""), "url": n.context.get("url", "")}
                for n in held
            ]
            digest, _ = Notification.objects.get_or_create(
                dedup_key=dedup_key(task_id=None, kind=Kind.DIGEST, slot=day, channel=channel, recipient_id=recipient_id),
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


def send_lease() -> dt.timedelta:
    """A send claimed longer ago than this is presumed dead (worker killed): it may be sent again, flagged.
    It must exceed the longest provider call (``WHATSAPP_TIMEOUT_SECONDS``, the SMTP timeout)."""
    return dt.timedelta(seconds=settings.SKSENTRA_SEND_LEASE_SECONDS)


def outbox_pickup(*, now=None, limit: int = 5000) -> int:
    """Hand the workers every pending row whose time has come, and sends whose worker died."""
    from .tasks import deliver  # the Celery task module imports this one

    now = now or timezone.now()
    ready = list(
        Notification.objects.filter(status=Status.PENDING, not_before__lte=now).order_by("not_before").values_list("pk", flat=True)[:limit]
    )
    stale = list(
        Notification.objects.filter(status=Status.SENDING, claimed_at__lt=now - send_lease()).values_list("pk", flat=True)[:limit]
    )
    for pk in ready + stale:
        deliver.delay(pk)
    return len(ready) + len(stale)


def sweep(*, now=None) -> dict:
    """The per-minute job of the outbox: digests, then everything waiting to be delivered."""
    now = now or timezone.now()
    result = {"digests": digests_build(now=now)}
    result["enqueued"] = outbox_pickup(now=now)
    return result


def failed_resend(queryset) -> int:
    """An operator sends failed or waiting rows again, now (the admin's action), with a fresh count of attempts."""
    ids = []
    with transaction.atomic():
        for n in queryset.filter(status__in=[Status.FAILED, Status.PENDING]):
            # The operator's decision starts the count of attempts afresh (``delivery.MAX_ATTEMPTS``).
            n.status, n.not_before, n.attempts = Status.PENDING, n.created_at, 0
            n.save(update_fields=["status", "not_before", "attempts"])
            ids.append(n.pk)
        enqueue_after_commit(ids)
    return len(ids)
