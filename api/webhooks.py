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
import time
import urllib.error
import urllib.request
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
MAX_ATTEMPTS = 8
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
    transaction.on_commit(lambda: webhook_fanout.delay(sk_pk))


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
