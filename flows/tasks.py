"""Celery tasks of the flow: thin wrappers around its services."""

from celery import shared_task

from . import delegation, laporan, reminders, term_reminders


@shared_task(acks_late=True, ignore_result=True)
def reminders_sweep() -> int:
    """Every minute (beat): write the reminders and escalations that have fallen due (the outbox's own
    sweep, ``notifications.tasks.sweep``, hands them to the workers)."""
    return reminders.reminders_create_due()


@shared_task(acks_late=True, ignore_result=True)
def report_reminders_sweep() -> int:
    """Every minute (beat): the reminders and escalations of the periodic reports' due dates."""
    return laporan.report_reminders_create_due()


@shared_task(acks_late=True, ignore_result=True)
def report_periods_open() -> int:
    """Daily (beat): open the latest ended period's report for every sentra with a pengelola ber-SK
    (idempotent)."""
    return laporan.periods_open()


@shared_task(acks_late=True, ignore_result=True)
def acting_grants_sweep() -> dict:
    """Daily just after midnight WITA (beat): record the Plt./Plh. grants that start today and end those
    past their end date (``flows.delegation.acting_grants_sweep``; idempotent)."""
    return delegation.acting_grants_sweep()


@shared_task(acks_late=True, ignore_result=True)
def asset_agreements_remind() -> int:
    """Daily (beat): remind BPKAD and the Disperindag of DAK asset agreements approaching their end."""
    return reminders.asset_agreement_reminders()


@shared_task(acks_late=True, ignore_result=True)
def term_reminders_send() -> int:
    """Daily (beat, 07:00 WITA): the reminders of pengurus' terms ending in 90 and 30 days and today."""
    return term_reminders.term_reminders_create()
