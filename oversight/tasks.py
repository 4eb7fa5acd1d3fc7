"""Daily check of the audit chain (beat)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def verify_chain() -> dict:
    """Recompute the chain; on a break, alert the operators."""
    report = services.audit_chain_check()
    return {"ok": report.ok, "events": report.events, "broken_seq": report.broken_seq}
