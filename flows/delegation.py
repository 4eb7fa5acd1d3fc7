"""Acting officials (Plt./Plh.), absences, and moving tasks from one official to another (issue 16 §1–2).

The records are the accounts app's (``ActingGrant``, ``Absence``); what they change is read in the
single places that decide it: ``User.acting_roles`` feeds the permission backend (``flows.auth``), the
region scope (``accounts.selectors``) and the node check (``accounts.selectors.user_acts_as`` in
``flows.nodes``); ``flows.reminders.Memo.users_preload`` gives new tasks and reminders to the
officials acting in a role and to the substitute of an absent one. This module holds the rules of
recording them and of moving tasks, and their audit events and messages.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from accounts.models import Absence, ActingGrant
from accounts.roles import Role
from accounts.selectors import managed_by, user_managed_region_codes, user_own_region_codes
from audit import services as audit
from audit.models import Action
from core.errors import RuleViolation
from notifications.models import Kind
from notifications.outbox import message_rows, messages_add
from sentra import services as sentra_services

from . import laporan
from .models import Keputusan, LaporanProcess, LegalisasiProcess, LegalisasiTask, TaskDeadline
from .reminders import Memo, TaskRef, task_context
from .steps import STEP, step_region_code

NOTE_MAX = 2000


# --- who may record and move -------------------------------------------------------------------


def may_manage_region(user, region_code: str) -> bool:
    """An administrator, or the ``pimpinan`` of the region (their own region, not one they act in)."""
    codes = user_managed_region_codes(user)
    return codes is None or region_code in codes


def may_manage(user) -> bool:
    """May ``user`` open the pages that record grants and move tasks (for some region)?"""
    codes = user_managed_region_codes(user)
    return codes is None or bool(codes)


def managed_users(by):
    """The users whose absences and tasks ``by`` may manage (``accounts.selectors.managed_by``)."""
    return managed_by(by, get_user_model().objects.exclude(username=audit.SYSTEM_USERNAME).select_related("region"))


def _is_absent(user, day: dt.date) -> bool:
    return Absence.objects.in_force(day).filter(user=user).exists()


def _note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise RuleViolation(_("Catatan wajib diisi: tuliskan alasan pengalihan."), field="note", code="note_required")
    if len(note) > NOTE_MAX:
        raise RuleViolation(_("Catatan terlalu panjang (maksimum %(max)d karakter).") % {"max": NOTE_MAX}, field="note")
    return note


# --- Plt./Plh. ----------------------------------------------------------------------------------


@transaction.atomic
def acting_grant_create(*, user, role: str, region, kapasitas: str, basis_number: str, basis_date: dt.date,
                        scan, starts_on: dt.date, ends_on: dt.date, by) -> ActingGrant:
    """Record that ``user`` acts in ``role`` in ``region`` from ``starts_on`` to ``ends_on`` (both
    included), on the surat perintah ``basis_number`` of ``basis_date`` (``scan``: a checked PDF,
    ``sentra.services.CheckedPdf``). A grant that starts today takes effect at once."""
    if not may_manage_region(by, region.code):
        raise RuleViolation(_("Anda hanya dapat mencatat Plt./Plh. untuk wilayah Anda sendiri."), field="region")
    if not user.is_active:
        raise RuleViolation(_("Pengguna ini tidak aktif."), field="user")
    if ends_on < starts_on:
        raise RuleViolation(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="ends_on")
    if ends_on < timezone.localdate():
        raise RuleViolation(_("Masa berlaku sudah lewat."), field="ends_on")
    if basis_date > starts_on:
        raise RuleViolation(_("Surat perintah harus bertanggal sebelum atau pada tanggal mulai."), field="basis_date")
    if ActingGrant.objects.filter(user=user, role=role, region=region, ended_at__isnull=True,
                                  starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise RuleViolation(_("Pengguna ini sudah tercatat sebagai Plt./Plh. untuk peran dan wilayah ini pada masa itu."),
                            field="starts_on")
    grant = ActingGrant(
        user=user, role=role, region=region, kapasitas=kapasitas, basis_number=basis_number.strip(),
        basis_date=basis_date, basis_sha256=scan.sha256, starts_on=starts_on, ends_on=ends_on, granted_by=by,
    )
    grant.basis_scan.save(f"{scan.sha256}.pdf", ContentFile(scan.content), save=False)
    grant.full_clean(exclude=["basis_scan"])
    grant.save()
    audit.event_record(action=Action.ACTING_GRANT_RECORD, actor=by, obj=grant, details=_grant_details(grant))
    if grant.starts_on <= timezone.localdate():
        _grant_start(grant)
    return grant


def _grant_details(grant: ActingGrant) -> dict:
    return {
        "pengguna": grant.user.username, "peran": grant.role, "wilayah": grant.region_id,
        "kapasitas": grant.capacity_title, "dasar": grant.basis_text, "sha256": grant.basis_sha256,
        "mulai": grant.starts_on.isoformat(), "sampai": grant.ends_on.isoformat(),
    }


def _grant_start(grant: ActingGrant) -> None:
    grant.started_at = timezone.now()
    grant.save(update_fields=["started_at"])
    audit.event_record(action=Action.ACTING_GRANT_START, actor_username=audit.SYSTEM_USERNAME, obj=grant,
                       details=_grant_details(grant), capacity=grant.capacity_title)


def _grant_end(grant: ActingGrant) -> None:
    grant.ended_at = timezone.now()
    grant.save(update_fields=["ended_at"])
    audit.event_record(action=Action.ACTING_GRANT_END, actor_username=audit.SYSTEM_USERNAME, obj=grant,
                       details=_grant_details(grant), capacity=grant.capacity_title)


def acting_grants_sweep(*, today: dt.date | None = None) -> dict:
    """The daily job: record the start of the grants that took effect and end those past their end
    date (each once: rows are locked and skipped by a concurrent run, and a recorded start or end is
    never recorded again). A grant never acts past its end even before this runs: ``in_force``
    reads the dates."""
    today = today or timezone.localdate()
    started = ended = 0
    with transaction.atomic():
        due = ActingGrant.objects.select_for_update(skip_locked=True, of=("self",)).select_related("user").filter(
            Q(started_at__isnull=True, starts_on__lte=today) | Q(ends_on__lt=today), ended_at__isnull=True,
        )
        for grant in due.order_by("pk"):
            if grant.started_at is None:
                _grant_start(grant)
                started += 1
            if grant.ends_on < today:
                _grant_end(grant)
                ended += 1
    return {"started": started, "ended": ended}


# --- ending early ---------------------------------------------------------------------------------


def grant_may_end(by, grant: ActingGrant) -> bool:
    """May ``by`` end ``grant`` early? Whoever may record it (``acting_grant_create``): its region's
    pimpinan or an administrator; never its holder as such."""
    return may_manage_region(by, grant.region_id)


def grant_not_ended(grant: ActingGrant, day: dt.date | None = None) -> bool:
    """Is ``grant`` in force or yet to start on ``day`` (today): not ended early, not past its end?"""
    return grant.ended_at is None and grant.ends_on >= (day or timezone.localdate())


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise RuleViolation(_("Alasan wajib diisi: tuliskan mengapa Plt./Plh. diakhiri lebih awal."),
                            field="alasan", code="reason_required")
    if len(reason) > NOTE_MAX:
        raise RuleViolation(_("Alasan terlalu panjang (maksimum %(max)d karakter).") % {"max": NOTE_MAX},
                            field="alasan")
    return reason


def grant_tasks(grant: ActingGrant) -> list[int]:
    """The open tasks the holder of ``grant`` holds by virtue of it: tasks of the grant's role in the
    grant's region that they could take through the grant only (not their own role in their own region,
    nor another grant in force for the same role and region)."""
    holder = grant.user
    if grant.role in holder.role_names and grant.region_id in user_own_region_codes(holder):
        return []
    if ActingGrant.objects.in_force(holder).filter(role=grant.role, region_id=grant.region_id).exclude(
            pk=grant.pk).exists():
        return []
    tasks = list(held_tasks(holder).order_by("pk"))  # a proposal's tasks and a periodic report's alike
    regions = {pk: process.region for pk, process in processes_of(tasks).items()}
    pks = []
    for task in tasks:
        step = STEP.get(task.flow_task.name)
        if step is None or step.role.value != grant.role or task.process_id not in regions:
            continue
        if step_region_code(step, regions[task.process_id]) == grant.region_id:
            pks.append(task.pk)
    return pks


def _task_return(task_pk: int, *, holder, grant: ActingGrant, by, reason: str) -> bool:
    """Put one task ``holder`` holds back in its role's queue (viewflow's ``unassign``), under the
    process lock; audit ``task_unclaim`` naming the grant. False when it is no longer theirs."""
    task = LegalisasiTask.objects.filter(pk=task_pk).first()
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = LegalisasiTask.objects.get(pk=task_pk)
        if task.status != STATUS.ASSIGNED or task.owner_id != holder.pk:
            return False
        process = flow_class.process_class._default_manager.get(pk=task.process_id)
        with task.activation() as activation:
            activation.unassign()
        audit.event_record(action=Action.TASK_UNCLAIM, actor=by, process=process, task=task, note=reason, details={
            "langkah": task.flow_task.name, "dari": holder.username, "plt_plh": grant.pk,
            "sebab": Action.ACTING_GRANT_END_EARLY.value,
        })
    return True


def _to_end(queryset, pk: int, *, by, field: str, may_end, not_ended, missing, refused, ended):
    """The grant or absence ``pk`` locked for ending early by ``by``; refused (nothing changed) when it is
    not there, ``by`` may not end it, or it has ended already."""
    found = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if found is None:
        raise RuleViolation(missing, field=field)
    if not may_end(by, found):
        raise RuleViolation(refused, field=field)
    if not not_ended(found):
        raise RuleViolation(ended, field=field, code="already_ended")
    return found


@transaction.atomic
def acting_grant_end_early(*, grant_pk: int, by, reason: str) -> tuple[ActingGrant, int]:
    """End a Plt./Plh. grant in force (or yet to start) now, for ``reason`` (required). The tasks its
    holder took by virtue of it go back to the role's queue, unassigned. Audit ``acting_grant_end_early``
    with the reason and how many tasks went back. Returns the grant and that number."""
    reason = _reason(reason, required=True)
    grant = _to_end(ActingGrant.objects.select_related("user", "region"), grant_pk, by=by, field="grant",
                    may_end=grant_may_end, not_ended=grant_not_ended,
                    missing=_("Plt./Plh. tidak ditemukan."),
                    refused=_("Anda hanya dapat mengakhiri Plt./Plh. untuk wilayah Anda sendiri."),
                    ended=_("Plt./Plh. ini sudah berakhir."))
    grant.ended_at = timezone.now()
    grant.save(update_fields=["ended_at"])
    returned = sum(_task_return(pk, holder=grant.user, grant=grant, by=by, reason=reason) for pk in grant_tasks(grant))
    audit.event_record(action=Action.ACTING_GRANT_END_EARLY, actor=by, obj=grant, note=reason, details={
        **_grant_details(grant), "alasan": reason, "tugas_dikembalikan": returned,
        "berakhir": timezone.localtime(grant.ended_at).isoformat(),
    })
    return grant, returned


def acting_grant_of(user, step: str, process) -> ActingGrant | None:
    """The grant by which ``user`` decides ``step`` of ``process``, when they act by one (not in their
    own role in their own region). No query unless the user acts in the step's role and region today."""
    role = STEP[step].role.value
    region_code = step_region_code(STEP[step], process.region)
    if (role, region_code) not in getattr(user, "acting_roles", ()):
        return None
    if role in user.role_names and region_code in user_own_region_codes(user):
        return None
    return ActingGrant.objects.in_force(user).filter(role=role, region_id=region_code).order_by("-starts_on").first()


def signer_decision(process) -> Keputusan | None:
    """The latest signature (``penetapan_sk``) of the proposal, with its signer and Plt./Plh. grant."""
    return (
        Keputusan.objects.filter(process=process, langkah="penetapan_sk", hasil="ditandatangani")
        .select_related("acting_grant", "oleh").order_by("-pk").first()
    )


def signer_kapasitas(process) -> str:
    """``plt``/``plh`` when the draft SK is to be (or was) signed by a Plt./Plh. of the kepala daerah: the
    grant of the signature recorded, else of the official holding the open signing task; "" otherwise."""
    decision = signer_decision(process)
    if decision is not None:
        return decision.acting_grant.kapasitas if decision.acting_grant_id else ""
    task = LegalisasiTask.objects.filter(process=process, flow_task_type="HUMAN", status=STATUS.ASSIGNED,
                                         owner__isnull=False).select_related("owner")
    for candidate in task:
        if candidate.flow_task.name == "penetapan_sk":
            grant = acting_grant_of(candidate.owner, "penetapan_sk", process)
            return grant.kapasitas if grant is not None else ""
    return ""


# --- absences -----------------------------------------------------------------------------------


def eligible_substitutes(user):
    """Who may stand in for ``user``: active users holding one of their roles in their region, or acting
    in it by a grant in force, not themselves; for a pengelola's officer, the officers of the same sentra."""
    roles = [r for r in user.role_names if r != Role.AUDITOR.value]
    users = get_user_model().objects.filter(is_active=True).exclude(pk=user.pk)
    if user.region_id is None or not roles:
        return users.none()
    if getattr(user, "sentra_id", None) is not None:
        # A pengelola's officer stands in for another officer of the same sentra only: the officers of
        # another sentra of the kab/kota are outside each other's scope (accounts.scope).
        return users.filter(groups__name__in=roles, sentra_id=user.sentra_id).distinct()
    acting = ActingGrant.objects.in_force().filter(role__in=roles, region_id=user.region_id).values("user_id")
    return (users.filter(groups__name__in=roles, region_id=user.region_id) | users.filter(pk__in=acting)).distinct()


@transaction.atomic
def absence_record(*, user, starts_on: dt.date, ends_on: dt.date, substitute, note: str = "", by) -> Absence:
    """``user`` is away from ``starts_on`` to ``ends_on``: new tasks and reminders that would be theirs go
    to ``substitute`` meanwhile. Recorded by the user themself, their region's pimpinan or an admin."""
    if by.pk != user.pk and not may_manage_region(by, user.region_id or ""):
        raise RuleViolation(_("Anda hanya dapat mencatat ketidakhadiran diri sendiri atau pegawai wilayah Anda."),
                            field="user")
    if ends_on < starts_on:
        raise RuleViolation(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="ends_on")
    if ends_on < timezone.localdate():
        raise RuleViolation(_("Masa ketidakhadiran sudah lewat."), field="ends_on")
    if substitute is None or not eligible_substitutes(user).filter(pk=substitute.pk).exists():
        raise RuleViolation(_("Pengganti harus pengguna aktif dengan peran yang sama di wilayah yang sama."),
                            field="substitute")
    if Absence.objects.filter(user=substitute, cancelled_at__isnull=True, starts_on__lte=ends_on,
                              ends_on__gte=starts_on).exists():
        raise RuleViolation(_("Pengganti juga tercatat tidak hadir pada masa itu."), field="substitute")
    if Absence.objects.filter(user=user, cancelled_at__isnull=True, starts_on__lte=ends_on,
                              ends_on__gte=starts_on).exists():
        raise RuleViolation(_("Ketidakhadiran pada masa itu sudah tercatat."), field="starts_on")
    absence = Absence(user=user, starts_on=starts_on, ends_on=ends_on, substitute=substitute,
                      note=(note or "").strip()[:NOTE_MAX], recorded_by=by)
    absence.full_clean()
    absence.save()
    audit.event_record(action=Action.ABSENCE_RECORD, actor=by, obj=absence, note=absence.note, details={
        "pengguna": user.username, "pengganti": substitute.username,
        "mulai": starts_on.isoformat(), "sampai": ends_on.isoformat(),
    })
    return absence


def absence_may_end(by, absence: Absence) -> bool:
    """May ``by`` end ``absence`` early? Whoever may record it (``absence_record``): the absent official
    themself, their region's pimpinan or an administrator."""
    return by.pk == absence.user_id or may_manage_region(by, absence.user.region_id or "")


def absence_not_ended(absence: Absence, day: dt.date | None = None) -> bool:
    """Is ``absence`` in force or yet to start on ``day`` (today): not cancelled, not past its end?"""
    return absence.cancelled_at is None and absence.ends_on >= (day or timezone.localdate())


@transaction.atomic
def absence_end(*, absence_pk: int, by, reason: str = "") -> Absence:
    """The official is back: ``absence`` ends now (reason optional). One that began before today ends
    yesterday (``ends_on``; what it covered stays on record); one beginning today or later is cancelled
    (``cancelled_at``). Either way it is no longer in force today: the substitute receives none of the
    official's new tasks and reminders from now on (the tasks already given stay with them). Audit
    ``absence_end``."""
    reason = _reason(reason, required=False)
    today = timezone.localdate()
    absence = _to_end(Absence.objects.select_related("user", "substitute"), absence_pk, by=by, field="absence",
                      may_end=absence_may_end, not_ended=lambda a: absence_not_ended(a, today),
                      missing=_("Ketidakhadiran tidak ditemukan."),
                      refused=_("Anda hanya dapat mengakhiri ketidakhadiran diri sendiri atau pegawai wilayah Anda."),
                      ended=_("Ketidakhadiran ini sudah berakhir."))
    planned_end = absence.ends_on
    if absence.starts_on < today:
        absence.ends_on = today - dt.timedelta(days=1)
        absence.save(update_fields=["ends_on"])
    else:
        absence.cancelled_at = timezone.now()
        absence.save(update_fields=["cancelled_at"])
    audit.event_record(action=Action.ABSENCE_END, actor=by, obj=absence, note=reason, details={
        "pengguna": absence.user.username, "pengganti": absence.substitute.username,
        "mulai": absence.starts_on.isoformat(), "sampai_semula": planned_end.isoformat(),
        "sampai": absence.ends_on.isoformat(), "dibatalkan": absence.cancelled_at is not None, "alasan": reason,
    })
    return absence


def present_user(user):
    """``user``, or the active substitute named by their absence in force today."""
    absence = Absence.objects.in_force().filter(user=user, substitute__is_active=True).select_related(
        "substitute").order_by("-pk").first()
    return absence.substitute if absence is not None else user


# --- moving tasks -------------------------------------------------------------------------------


def eligible_targets(task, process) -> list:
    """Who may take over ``task``: active officials holding its role in its region or acting in it by a
    grant in force, and not away today; never its current owner."""
    step = STEP[task.flow_task.name]
    memo = Memo()
    memo.users_preload({(step.role, step_region_code(step, process.region))})
    raw = memo.raw_users[(step.role, step_region_code(step, process.region))]
    return [u for u in raw if not getattr(u, "away_for", None) and u.pk != task.owner_id]


def held_tasks(user):
    """The open tasks assigned to ``user``."""
    return LegalisasiTask.objects.filter(owner=user, status=STATUS.ASSIGNED, flow_task_type="HUMAN")


def task_reassign(*, task_pk: int, to_user, by, note: str, memo: Memo | None = None) -> LegalisasiTask:
    """Move one assigned task to ``to_user``, under the process lock (a decision on the same task waits
    or has won: a finished task is refused). Audit event ``task_reassign``; both users are told."""
    note = _note(note)
    task = LegalisasiTask.objects.filter(pk=task_pk).first()
    if task is None:
        raise RuleViolation(_("Tugas tidak ditemukan."), field="task")
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = LegalisasiTask.objects.select_related("owner").get(pk=task_pk)
        process = flow_class.process_class._default_manager.select_related("region", "pengelola__sentra").get(
            pk=task.process_id)
        if not may_manage_region(by, process.region_id):
            raise RuleViolation(_("Tugas ini bukan di wilayah Anda."), field="task")
        if task.status != STATUS.ASSIGNED or task.owner_id is None:
            raise RuleViolation(_("Tugas ini sudah selesai atau tidak sedang dipegang siapa pun."), field="task")
        if to_user.pk not in {u.pk for u in eligible_targets(task, process)}:
            raise RuleViolation(
                _("%(user)s tidak dapat menerima tugas ini: harus pengguna aktif dengan peran yang sama di wilayah yang "
                  "sama (atau Plt./Plh.-nya) dan tidak sedang tidak hadir.") % {"user": to_user}, field="to_user")
        from_user = task.owner
        with task.activation() as activation:
            activation.reassign(to_user)
        audit.event_record(action=Action.TASK_REASSIGN, actor=by, process=process, task=task, note=note, details={
            "langkah": task.flow_task.name, "dari": from_user.username, "kepada": to_user.username,
        })
        _reassign_notify(task, process, from_user, to_user, note, memo or Memo())
    return task


def _reassign_notify(task, process, from_user, to_user, note, memo: Memo) -> None:
    now = timezone.now()
    if isinstance(process, LaporanProcess):  # a periodic report's review: its own message, its own page
        context = laporan.message_context(task, process)
    else:
        context = task_context(TaskRef.of(task), process, TaskDeadline.objects.filter(task_id=task.pk).first(), memo)
    slot = now.strftime("%Y%m%d%H%M%S%f")[:20]  # one move, one slot (the column holds 20)
    rows = []
    for recipient, moved in (
        (to_user, _("dialihkan kepada Anda dari %(user)s") % {"user": from_user}),
        (from_user, _("dialihkan dari Anda kepada %(user)s") % {"user": to_user}),
    ):
        rows += message_rows(kind=Kind.TASK_REASSIGNED, slot=slot, recipient=recipient, task=task,
                             process_id=process.pk, context={**context, "moved": moved, "note": note, "owner": str(to_user)},
                             now=now, lookups=memo.outbox)
    messages_add(rows, now=now, new_task=True)


def holders(by) -> list:
    """The officials ``by`` manages who hold open tasks, with how many, most first."""
    counts = dict(
        held_tasks_of(managed_users(by).values("pk")).order_by().values("owner_id").annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    users = get_user_model().objects.filter(pk__in=counts).select_related("region")
    return sorted(((u, counts[u.pk]) for u in users), key=lambda pair: (-pair[1], str(pair[0])))


def held_tasks_of(owners):
    return LegalisasiTask.objects.filter(owner__in=owners, status=STATUS.ASSIGNED, flow_task_type="HUMAN")


def processes_of(tasks) -> dict:
    """The process of each of ``tasks`` by id, with its region and pengelola: a proposal's
    (``LegalisasiProcess``) or a periodic report's (``LaporanProcess``); an official holds both kinds."""
    ids = {t.process_id for t in tasks}
    found = {}
    for model in (LegalisasiProcess, LaporanProcess):
        if ids - found.keys():
            found.update(model.objects.select_related("region", "pengelola").in_bulk(ids - found.keys()))
    return found


def held_task_rows(holder) -> list[dict]:
    """The open tasks ``holder`` holds (a proposal's or a periodic report's), with their process and a
    label for the page."""
    rows = []
    tasks = list(held_tasks(holder).order_by("pk"))
    processes = processes_of(tasks)
    for task in tasks:
        process = processes[task.process_id]
        step = STEP.get(task.flow_task.name)
        title = str(step.title) if step else str(task.flow_task)
        rows.append({"task": task, "process": process,
                     "label": f"{title} — #{process.pk} {process.pengelola.name} ({process.region.name})"})
    return rows


def targets_for(holder, tasks, processes: dict):
    """Everyone eligible to take at least one of ``tasks`` (the service checks each task)."""
    ids = {u.pk for task in tasks for u in eligible_targets(task, processes[task.pk])} - {holder.pk}
    return get_user_model().objects.filter(pk__in=ids)


@transaction.atomic
def tasks_reassign(*, task_pks, from_user, to_user, by, note: str) -> int:
    """Move the tasks ``task_pks`` held by ``from_user`` to ``to_user``: all or none."""
    note = _note(note)
    held = set(held_tasks(from_user).filter(pk__in=task_pks).values_list("pk", flat=True))
    if not task_pks or held != set(task_pks):
        raise RuleViolation(_("Pilih tugas yang masih dipegang pengguna ini."), field="tasks")
    memo = Memo()
    for task_pk in sorted(held):
        task_reassign(task_pk=task_pk, to_user=to_user, by=by, note=note, memo=memo)
    return len(held)


@transaction.atomic
def tasks_reassign_all(*, from_user, to_user, by, note: str) -> int:
    """Move every open task assigned to ``from_user`` to ``to_user`` (each as ``task_reassign`` does); all
    or none: one task ``to_user`` may not take refuses the whole move, naming it."""
    _note(note)
    memo = Memo()
    moved = 0
    for task_pk in held_tasks(from_user).order_by("pk").values_list("pk", flat=True):
        task_reassign(task_pk=task_pk, to_user=to_user, by=by, note=note, memo=memo)
        moved += 1
    return moved


# --- deactivation -------------------------------------------------------------------------------


def deactivation_guard(user, *, raw: bool = False) -> None:
    """Refuse to save ``user`` inactive while they hold open tasks (``user_deactivate`` moves them first;
    the admin's form asks where they go). Costs a query only when an inactive user is saved."""
    if raw or user.pk is None or user.is_active:
        return
    count = held_tasks(user).count()
    if count:
        raise RuleViolation(
            _("%(user)s masih memegang %(count)d tugas: alihkan tugasnya dahulu sebelum menonaktifkan.")
            % {"user": user, "count": count}, field="is_active")


@transaction.atomic
def user_deactivate(*, user, by, to_user=None, note: str = "") -> int:
    """Deactivate ``user``; their open tasks move to ``to_user`` first, in the same transaction (a user
    holding tasks is never left inactive with them). Returns how many tasks moved."""
    if not may_manage_region(by, user.region_id or "") or by.pk == user.pk:
        raise RuleViolation(_("Anda tidak berhak menonaktifkan pengguna ini."), field="user")
    moved = 0
    if held_tasks(user).exists():
        if to_user is None:
            raise RuleViolation(_("Pengguna ini masih memegang tugas: pilih kepada siapa tugasnya dialihkan."),
                                field="to_user")
        moved = tasks_reassign_all(from_user=user, to_user=to_user, by=by,
                                   note=note or _("Pengguna dinonaktifkan."))
    user.is_active = False
    user.save()
    audit.event_record(action=Action.USER_DEACTIVATE, actor=by, obj=user, note=(note or "").strip(),
                       details={"pengguna": user.username, "tugas_dialihkan": moved,
                                "kepada": to_user.username if to_user is not None and moved else ""})
    return moved


def reassign_problems(from_user, to_user) -> list[str]:
    """Why ``to_user`` cannot take every open task of ``from_user`` (empty when they can)."""
    rows = held_task_rows(from_user)
    return [row["label"] for row in rows if to_user.pk not in {u.pk for u in eligible_targets(row["task"], row["process"])}]


def signer_initial(process) -> dict:
    """What the numbering form knows of the signer from the signature recorded: their name, and for a
    Plt./Plh. the capacity and the surat perintah (number, date, validity)."""
    decision = signer_decision(process)
    if decision is None:
        return {}
    initial = {"penandatangan_nama": decision.oleh.get_full_name(), "penandatangan_kapasitas": "definitif"}
    grant = decision.acting_grant
    if grant is not None:
        initial.update(penandatangan_kapasitas=grant.kapasitas, dasar_nomor=grant.basis_number,
                       dasar_tanggal=grant.basis_date, dasar_berlaku_sampai=grant.ends_on)
    return initial


def signer_basis_scan(process):
    """The scan of the Plt./Plh. signer's surat perintah (a ``sentra.services.CheckedPdf``), if any."""
    decision = signer_decision(process)
    grant = decision.acting_grant if decision is not None else None
    if grant is None or not grant.basis_scan:
        return None
    with grant.basis_scan.open("rb") as handle:
        content = handle.read()
    return sentra_services.CheckedPdf(content=content, sha256=grant.basis_sha256,
                                      original_name=f"surat-perintah-{grant.pk}.pdf")
