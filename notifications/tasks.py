"""Celery tasks: thin wrappers around the outbox and delivery. They take ids, never objects."""

from celery import shared_task

from . import delivery, outbox


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=delivery.MAX_ATTEMPTS, ignore_result=True)
def deliver(self, notification_id: int) -> str:
    """Send one notification; transient failures come back after a short, jittered backoff."""
    outcome, delay = delivery.notification_deliver(notification_id)
    if outcome in (delivery.Outcome.RETRY, delivery.Outcome.IN_FLIGHT) and self.request.retries < self.max_retries:
        # Short countdowns only (minutes): anything longer is picked up by the sweep from the outbox.
        raise self.retry(countdown=min(delay, 300))
    return outcome


@shared_task(acks_late=True, ignore_result=True)
def sweep() -> dict:
    """Every minute (beat): build due digests, hand pending rows to the workers."""
    return outbox.sweep()
