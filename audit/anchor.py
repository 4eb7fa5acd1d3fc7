"""Anchoring the chain head outside the database.

The hash chain shows a changed or removed event, unless whoever changes it also recomputes every
hash after it. Each daily check therefore appends the head it verified (seq, hash, time) as one JSON
line to ``<SKSENTRA_AUDIT_ANCHOR_DIR>/audit-chain-anchors.jsonl``, a directory the database role
cannot rewrite (a separate mount in production; ``var/audit-anchors/`` in the embedded mode), and the
operators get it by email; the next check compares the chain with the last anchor: the event at the
anchor's ``seq`` must still carry the anchor's hash.
"""

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .models import AuditEvent

FILE_NAME = "audit-chain-anchors.jsonl"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str  # ISO 8601, UTC

    def line(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at}, sort_keys=True)


def anchor_path() -> Path:
    configured = getattr(settings, "SKSENTRA_AUDIT_ANCHOR_DIR", "") or Path(settings.VAR_DIR) / "audit-anchors"
    return Path(configured) / FILE_NAME


def anchor_last() -> Anchor | None:
    """The last well-formed anchor in the file, or ``None`` when there is none yet."""
    path = anchor_path()
    if not path.exists():
        return None
    last = None
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                data = json.loads(line)
                last = Anchor(seq=int(data["seq"]), hash=str(data["hash"]), at=str(data["at"]))
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line (power cut while writing) is skipped, never trusted
    return last


def anchor_append(*, seq: int, hash: str, at) -> Anchor:
    """Append the head to the anchor file (created with its directory), flushed to disk."""
    anchor = Anchor(seq=seq, hash=hash, at=at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"))
    path = anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(anchor.line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return anchor


def anchor_mismatch(anchor: Anchor) -> str | None:
    """Why the chain in the database disagrees with ``anchor``, or ``None`` when it agrees."""
    if anchor.seq == 0:
        return None
    stored = AuditEvent.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
    if stored is None:
        return (f"peristiwa #{anchor.seq} yang dijangkarkan pada {anchor.at} tidak ada lagi di basis data "
                f"(rantai dipotong atau ditulis ulang)")
    if stored != anchor.hash:
        return (f"hash peristiwa #{anchor.seq} tidak sama dengan jangkar {anchor.at} di luar basis data "
                f"({stored[:16]}… ≠ {anchor.hash[:16]}…): rantai ditulis ulang")
    return None
