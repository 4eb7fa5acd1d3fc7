"""The pengelola's periodic reports (issue 15 section 4): periods, opening, submission, review,
reminders, the province's compliance figures and the pengelola's accounts.

Rules:
- **Periods** last ``SKSENTRA_REPORT_PERIOD_MONTHS`` months (6 by default: semesters January-June
  and July-December), aligned on the calendar year. A period's report is opened the day after the
  period ends, for every sentra whose pengelola has an SK in force dated on or before the period's
  last day (the latest such pengelola), and is **due** ``SKSENTRA_REPORT_DUE_WORKING_DAYS`` working
  days (10) after the period's last day on the sentra's kab/kota calendar (weekends, national
  holidays, cuti bersama and the region's own days off do not count).
- **Opening** is idempotent: one report per sentra and period (a unique constraint; the beat job
  skips what exists and a race loses on the constraint).
- **Flow** (``flows.laporan_flow.LaporanFlow``): ``laporan`` (the pengelola submits) ->
  ``reviu_laporan`` (the kab/kota Disperindag accepts, or returns with a note) -> accepted: end;
  returned: ``perbaikan_laporan`` (the pengelola revises) -> ``reviu_laporan`` again.
- **Reminders** of the due date go through the outbox like a task's (due soon, due today, overdue
  each working day) to the sentra's pengelola officers, and escalate to the kab/kota's ``pimpinan``
  after ``SKSENTRA_DEFAULT_ESCALATE_AFTER`` overdue working days; they stop at the first submission.
- **Late**: submitted after the due date, or not submitted and the due date has passed.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scope import can_see
from accounts.services import user_create
from audit import services as audit
from audit.models import Action
from core.errors import RuleViolation
from core.images import CheckedImage
from core.spreadsheet import cell_value
from notifications.models import Kind
from notifications.outbox import Lookups, message_rows, messages_add
from sentra.choices import StatusSK
from sentra.models import SK, AsetDAK, Region, Sentra
from workdays.calendar import BusinessCalendar, Calendars

from .deadlines import first_reminder_day, step_deadline
from .models import Hasil, LaporanFoto, LaporanProcess, LaporanTask, StatusLaporan
from .reminders import _reminders_due_for, due_in_batches, users_with_role
from .steps import NOTE_REQUIRED, STEP

# --- periods --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date


def period_months() -> int:
    months = settings.SKSENTRA_REPORT_PERIOD_MONTHS
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError("SKSENTRA_REPORT_PERIOD_MONTHS must divide 12")
    return months


def period_of(day: dt.date) -> Period:
    """The reporting period containing ``day``."""
    months = period_months()
    index = (day.month - 1) // months
    start = dt.date(day.year, index * months + 1, 1)
    next_month = start.month + months
    next_start = dt.date(day.year + 1, 1, 1) if next_month > 12 else dt.date(day.year, next_month, 1)
    if months == 12:
        label = str(day.year)
    elif months == 6:
        label = f"{day.year}-S{index + 1}"
    elif months == 3:
        label = f"{day.year}-T{index + 1}"
    else:
        label = f"{day.year}-P{index + 1:02d}"
    return Period(label=label, start=start, end=next_start - dt.timedelta(days=1))


def period_last_ended(today: dt.date) -> Period:
    """The latest period that has ended by ``today``."""
    return period_of(period_of(today).start - dt.timedelta(days=1))


def period_by_label(label: str) -> Period | None:
    """The period named ``label`` (as ``period_of`` names it), or ``None`` for anything else."""
    label = (label or "").strip()
    if not label.isascii() or len(label) > 10 or not label[:4].isdigit():
        return None
    year = int(label[:4])
    if not 2000 <= year <= 2100:
        return None
    for month in range(1, 13, period_months()):
        period = period_of(dt.date(year, month, 1))
        if period.label == label:
            return period
    return None


def due_on(region, period: Period, calendar: BusinessCalendar | None = None) -> dt.date:
    """The report of ``period`` is due this many working days after the period's last day."""
    calendar = calendar or BusinessCalendar(region)
    return calendar.add_working_days(period.end, settings.SKSENTRA_REPORT_DUE_WORKING_DAYS)


# --- opening (beat) -------------------------------------------------------------------------------


def reporting_pengelola(period: Period) -> dict[int, tuple[int, str]]:
    """Per sentra, the pengelola that reports for ``period`` and its kab/kota: the latest pengelola
    with an SK in force signed on or before the period's last day. One query."""
    rows = (
        SK.objects.filter(status=StatusSK.BERLAKU, tanggal__lte=period.end)
        .order_by("pengelola__sentra_id", "tanggal", "pk")
        .values_list("pengelola__sentra_id", "pengelola_id", "region_id")
    )
    return {sentra_id: (pengelola_id, region_id) for sentra_id, pengelola_id, region_id in rows}


def periods_open(*, today: dt.date | None = None) -> int:
    """Open the report of the latest ended period for every sentra with a pengelola ber-SK that has
    none yet; return how many were opened. Idempotent: run it every day."""
    today = today or timezone.localdate()
    period = period_last_ended(today)
    existing = set(LaporanProcess.objects.filter(periode_mulai=period.start).values_list("sentra_id", flat=True))
    calendars = Calendars()
    regions = {r.pk: r for r in Region.objects.filter(kind__in=["kabupaten", "kota"])}
    opened = 0
    for sentra_id, (pengelola_id, region_id) in reporting_pengelola(period).items():
        if sentra_id in existing:
            continue
        region = regions.get(region_id) or Region.objects.get(pk=region_id)
        try:
            laporan_open(sentra_id=sentra_id, pengelola_id=pengelola_id, region=region, period=period,
                         due=due_on(region, period, calendars.of(region)))
        except IntegrityError:  # opened meanwhile by another run
            continue
        opened += 1
    return opened


@transaction.atomic
def laporan_open(*, sentra_id: int, pengelola_id: int, region, period: Period, due: dt.date) -> LaporanProcess:
    """Open one report (the flow's start, then the pengelola's ``laporan`` task)."""
    from .laporan_flow import LaporanFlow  # the flow imports this module: its start is looked up at run time

    with transaction.atomic(), audit.events_batch():
        process = LaporanFlow.start.run(sentra_id=sentra_id, pengelola_id=pengelola_id, region=region,
                                        period=period, due=due)
        audit.event_record(action=Action.REPORT_OPENED, actor_username=audit.SYSTEM_USERNAME, process=process,
                           obj=process, details={"periode": period.label, "batas": due.isoformat(),
                                                 "sentra_id": sentra_id, "pengelola_id": pengelola_id})
    return process


def laporan_start(activation, *, sentra_id, pengelola_id, region, period: Period, due: dt.date) -> LaporanProcess:
    """The flow's start: the report's period, sentra, pengelola and due date (``StartHandle``)."""
    process = activation.process
    process.sentra_id = sentra_id
    process.pengelola_id = pengelola_id
    process.region = region
    process.periode = period.label
    process.periode_mulai = period.start
    process.periode_selesai = period.end
    process.due_on = due
    calendar = BusinessCalendar(region)
    process.next_reminder_at = calendar.office_start(first_reminder_day(calendar, period.end, due))
    return process


# --- messages -------------------------------------------------------------------------------------


def _pengelola_users(process: LaporanProcess) -> list:
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=Role.PENGELOLA.value, sentra_id=process.sentra_id)
        .select_related("region", "notification_pref").distinct()
    )


def task_candidates(task, process: LaporanProcess) -> list:
    """Who may act on a report's task: its owner, else the sentra's pengelola officers (their steps)
    or the step's role in the kab/kota (the review)."""
    if task.owner_id:
        return [task.owner]
    step = STEP[task.flow_task.name]
    if step.role == Role.PENGELOLA:
        return _pengelola_users(process)
    return list(users_with_role(step.role, process.region_id))


def message_context(task, process: LaporanProcess, *, step: str | None = None) -> dict:
    step = step or task.flow_task.name
    return {
        "process_id": process.pk,
        "pengelola": process.pengelola.name,
        "sentra": process.sentra.name,
        "region": str(process.region),
        "task": f"{STEP[step].title} {process.periode}",
        "step": step,
        "url": settings.SKSENTRA_BASE_URL.rstrip("/") + reverse("laporan:detail", args=[process.pk]),
        "owner": str(task.owner) if task.owner_id else "",
        "due_on": process.due_on.isoformat(),
        "due": process.due_on.strftime("%d-%m-%Y"),
    }


@dataclass
class OpenDeadline:
    """The deadline a report's open task runs against, as the reminder rules read it
    (``reminders._reminders_due_for``): the submission's or the review's."""

    received_on: dt.date
    due_on: dt.date
    escalate_after: int
    escalated: bool


def open_deadline(process: LaporanProcess, step: str | None) -> OpenDeadline | None:
    """The submission runs against the period's due date; the review against the step's working days
    (the step table and *Batas waktu langkah*); the revision has none (the clock pauses)."""
    if step == "laporan":
        return OpenDeadline(process.periode_selesai, process.due_on, settings.SKSENTRA_DEFAULT_ESCALATE_AFTER,
                            process.escalated)
    if step == "reviu_laporan" and process.reviu_due_on is not None:
        return OpenDeadline(process.reviu_received_on, process.reviu_due_on, step_deadline(step)[1], process.escalated)
    return None


def task_created(*, task, process: LaporanProcess) -> None:
    """A report's task was created: the review's deadline starts (the submission's was set at the
    opening, a revision has none), and who may act on it is told."""
    step = task.flow_task.name
    if step == "reviu_laporan":
        working_days, _escalate = step_deadline(step)
        calendar = BusinessCalendar(process.region)
        if working_days is not None:
            process.reviu_received_on = calendar.received_on(task.created)
            process.reviu_due_on = calendar.due_on(task.created, working_days)
            process.next_reminder_at = calendar.office_start(
                first_reminder_day(calendar, process.reviu_received_on, process.reviu_due_on))
        else:
            process.reviu_received_on = process.reviu_due_on = process.next_reminder_at = None
        process.escalated = False
        process.save(update_fields=["reviu_received_on", "reviu_due_on", "next_reminder_at", "escalated"])
    elif step == "perbaikan_laporan" and process.next_reminder_at is not None:
        process.next_reminder_at = None
        process.save(update_fields=["next_reminder_at"])
    task_created_notify(task=task, process=process)


def task_created_notify(*, task, process: LaporanProcess) -> int:
    """Tell who may act on a new task of a report (one INSERT through the outbox)."""
    now = timezone.now()
    lookups = Lookups(calendars=Calendars())
    context = message_context(task, process)
    rows = [row for user in task_candidates(task, process)
            for row in message_rows(kind=Kind.TASK_CREATED, recipient=user, task=task, process_id=process.pk,
                                    context=context, now=now, lookups=lookups)]
    return len(messages_add(rows, now=now, new_task=True))


def sole_reviewer(process: LaporanProcess):
    """The kab/kota's one verifikator_dinas, when there is exactly one (as for the legalisation)."""
    candidates = list(users_with_role(Role.VERIFIKATOR_DINAS, process.region_id)[:2])
    return candidates[0] if len(candidates) == 1 else None


def report_reminders_create_due(*, now=None, batch_size: int = 500) -> int:
    """Write the reminders of report due dates that have fallen due (due soon, today, overdue, and
    the escalation to the kab/kota's pimpinan); return how many rows were written. Same rules, same
    locked batches (``reminders.due_in_batches``) and same outbox as the tasks' reminders."""
    now = now or timezone.now()
    calendars = Calendars()
    lookups = Lookups(calendars=calendars)

    def write(batch: list[LaporanProcess]) -> int:
        tasks = {
            t.process_id: t for t in LaporanTask.objects.filter(
                process_id__in=[p.pk for p in batch], flow_task_type="HUMAN", finished__isnull=True
            ).select_related("owner")
        }
        rows = []
        for process in batch:
            task = tasks.get(process.pk)
            deadline = open_deadline(process, task.flow_task.name if task is not None else None)
            if deadline is None or (task.flow_task.name == "laporan" and process.diajukan_pada is not None):
                process.next_reminder_at = None
                process.save(update_fields=["next_reminder_at"])
                continue
            calendar = calendars.of(process.region)
            reminders, process.next_reminder_at = _reminders_due_for(deadline, calendar, now)
            context = message_context(task, process)
            context["due_on"], context["due"] = deadline.due_on.isoformat(), deadline.due_on.strftime("%d-%m-%Y")
            context["days_overdue"] = max(0, calendar.working_days_between(deadline.due_on, calendar.local(now).date()))
            for kind, slot in reminders:
                if kind == Kind.ESCALATION:
                    process.escalated = True
                    recipients = list(users_with_role(Role.PIMPINAN, process.region_id))
                else:
                    recipients = task_candidates(task, process)
                for user in recipients:
                    rows += message_rows(kind=kind, slot=slot, recipient=user, task=task, process_id=process.pk,
                                         context=context, now=now, lookups=lookups)
            # saved one by one: the report's history keeps its reminders and escalation (a few per period)
            process.save(update_fields=["next_reminder_at", "escalated"])
        messages_add(rows, now=now)
        return len(rows)

    reports = LaporanProcess.objects.select_related("region", "sentra", "pengelola")
    return due_in_batches(reports, write, now=now, batch_size=batch_size)


# --- submission and review ------------------------------------------------------------------------


@dataclass
class LaporanData:
    """What a pengelola reports (validated by ``flows.laporan_forms``)."""

    produksi_jumlah: Decimal | None
    produksi_satuan: str
    penjualan_jumlah: Decimal | None
    penjualan_nilai: Decimal | None
    anggota_aktif: int | None
    kegiatan: str
    masalah: str
    aset: list[dict] = field(default_factory=list)


def asset_lines(process: LaporanProcess) -> list[dict]:
    """The asset lines a report describes, each keyed by ``kode`` ("<kode barang> NUP <nup>", as BPKAD
    recorded the line in the sentra's DAK asset lines, ``sentra.AsetDAK``).

    Offered: the sentra's asset lines, then a proposal's old free-text asset check (``PemeriksaanAset``,
    before the asset lines existed) and any line the pengelola reported before; the report stores them
    as a JSON list ``[{kode, uraian, pemanfaatan, kondisi}]``."""
    lines: dict[str, dict] = {}
    for aset in AsetDAK.objects.filter(sentra_id=process.sentra_id).order_by("jenis_kib", "kode_barang", "nup"):
        kode = f"{aset.kode_barang} NUP {aset.nup}"
        lines[kode] = {"kode": kode, "uraian": f"KIB {aset.jenis_kib} — {aset.nama}"}
    check = process.pengelola.pemeriksaan_aset_set.order_by("-pk").first()
    if check is not None and check.kode_kib:
        lines.setdefault(check.kode_kib, {"kode": check.kode_kib, "uraian": _("Aset DAK %(kode)s (BAST %(bast)s)")
                                          % {"kode": check.kode_kib, "bast": check.nomor_bast}})
    for line in process.aset or []:
        lines.setdefault(line.get("kode", ""), {"kode": line.get("kode", ""), "uraian": line.get("uraian", "")})
    lines.pop("", None)
    return list(lines.values())


def _lock_checked(activation, user, step: str) -> None:
    process = activation.process
    if STEP[step].role == Role.PENGELOLA and not can_see(user, process.region_id, process.sentra_id):
        raise RuleViolation(_("Laporan ini bukan laporan sentra Anda."))


def _unit(func):
    """A report's decision is one transaction with its audit events chained together."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(), audit.events_batch():
            return func(*args, **kwargs)

    return wrapper


@_unit
def laporan_submit(*, activation, user, data: LaporanData, photos: list[tuple[CheckedImage, str]] = (),
                   catatan: str = "") -> LaporanProcess:
    """The pengelola submits (or, returned, resubmits) the period's report: its content and photos are
    saved and it goes to the kab/kota Disperindag's review."""
    step = activation.flow_task.name
    if step not in ("laporan", "perbaikan_laporan"):
        raise RuleViolation(_("Langkah ini bukan pengajuan laporan."))
    _lock_checked(activation, user, step)
    process = activation.process
    existing = process.foto_set.count()
    if existing + len(photos) > settings.SKSENTRA_REPORT_MAX_PHOTOS:
        raise RuleViolation(_("Paling banyak %(n)d foto per laporan.") % {"n": settings.SKSENTRA_REPORT_MAX_PHOTOS},
                            field="foto")
    if existing + len(photos) == 0:
        raise RuleViolation(_("Lampirkan sedikitnya satu foto kegiatan atau aset sentra."), field="foto")
    for name in ("produksi_jumlah", "produksi_satuan", "penjualan_jumlah", "penjualan_nilai", "anggota_aktif",
                 "kegiatan", "masalah", "aset"):
        setattr(process, name, getattr(data, name))
    now = timezone.now()
    first = process.diajukan_pada is None
    if first:
        process.diajukan_pada = now
        process.diajukan_oleh = user
    else:
        process.putaran += 1
    process.status_laporan = StatusLaporan.DIAJUKAN
    process.next_reminder_at = None
    process.full_clean(exclude=["flow_class", "sentra", "pengelola", "region", "diajukan_oleh", "parent_task"],
                       validate_unique=False, validate_constraints=False)
    process.save()
    for image, keterangan in photos:
        foto = LaporanFoto(laporan=process, keterangan=keterangan[:200], width=image.width, height=image.height,
                           size=image.size, sha256=image.sha256, uploaded_by=user)
        foto.file.save(f"{image.sha256}.jpg", ContentFile(image.content), save=False)
        foto.save()
    activation.execute()
    audit.event_record(
        action=Action.REPORT_SUBMITTED if first else Action.REPORT_RESUBMITTED, actor=user, process=process,
        task=activation.task, obj=process, note=(catatan or "").strip(),
        details={"langkah": step, "periode": process.periode, "putaran": process.putaran, "foto": len(photos),
                 "terlambat": process.is_late(timezone.localdate())},
    )
    return process


@_unit
def laporan_review(*, activation, user, hasil: str, catatan: str = "") -> LaporanProcess:
    """The kab/kota Disperindag accepts the report, or returns it with a note."""
    step = activation.flow_task.name
    if step != "reviu_laporan" or hasil not in STEP[step].outcomes:
        raise RuleViolation(_("Pilihan keputusan tidak dikenal untuk langkah ini."), field="hasil")
    catatan = (catatan or "").strip()
    if hasil in NOTE_REQUIRED and not catatan:
        raise RuleViolation(_("Catatan wajib diisi saat mengembalikan laporan, agar pengelola tahu apa yang harus diperbaiki."),
                            field="catatan", code="note_required")
    process = activation.process
    process.catatan_reviu = catatan
    if hasil == Hasil.DITERIMA:
        process.status_laporan = StatusLaporan.DITERIMA
        process.diterima_pada = timezone.now()
    else:
        process.status_laporan = StatusLaporan.DIKEMBALIKAN
    process.next_reminder_at = None
    process.save(update_fields=["catatan_reviu", "status_laporan", "diterima_pada", "next_reminder_at"])
    activation.execute()
    audit.event_record(
        action=Action.REPORT_ACCEPTED if hasil == Hasil.DITERIMA else Action.REPORT_RETURNED, actor=user,
        process=process, task=activation.task, obj=process, note=catatan,
        details={"langkah": step, "periode": process.periode, "putaran": process.putaran, "hasil": hasil},
    )
    return process


def open_task(process: LaporanProcess):
    """The report's open human task, if any."""
    return (LaporanTask.objects.filter(process_id=process.pk, flow_task_type="HUMAN", finished__isnull=True)
            .select_related("owner").first())


@transaction.atomic
def task_claim(*, activation, user) -> None:
    activation.assign(user)
    audit.event_record(action=Action.TASK_CLAIM, actor=user, process=activation.process, task=activation.task,
                       details={"langkah": activation.flow_task.name})


# --- compliance (province dashboard) and export ---------------------------------------------------


@dataclass
class ComplianceRow:
    region: Region
    due: int = 0
    received: int = 0
    accepted: int = 0
    late: int = 0


def compliance(user, period: Period, *, today: dt.date | None = None) -> dict:
    """Per kab/kota in ``user``'s scope (the province's officials: every kab/kota), the reports of
    ``period``: due (opened), received (submitted at least once), accepted, late (submitted after the
    due date, or due date passed without one). Two queries (the regions, one aggregate), however many
    reports there are."""
    today = today or timezone.localdate()
    rows = {r.code: ComplianceRow(region=r)
            for r in Region.objects.visible_to(user).filter(kind__in=["kabupaten", "kota"]).order_by("code")}
    submitted_late = Q(diajukan_pada__isnull=False, diajukan_pada__date__gt=F("due_on"))
    aggregate = (
        LaporanProcess.objects.visible_to(user).filter(periode_mulai=period.start)
        .values("region")
        .annotate(
            due=Count("pk"),
            received=Count("pk", filter=Q(diajukan_pada__isnull=False)),
            accepted=Count("pk", filter=Q(status_laporan=StatusLaporan.DITERIMA)),
            late=Count("pk", filter=submitted_late | Q(diajukan_pada__isnull=True, due_on__lt=today)),
        )
        .values_list("region", "due", "received", "accepted", "late")
    )
    for code, due, received, accepted, late in aggregate:
        if code in rows:
            row = rows[code]
            row.due, row.received, row.accepted, row.late = due, received, accepted, late
    ordered = list(rows.values())
    return {
        "period": period,
        "rows": ordered,
        "totals": {k: sum(getattr(r, k) for r in ordered) for k in ("due", "received", "accepted", "late")},
    }


EXPORT_COLUMNS = (
    "Periode", "Kabupaten/kota", "Sentra", "Pengelola", "Status", "Batas pengajuan", "Diajukan", "Terlambat",
    "Diterima", "Jumlah produksi", "Satuan", "Jumlah terjual", "Nilai penjualan (Rp)", "Anggota aktif",
    "Kegiatan", "Masalah", "Aset (kode: pemanfaatan, kondisi)", "Foto", "Catatan reviu",
)


def reports_xlsx(user, period: Period) -> bytes:
    """The reports of ``period`` in ``user``'s scope as an Excel workbook (text that looks like a
    formula is neutralised: ``core.spreadsheet``). One query for the rows and their photo counts."""
    from openpyxl import Workbook

    today = timezone.localdate()
    reports = (
        LaporanProcess.objects.visible_to(user).filter(periode_mulai=period.start)
        .select_related("region", "sentra", "pengelola").annotate(foto_count=Count("foto_set"))
        .order_by("region_id", "sentra__name")
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Laporan {period.label}")
    sheet.append(list(EXPORT_COLUMNS))
    local = timezone.localtime
    status_label = {value: str(label) for value, label in StatusLaporan.choices}  # translated once, not per row
    for r in reports:
        aset = "; ".join(f"{a.get('kode', '')}: {a.get('pemanfaatan', '')}, {a.get('kondisi', '')}" for a in r.aset or [])
        sheet.append([cell_value(v) for v in (
            r.periode, r.region.name, r.sentra.name, r.pengelola.name, status_label[r.status_laporan], r.due_on,
            local(r.diajukan_pada).replace(tzinfo=None) if r.diajukan_pada else None, "ya" if r.is_late(today) else "tidak",
            local(r.diterima_pada).replace(tzinfo=None) if r.diterima_pada else None,
            r.produksi_jumlah, r.produksi_satuan, r.penjualan_jumlah, r.penjualan_nilai, r.anggota_aktif,
            r.kegiatan, r.masalah, aset, r.foto_count, r.catatan_reviu,
        )])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the pengelola's accounts ---------------------------------------------------------------------


def may_create_pengelola_accounts(user) -> bool:
    """The kab/kota Disperindag (its verifikator and operator) creates its pengelola's accounts."""
    region = getattr(user, "region", None)
    return (user.is_authenticated and region is not None and not region.is_province
            and getattr(user, "sentra_id", None) is None
            and bool(user.role_names & {Role.VERIFIKATOR_DINAS.value, Role.PENGUSUL.value}))


@transaction.atomic
def pengelola_account_create(*, by, sentra: Sentra, username: str, first_name: str, last_name: str = "",
                             email: str = "", phone: str = "", jabatan: str = "") -> tuple:
    """Create the account of a pengelola's officer for ``sentra`` (a sentra of ``by``'s kab/kota), with
    no password: the answer carries the one-time link on which the officer sets it. Audited."""
    if not may_create_pengelola_accounts(by):
        raise RuleViolation(_("Hanya Disperindag kabupaten/kota yang dapat membuat akun pengelola."))
    if not can_see(by, sentra.region_id, sentra.pk) or sentra.region_id != by.region_id:
        raise RuleViolation(_("Sentra ini bukan sentra kabupaten/kota Anda."), field="sentra")
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise RuleViolation(_("Nama pengguna ini sudah dipakai."), field="username")
    user = user_create(username=username, roles=[Role.PENGELOLA], password_hash="!", region=sentra.region,
                       email=email, first_name=first_name, last_name=last_name, phone=phone, jabatan=jabatan)
    user.set_unusable_password()
    user.sentra = sentra
    user.save(update_fields=["password", "sentra"])
    audit.event_record(action=Action.ACCOUNT_CREATED, actor=by, obj=user,
                       details={"username": user.username, "peran": Role.PENGELOLA.value, "sentra_id": sentra.pk,
                                "wilayah": sentra.region_id})
    link = reverse("password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                            default_token_generator.make_token(user)])
    return user, settings.SKSENTRA_BASE_URL.rstrip("/") + link
