"""The daily check of the audit chain: the audit app verifies, this caller records the result,
anchors the verified head outside the database and emails it to the operators, and alerts them on a
break (the audit app itself alerts nobody)."""

import dataclasses
import logging

from django.utils import timezone

from audit import anchor as anchors
from audit import services as audit
from audit.models import Action
from notifications.delivery import operators_alert

logger = logging.getLogger(__name__)


def audit_chain_check() -> audit.ChainReport:
    """Verify the chain and compare it with the last anchor; record the result in the chain itself,
    append the new head to the anchor file and email it to the operators; alert them when it is broken."""
    report = audit.chain_verify()
    last = anchors.anchor_last()
    if report.ok and last is not None:
        mismatch = anchors.anchor_mismatch(last)
        if mismatch:
            report = dataclasses.replace(report, ok=False, broken_seq=last.seq, reason=mismatch)
    if not report.ok:
        logger.error("audit chain broken at #%s: %s", report.broken_seq, report.reason)
        operators_alert(subject_key=f"audit-{report.broken_seq}", channel="audit", title="rantai audit rusak",
                        reason=f"Rantai audit rusak: {report.reason}. Jalankan verify_audit_chain dan periksa cadangan.")
        return report
    audit.event_record(action=Action.CHAIN_VERIFIED, actor=audit.system_user(),
                       details={"events": report.events, "head_seq": report.head_seq, "head_hash": report.head_hash,
                                "anchor_seq": last.seq if last else None})
    seq, head_hash = audit.chain_head()
    try:
        written = anchors.anchor_append(seq=seq, hash=head_hash, at=timezone.now())
    except OSError as exc:
        logger.error("audit chain anchor not written to %s: %s", anchors.anchor_path(), exc)
        operators_alert(subject_key=f"audit-anchor-failed-{seq}", channel="audit", title="jangkar rantai audit gagal ditulis",
                        reason=f"Kepala rantai #{seq} {head_hash} tidak dapat ditulis ke {anchors.anchor_path()}: {exc}. "
                               f"Simpan email ini; periksa mount SKSENTRA_AUDIT_ANCHOR_DIR.")
        return report
    operators_alert(subject_key=f"audit-anchor-{seq}", channel="audit", title=f"jangkar harian rantai audit #{seq}",
                    reason=f"Rantai audit utuh ({report.events} peristiwa). Kepala rantai: #{written.seq} "
                           f"{written.hash} pada {written.at}. Simpan email ini di luar sistem: pemeriksaan berikutnya "
                           f"membandingkan rantai dengan jangkar ini.")
    return report
