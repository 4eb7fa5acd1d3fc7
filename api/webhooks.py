"""Outbound webhooks: a subscriber (URL, shared secret, region) is told when an SK is recorded in the
province's register. After the recording commits, a Celery task (``webhook_fanout``) writes one
``WebhookDelivery`` row per subscriber; each is sent by its own task, signed with HMAC-SHA256, retried with
exponential backoff. The recording's transaction itself pays no query for it.

The region of a subscriber is read by the one scope rule (``accounts.scope.can_see`` on a
``ServicePrincipal``-like holder of the subscriber's region).
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta
from types import SimpleNamespace

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from accounts.scope import can_see
from sentra.choices import StatusSK
from sentra.models import SK
from sentra.selectors import register_entry_public

from .models import WebhookDelivery, WebhookSubscriber

EVENT_RECORDED = "sk.dicatat"
# Issue 15: an SK in the register amended (or renewed) by a later SK, or revoked by one. Sent once per
# SK and subscriber when its legal status changes (at the numbering of the later SK), with the chain.
EVENT_AMENDED = "sk.diubah"
EVENT_REVOKED = "sk.dicabut"
EVENT_OF_STATUS = {StatusSK.DIUBAH: EVENT_AMENDED, StatusSK.DICABUT: EVENT_REVOKED}
SIGNATURE_HEADER = "X-SKSentra-Signature"
logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# The sweep (api.tasks.webhook_sweep) sends what the broker never took: deliveries left pending or past
# their retry by this long, and the fan-out of SKs recorded or changed within SWEEP_LOOKBACK.
SWEEP_GRACE = timedelta(minutes=2)
SWEEP_LOOKBACK = timedelta(days=2)
TIMEOUT_SECONDS = 10


def backoff_seconds(attempts: int) -> int:
    """30 s, 1 min, 2 min, 4 min … up to 6 h between attempts."""
    return min(30 * 2 ** max(attempts - 1, 0), 6 * 3600)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _holder(subscriber):
    region = subscriber.region
    return SimpleNamespace(is_authenticated=True, is_superuser=False, region=region, region_id=subscriber.region_id)


def sk_recorded(sender, instance: SK, created: bool, **kwargs) -> None:
    """``post_save`` of an SK in the register: after the commit, a Celery task finds the subscribers and
    writes the deliveries (no query in the recording's own transaction; ``deliveries_create`` is
    idempotent, so a later save of the SK sends nothing twice)."""
    if not instance.nomor_register or kwargs.get("raw"):
        return
    from .tasks import webhook_fanout  # noqa: PLC0415  (the task module imports this one)

    sk_pk = instance.pk
    transaction.on_commit(lambda: enqueue(webhook_fanout, sk_pk))


def enqueue(task, *args) -> bool:
    """Hand ``task`` to the broker; if the broker is down, log it and go on: the recording (or the
    delivery that called) has committed, and ``webhook_sweep`` sends what was not queued."""
    try:
        task.delay(*args)
        return True
    except Exception:  # noqa: BLE001 - a broker outage must not turn a committed recording into a 500
        logger.warning("webhook task %s%r not queued (broker unavailable); the sweep will send it", task.name, args,
                       exc_info=True)
        return False


def sweep_sk_ids(now) -> list[int]:
    """The SKs whose events may be owed: recorded within ``SWEEP_LOOKBACK``, and the SKs that SKs numbered
    within it amend or revoke (``deliveries_create`` is idempotent: the ones already made are skipped)."""
    since = now - SWEEP_LOOKBACK
    recent = set(SK.objects.filter(dicatat_pada__gte=since).exclude(nomor_register="").values_list("pk", flat=True))
    for mengubah, mencabut in SK.objects.filter(created_at__gte=since).values_list("mengubah_id", "mencabut_id"):
        recent.update(pk for pk in (mengubah, mencabut) if pk)
    return sorted(recent)


def deliveries_due(now) -> list[int]:
    """Deliveries the broker lost: pending and never tried after ``SWEEP_GRACE``, or retrying and past
    their next attempt by ``SWEEP_GRACE``."""
    pending = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, attempts=0, created_at__lt=now - SWEEP_GRACE
    ).values_list("pk", flat=True)
    due = list(pending[:500])
    for pk, attempts, last in WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.RETRYING, last_attempt_at__lt=now - SWEEP_GRACE
    ).values_list("pk", "attempts", "last_attempt_at")[:500]:
        if last + timedelta(seconds=backoff_seconds(attempts)) + SWEEP_GRACE < now:
            due.append(pk)
    return due


def deliveries_create(sk_pk: int) -> list[int]:
    """One delivery per active subscriber whose region sees the SK (once per SK, event and subscriber: a
    unique constraint): ``sk.dicatat`` when it is in the register, and ``sk.diubah``/``sk.dicabut`` once a
    later SK has amended or revoked it; the ids of the deliveries made now."""
    sk = SK.objects.select_related("region__parent", "pengelola__sentra").filter(pk=sk_pk).first()
    if sk is None or not sk.nomor_register:
        return []
    subscribers = [s for s in WebhookSubscriber.objects.filter(active=True).select_related("region")
                   if can_see(_holder(s), sk.region_id)]
    if not subscribers:
        return []
    data = {"id": sk.pk, "region": sk.region_id, **register_entry_public(sk)}
    events = [EVENT_RECORDED] + ([EVENT_OF_STATUS[sk.status]] if sk.status in EVENT_OF_STATUS else [])
    made_now = []
    for subscriber in subscribers:
        for event in events:
            delivery, made = WebhookDelivery.objects.get_or_create(
                subscriber=subscriber, event=event, sk_id=sk.pk,
                defaults={"payload": {"event": event, "data": data}},
            )
            if made:
                made_now.append(delivery.pk)
    return made_now


def connect():
    post_save.connect(sk_recorded, sender=SK, dispatch_uid="api.webhooks.sk_recorded")


def delivery_attempt(delivery: WebhookDelivery) -> bool:
    """Send ``delivery`` once; record the attempt. True when the receiver answered 2xx."""
    subscriber = delivery.subscriber
    body = json.dumps({**delivery.payload, "delivery": str(delivery.uuid)}, ensure_ascii=False).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(subscriber.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "SK-Sentra-Webhook/1",
        SIGNATURE_HEADER: signature(subscriber.secret, timestamp, body), "X-SKSentra-Event": delivery.event,
    })
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (operator's URL)
            delivery.response_code = response.status
            ok = 200 <= response.status < 300
            delivery.last_error = ""
    except urllib.error.HTTPError as exc:
        delivery.response_code, ok, delivery.last_error = exc.code, False, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        delivery.response_code, ok, delivery.last_error = None, False, str(exc)[:300]
    if ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
    else:
        delivery.status = WebhookDelivery.Status.RETRYING
    delivery.save()
    return ok
