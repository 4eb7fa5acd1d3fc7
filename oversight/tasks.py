"""Beat jobs of oversight: the daily check of the audit chain, the service-level recorder."""

from celery import shared_task

from . import service_levels, services


@shared_task(acks_late=True, ignore_result=True)
def verify_chain() -> dict:
    """Recompute the chain; on a break, alert the operators."""
    report = services.audit_chain_check()
    return {"ok": report.ok, "events": report.events, "broken_seq": report.broken_seq}


@shared_task(acks_late=True, ignore_result=True)
def step_durations_record() -> int:
    """Store the working-day duration of each human task finished since the last run (service levels)."""
    return service_levels.durations_record()
