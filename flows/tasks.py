"""Celery tasks of the flow: thin wrappers around its services."""

from celery import shared_task

from . import reminders, term_reminders


@shared_task(acks_late=True, ignore_result=True)
def reminders_sweep() -> int:
    """Every minute (beat): write the reminders and escalations that have fallen due (the outbox's own
    sweep, ``notifications.tasks.sweep``, hands them to the workers)."""
    return reminders.reminders_create_due()


@shared_task(acks_late=True, ignore_result=True)
def term_reminders() -> int:
    """Daily (beat, 07:00 WITA): the reminders of pengurus' terms ending in 90 and 30 days and today."""
    return term_reminders.term_reminders_create()
