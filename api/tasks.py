"""Celery tasks of the API: webhook deliveries, retried with exponential backoff."""

from celery import shared_task
from django.utils import timezone

from .models import WebhookDelivery
from .webhooks import (
    MAX_ATTEMPTS, backoff_seconds, deliveries_create, deliveries_due, delivery_attempt, enqueue, sweep_sk_ids,
)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MAX_ATTEMPTS)
def webhook_deliver(self, delivery_pk: int) -> None:
    delivery = WebhookDelivery.objects.select_related("subscriber").filter(pk=delivery_pk).first()
    if delivery is None or delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
        return
    if not delivery_attempt(delivery) and delivery.status == WebhookDelivery.Status.RETRYING:
        raise self.retry(countdown=backoff_seconds(delivery.attempts))


@shared_task(acks_late=True, ignore_result=True)
def webhook_fanout(sk_pk: int) -> None:
    """An SK was saved with a register number: the deliveries it owes, each sent by its own task."""
    for delivery_pk in deliveries_create(sk_pk):
        enqueue(webhook_deliver, delivery_pk)


@shared_task(acks_late=True, ignore_result=True)
def webhook_sweep() -> dict:
    """Every two minutes (beat): what a broker outage or a lost message left behind: the fan-out of the
    SKs recorded or changed lately (idempotent), and deliveries never tried or past their retry."""
    now = timezone.now()
    made = [pk for sk_pk in sweep_sk_ids(now) for pk in deliveries_create(sk_pk)]
    due = sorted(set(made) | set(deliveries_due(now)))
    queued = sum(enqueue(webhook_deliver, pk) for pk in due)
    return {"made": len(made), "queued": queued}
