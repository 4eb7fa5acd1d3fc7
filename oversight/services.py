"""The daily check of the audit chain: the audit app verifies, this caller records the result and
alerts the operators on a break (the audit app itself alerts nobody)."""

import logging

from audit import services as audit
from audit.models import Action
from notifications.delivery import operators_alert

logger = logging.getLogger(__name__)


def audit_chain_check() -> audit.ChainReport:
    """Verify the chain, record the result in the chain itself, and alert the operators when it is broken."""
    report = audit.chain_verify()
    if report.ok:
        audit.event_record(action=Action.CHAIN_VERIFIED, actor=audit.system_user(),
                           details={"events": report.events, "head_seq": report.head_seq, "head_hash": report.head_hash})
    else:
        logger.error("audit chain broken at #%s: %s", report.broken_seq, report.reason)
        operators_alert(subject_key=f"audit-{report.broken_seq}", channel="audit", title="rantai audit rusak",
                        reason=f"Rantai audit rusak: {report.reason}. Jalankan verify_audit_chain dan periksa cadangan.")
    return report
