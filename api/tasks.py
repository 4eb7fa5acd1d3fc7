"""Celery tasks of the API: webhook deliveries, retried with exponential backoff."""

from celery import shared_task

from .models import WebhookDelivery
from .webhooks import MAX_ATTEMPTS, backoff_seconds, deliveries_create, delivery_attempt


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
        webhook_deliver.delay(delivery_pk)
