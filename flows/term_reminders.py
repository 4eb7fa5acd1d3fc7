"""Reminders of the end of the pengurus' term (masa bakti) of an SK in force (issue 15 §2).

Rules:
- the thresholds are **calendar** days before ``SK.masa_bakti_berakhir`` (the term is a calendar
  period: "3 tahun terhitung sejak tanggal Keputusan"): 90, 30 and 0 (the day itself);
- the daily beat job (``flows.tasks.term_reminders_send``) writes, for each SK in force whose term ends
  within 90 days, the message of the latest threshold reached and not yet written, to the region's
  ``pengusul`` and ``verifikator_dinas``; a job that did not run for some days catches up with the
  latest threshold only (no "90 days" message when 29 are left), and the day's message is still
  written up to ``CATCH_UP_DAYS`` after the end;
- one message per SK, threshold, channel and recipient: the outbox's unique ``dedup_key`` (slot
  ``sk<id>-<threshold>``), so reruns and concurrent runs write nothing twice;
- a threshold falling on a weekend or holiday is written that day and delivered at the start of office
  hours of the next working day (``BusinessCalendar.next_office_moment``), like every message;
- an SK with a proposal under way that acts on it (renewal, amendment, revocation) is not reminded.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.roles import Role
from notifications.models import Kind, Notification
from notifications.outbox import message_rows, messages_add
from sentra.choices import JenisKeputusan, StatusSK
from sentra.models import SK

from .models import LegalisasiProcess, Tahap
from .reminders import Memo

THRESHOLDS = (90, 30, 0)
CATCH_UP_DAYS = 7
RECIPIENT_ROLES = (Role.PENGUSUL, Role.VERIFIKATOR_DINAS)


def threshold_reached(end: dt.date, today: dt.date) -> int | None:
    """The latest threshold reached on ``today`` for a term ending on ``end``, if any."""
    left = (end - today).days
    if left < -CATCH_UP_DAYS:
        return None
    return next((t for t in sorted(THRESHOLDS) if left <= t), None)


def term_slot(sk_pk: int, threshold: int) -> str:
    return f"sk{sk_pk}-{threshold}"


def term_reminders_create(*, now=None) -> int:
    """Write the term reminders owed today; the number of outbox rows written (0 on a rerun)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    window_end = today + dt.timedelta(days=max(THRESHOLDS))
    busy = LegalisasiProcess.objects.filter(target_sk__isnull=False, finished__isnull=True).exclude(
        tahap__in=(Tahap.TERCATAT, Tahap.DITOLAK)
    ).values("target_sk")
    sks = list(
        SK.objects.filter(
            status=StatusSK.BERLAKU,
            masa_bakti_berakhir__gte=today - dt.timedelta(days=CATCH_UP_DAYS),
            masa_bakti_berakhir__lte=window_end,
        )
        .exclude(jenis=JenisKeputusan.PENCABUTAN)
        .exclude(pk__in=busy)
        .select_related("region", "pengelola__sentra")
        .order_by("pk")
    )
    memo = Memo()
    memo.users_preload({(role, sk.region_id) for sk in sks for role in RECIPIENT_ROLES})
    rows = []
    for sk in sks:
        threshold = threshold_reached(sk.masa_bakti_berakhir, today)
        if threshold is None:
            continue
        context = {
            "sk": sk.nomor,
            "pengelola": sk.pengelola.name,
            "sentra": sk.pengelola.sentra.name,
            "region": str(sk.region),
            "end": date_format(sk.masa_bakti_berakhir, "j F Y"),
            "days_left": threshold,
            "url": settings.SKSENTRA_BASE_URL.rstrip("/") + reverse("legalisasi:perpanjangan:execute", args=[sk.pk]),
        }
        calendar = memo.region_calendar(sk.region)
        for role in RECIPIENT_ROLES:
            for user in memo.users_with_role(role, sk.region_id):
                for row in message_rows(kind=Kind.TERM_ENDING, recipient=user, context=context, now=now,
                                        lookups=memo.outbox, slot=term_slot(sk.pk, threshold)):
                    # a weekend or holiday: the start of office hours on the next working day
                    row["not_before"] = max(row["not_before"], calendar.next_office_moment(now))
                    rows.append(row)
    if not rows:
        return 0
    keys = [row["dedup_key"] for row in rows]
    before = Notification.objects.filter(dedup_key__in=keys).count()
    messages_add(rows, now=now)
    return Notification.objects.filter(dedup_key__in=keys).count() - before
