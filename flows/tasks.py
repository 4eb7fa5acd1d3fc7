"""Celery tasks of the flow: thin wrappers around its services."""

from celery import shared_task

from . import delegation, reminders


@shared_task(acks_late=True, ignore_result=True)
def reminders_sweep() -> int:
    """Every minute (beat): write the reminders and escalations that have fallen due (the outbox's own
    sweep, ``notifications.tasks.sweep``, hands them to the workers)."""
    return reminders.reminders_create_due()


@shared_task(acks_late=True, ignore_result=True)
def acting_grants_sweep() -> dict:
    """Daily just after midnight WITA (beat): record the Plt./Plh. grants that start today and end those
    past their end date (``flows.delegation.acting_grants_sweep``; idempotent)."""
    return delegation.acting_grants_sweep()
