"""Business rules of the legalisation flow: who may decide what on each step, and what it changes.

Views and flow nodes stay thin: each human step's view calls one function here, inside the process
lock; the flow's gateways read the recorded decisions through the selectors at the bottom.
"""

import functools
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Action
from core.errors import RuleViolation
from sentra import asset_services
from sentra import services as sentra_services
from sentra.choices import JenisDokumen, JenisKeputusan, SentraState, StatusPencatatan, StatusSK
from sentra.models import SK, Sentra

from . import deadlines
from .selectors import sentra_state_annotate
from .models import AlasanPencabutan, Hasil, Keputusan, LegalisasiProcess, Tahap
from .reminders import Memo, tasks_created_notify
from .delegation import acting_grant_of, present_user, signer_basis_scan
from .steps import NOTE_REQUIRED, START_STEPS, STEP, STEPS, step_region_code

# What each outcome is called in the audit trail (a resubmission after revision has its own name).
DECISION_ACTIONS = {
    Hasil.DIAJUKAN: Action.PROCESS_START,
    Hasil.DISETUJUI: Action.DECISION_APPROVE,
    Hasil.DIKEMBALIKAN: Action.DECISION_RETURN,
    Hasil.DITOLAK: Action.DECISION_REJECT,
    Hasil.DIPARAF: Action.DRAFT_PARAF,
    Hasil.DITANDATANGANI: Action.SK_SIGNED,
    Hasil.DINOMORI: Action.SK_NUMBERED,
    Hasil.DITETAPKAN: Action.SK_ISSUED,
    Hasil.DICATAT: Action.SK_RECORDED,
    Hasil.DICATAT_DENGAN_CATATAN: Action.SK_RECORDED,
    Hasil.DIJAWAB: Action.NOTES_ANSWERED,
}


def decision_check(step: str, hasil: str, catatan: str) -> None:
    """Is ``hasil`` a choice of ``step``, with the note it requires?"""
    if hasil not in STEP[step].outcomes:
        raise RuleViolation(_("Pilihan keputusan tidak dikenal untuk langkah ini."), field="hasil")
    if hasil in NOTE_REQUIRED and not (catatan or "").strip():
        raise RuleViolation(
            _("Catatan wajib diisi saat mengembalikan atau menolak usulan, agar pengusul tahu apa yang harus diperbaiki."),
            field="catatan",
            code="note_required",
        )


# The reference data of the decision being made (see ``unit_of_work``).
_unit: ContextVar = ContextVar("sksentra_unit_lookups", default=None)


def unit_of_work(func):
    """A decision is one transaction, and reads and writes in bulk what it can.

    Reads once: the step deadlines, the regions' calendars, the officials to tell and their
    preferences are shared by every task the decision opens (the parallel verification opens two).
    Writes at the end, in one statement each: the deadlines of the tasks it opened and the messages
    about them (``_created_flush``), and its audit events (``audit.events_batch``).
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _unit.get() is not None:  # nested: the outer unit reads and writes
            return func(*args, **kwargs)
        token = _unit.set(Memo())
        try:
            with transaction.atomic(), audit.events_batch():
                result = func(*args, **kwargs)
                _created_flush(_unit.get())
                _stages_flush(_unit.get())
                return result
        finally:
            _unit.reset(token)

    return wrapper


def _created_flush(memo: Memo) -> None:
    """Start the deadlines of the tasks created in the unit of work and tell who may act on them."""
    created, memo.created = memo.created, []
    if created:
        started = deadlines.deadlines_start(created, reference=memo)
        tasks_created_notify([(task, process, d) for (task, process), d in zip(created, started)], memo)


def _record(activation, *, user, hasil: str, catatan: str = "", kapasitas: str = "") -> Keputusan:
    step = activation.flow_task.name
    # A Plt./Plh. decides in the capacity and on the basis of their grant, whatever was typed.
    grant = acting_grant_of(user, step, activation.process) if not STEP[step].by_pengusul else None
    if grant is not None:
        kapasitas = grant.capacity_title
    keputusan = Keputusan(
        process=activation.process,
        task=activation.task,
        langkah=step,
        putaran=activation.process.putaran,
        hasil=hasil,
        catatan=(catatan or "").strip(),
        oleh=user,
        peran=str(STEP[step].role),
        kapasitas=(kapasitas or "").strip(),
        acting_grant=grant,
        dasar_kapasitas=grant.basis_text if grant is not None else "",
    )
    # Field rules (choices, lengths) are checked; the related rows are the locked process, its task and
    # the acting user, and the database enforces the keys and the one-decision-per-task constraint, so
    # the four existence queries ``full_clean`` would add are left out.
    keputusan.full_clean(exclude=["process", "task", "oleh"], validate_unique=False)
    keputusan.save()
    memo = _unit.get()
    if memo is not None:  # the gateway after this step reads it from here (``last_outcome``)
        memo.decided[(keputusan.process_id, step)] = keputusan.hasil
    deadlines.deadline_stop(task=activation.task)
    action = DECISION_ACTIONS[keputusan.hasil]
    if action == Action.PROCESS_START and step not in START_STEPS:  # a revision sent again (proposal or draft)
        action = Action.PROCESS_RESUBMIT
    details = {"langkah": step, "putaran": keputusan.putaran, "hasil": keputusan.hasil, "peran": keputusan.peran}
    if grant is not None:
        details.update(kapasitas=keputusan.kapasitas, dasar_kapasitas=keputusan.dasar_kapasitas, plt_plh=grant.pk)
    audit.event_record(
        action=action, actor=user, process=activation.process, task=activation.task, obj=keputusan,
        details=details, note=keputusan.catatan, capacity=keputusan.kapasitas,
    )
    return keputusan


def _set_tahap(process: LegalisasiProcess, tahap: Tahap) -> None:
    """The proposal's stage follows its open step. Inside a unit of work the row is written once when the
    unit ends (``_stages_flush``), and not at all when the process was saved whole after the change
    (viewflow's End saves it, stage included, when the last step finishes it)."""
    if process.tahap == tahap:
        return
    process.tahap = tahap
    memo = _unit.get()
    if memo is None:
        process.save(update_fields=["tahap"])
    else:
        process.tahap_unsaved = True
        memo.stages[process.pk] = process


def _stages_flush(memo: Memo) -> None:
    stages, memo.stages = memo.stages, {}
    for process in stages.values():
        if process.tahap_unsaved:
            process.save(update_fields=["tahap"])


@unit_of_work
def sentra_free_check(sentra: Sentra) -> None:
    """A new pengelola is proposed only for a sentra without one: not while its pengelola holds an SK
    in force (that SK is amended or renewed instead, from the register) nor while another proposal for
    it is open. The sentra's row is locked, so two pengusul proposing at once queue here."""
    Sentra.objects.select_for_update().filter(pk=sentra.pk).exists()
    state = sentra_state_annotate(Sentra.objects.filter(pk=sentra.pk)).values_list("state", flat=True).first()
    if state == SentraState.BER_SK:
        raise RuleViolation(
            _("%(sentra)s sudah memiliki pengelola ber-SK. Untuk mengganti pengurus, anggota, aset atau bentuk "
              "kelembagaannya, ajukan perubahan atau perpanjangan SK dari Register SK."),
            params={"sentra": sentra.name}, field="sentra", code="sentra_ber_sk",
        )
    if state == SentraState.DALAM_PROSES:
        raise RuleViolation(
            _("%(sentra)s sedang dalam proses usulan pengelola; tunggu usulan itu selesai."),
            params={"sentra": sentra.name}, field="sentra", code="sentra_dalam_proses",
        )


def usulan_submit(*, activation, user, data: sentra_services.UsulanData) -> LegalisasiProcess:
    """The pengusul starts a proposal: its data is saved and it goes to the Disperindag's queue."""
    if data.sentra is not None:
        sentra_free_check(data.sentra)
    pengelola = sentra_services.usulan_save(data=data, region=user.region, user=user)
    process = activation.process
    process.pengelola = pengelola
    process.region = pengelola.sentra.region
    process.diusulkan_oleh = user
    process.tahap = Tahap.VERIFIKASI_DINAS
    activation.execute()
    _record(activation, user=user, hasil=Hasil.DIAJUKAN)
    return process


# --- The life of a pengelola after its first SK (issue 15) ------------------------------------------


def lifecycle_target_check(sk: SK, *, jenis: str) -> None:
    """Only a recorded SK in force can be amended, renewed or revoked, by one process at a time; an SK
    that revokes cannot itself be amended or renewed."""
    if not sk.nomor_register:
        raise RuleViolation(_("SK ini belum dicatat provinsi; perubahan, perpanjangan atau pencabutan diajukan atas SK "
                              "yang sudah tercatat."))
    if sk.status != StatusSK.BERLAKU:
        raise RuleViolation(
            _("SK Nomor %(nomor)s sudah tidak berlaku (%(status)s)."),
            params={"nomor": sk.nomor, "status": sk.get_status_display()},
        )
    if sk.jenis == JenisKeputusan.PENCABUTAN:
        raise RuleViolation(_("SK pencabutan tidak dapat diubah, diperpanjang atau dicabut."))
    if jenis not in (JenisKeputusan.PERUBAHAN, JenisKeputusan.PERPANJANGAN, JenisKeputusan.PENCABUTAN):
        raise RuleViolation(_("Jenis keputusan tidak dikenal."))
    # The SK row is locked: two officials starting on the same SK at once queue here, the second sees the first.
    SK.objects.select_for_update().filter(pk=sk.pk).exists()
    open_process = LegalisasiProcess.objects.filter(target_sk=sk, finished__isnull=True).exclude(
        tahap__in=(Tahap.TERCATAT, Tahap.DITOLAK)
    ).first()
    if open_process is not None:
        raise RuleViolation(
            _("Sudah ada usulan yang sedang berjalan atas SK Nomor %(nomor)s (usulan #%(pk)d: %(jenis)s)."),
            params={"nomor": sk.nomor, "pk": open_process.pk, "jenis": open_process.get_jenis_display()},
        )


def asset_review_needed(*, before, after, declared: bool) -> bool:
    """Does an amendment or renewal go through BPKAD's asset check? When the pengusul says the asset
    lines change, or when the legal form (or PPK-BLUD) changes: the form decides the legal basis of the
    use of the regional property (PP 27/2014 jo. PP 28/2020: pinjam pakai only between governments).
    A change of pengurus, anggota, name or address alone leaves the asset check of the SK in force."""
    return bool(declared) or before.bentuk_hukum != after.bentuk_hukum or before.ppk_blud != after.ppk_blud


@unit_of_work
def perubahan_submit(
    *, activation, user, target: SK, jenis: str, data: sentra_services.UsulanData, asset_change: bool = False,
    catatan: str = "",
) -> LegalisasiProcess:
    """The pengusul proposes to amend (``perubahan``) or renew (``perpanjangan``) the SK ``target``: a
    new pengelola row pre-filled from the SK's is saved with the proposal (the SK in force keeps its
    data), and the proposal runs the flow from the Disperindag's verification."""
    if jenis not in (JenisKeputusan.PERUBAHAN, JenisKeputusan.PERPANJANGAN):
        raise RuleViolation(_("Jenis keputusan tidak dikenal."))
    lifecycle_target_check(target, jenis=jenis)
    current = target.pengelola
    if data.sentra is not None and data.sentra.pk != current.sentra_id:
        raise RuleViolation(
            _("Sentra tidak dapat diganti melalui perubahan SK; pilih %(sentra)s."),
            params={"sentra": current.sentra.name}, field="sentra",
        )
    data.sentra = current.sentra
    pengelola = sentra_services.pengelola_copy(source=current)
    pengelola = sentra_services.usulan_save(data=data, region=user.region, user=user, pengelola=pengelola)
    process = activation.process
    process.pengelola = pengelola
    process.region = pengelola.sentra.region
    process.diusulkan_oleh = user
    process.tahap = Tahap.VERIFIKASI_DINAS
    process.jenis = jenis
    process.target_sk = target
    process.asset_review = asset_review_needed(before=current, after=pengelola, declared=asset_change)
    activation.execute()
    _record(activation, user=user, hasil=Hasil.DIAJUKAN, catatan=catatan)
    return process


@unit_of_work
def pencabutan_submit(
    *, activation, user, target: SK, reason: str, grounds: str, evidence: sentra_services.CheckedPdf | None
) -> LegalisasiProcess:
    """The kab/kota Disperindag proposes to revoke the SK ``target`` after its evaluation, with the
    reason, its account and the evidence; Bagian Hukum reviews it next (no asset check)."""
    lifecycle_target_check(target, jenis=JenisKeputusan.PENCABUTAN)
    if target.region_id != getattr(user.region, "code", None):
        raise RuleViolation(_("SK ini bukan milik wilayah Anda."))
    revocation_check(reason, grounds)
    if evidence is None:
        raise RuleViolation(_("Unggah bukti hasil evaluasi (PDF)."), field="bukti")
    process = activation.process
    process.pengelola = target.pengelola
    process.region = target.region
    process.diusulkan_oleh = user
    process.jenis = JenisKeputusan.PENCABUTAN
    process.target_sk = target
    process.asset_review = False
    process.revocation_reason = reason
    process.revocation_grounds = grounds.strip()
    sentra_services.dokumen_create(pengelola=target.pengelola, jenis=JenisDokumen.BUKTI_EVALUASI, pdf=evidence, user=user)
    activation.execute()
    _record(activation, user=user, hasil=Hasil.DIAJUKAN, catatan=grounds)
    return process


def revocation_check(reason: str, grounds: str) -> None:
    if reason not in AlasanPencabutan.values:
        raise RuleViolation(_("Pilih alasan pencabutan."), field="alasan")
    if len((grounds or "").strip()) < 20:
        raise RuleViolation(
            _("Uraikan hasil evaluasi yang menjadi dasar pencabutan (sedikitnya 20 karakter)."), field="uraian"
        )


@unit_of_work
def pencabutan_revise(
    *, activation, user, reason: str, grounds: str, evidence: sentra_services.CheckedPdf | None = None,
    catatan: str = "",
) -> None:
    """The Disperindag revises a revocation Bagian Hukum returned; a new round of legal review begins."""
    revocation_check(reason, grounds)
    process = activation.process
    process.revocation_reason = reason
    process.revocation_grounds = grounds.strip()
    process.putaran += 1
    process.save(update_fields=["revocation_reason", "revocation_grounds", "putaran"])
    if evidence is not None:
        sentra_services.dokumen_create(
            pengelola=process.pengelola, jenis=JenisDokumen.BUKTI_EVALUASI, pdf=evidence, user=user
        )
    _record(activation, user=user, hasil=Hasil.DIAJUKAN, catatan=catatan)
    activation.execute()


@unit_of_work
def perbaikan_submit(*, activation, user, data: sentra_services.UsulanData, catatan: str = "") -> None:
    """The pengusul resubmits a returned proposal; a new round of verification begins."""
    process = activation.process
    sentra_services.usulan_save(data=data, region=process.region, user=user, pengelola=process.pengelola)
    process.putaran += 1
    process.save(update_fields=["putaran"])
    _record(activation, user=user, hasil=Hasil.DIAJUKAN, catatan=catatan)
    activation.execute()


@unit_of_work
def step_decide(*, activation, user, hasil: str, catatan: str = "", kapasitas: str = "") -> Keputusan:
    """A step without data of its own decides: the Disperindag's and Bagian Hukum's verification, the
    paraf koordinasi, Bagian Hukum's revision of the draft, and the kepala daerah's signature (recorded
    by the kepala daerah's office on their behalf: ``kapasitas`` says so)."""
    step = activation.flow_task.name
    decision_check(step, hasil, catatan)
    keputusan = _record(activation, user=user, hasil=hasil, catatan=catatan, kapasitas=kapasitas)
    if hasil == Hasil.DITOLAK:
        _set_tahap(activation.process, Tahap.DITOLAK)
    activation.execute()
    return keputusan


@unit_of_work
def verifikasi_aset_decide(*, activation, user, hasil: str, catatan: str = "", kapasitas: str = "") -> Keputusan:
    """BPKAD decides on the sentra's DAK asset lines it recorded: approving is refused, naming the lines,
    while any line has no lawful basis of use for the pengelola's legal form (``sentra.asset_rules``)."""
    decision_check("verifikasi_aset", hasil, catatan)
    if hasil == STEP["verifikasi_aset"].data_required_for:
        asset_services.asset_check(activation.process.pengelola)
    keputusan = _record(activation, user=user, hasil=hasil, catatan=catatan, kapasitas=kapasitas)
    activation.execute()
    return keputusan


@unit_of_work
def penomoran_sk_decide(
    *,
    activation,
    user,
    hasil: str,
    catatan: str = "",
    kapasitas: str = "",
    sk_fields: dict | None = None,
    pdf: sentra_services.CheckedPdf | None = None,
    salinan: sentra_services.CheckedPdf | None = None,
    dasar: sentra_services.CheckedPdf | None = None,
) -> Keputusan:
    """Bagian Hukum numbers and authenticates the signed SK: from here it exists and is in force."""
    decision_check("penomoran_sk", hasil, catatan)
    if not sk_fields or pdf is None:
        raise RuleViolation(_("Isi nomor, tanggal dan penandatangan SK, lalu unggah pindaian SK yang ditandatangani."))
    process = activation.process
    if dasar is None and sk_fields.get("penandatangan_kapasitas") in ("plt", "plh"):
        dasar = signer_basis_scan(process)  # the Plt./Plh.'s surat perintah, on file with the grant
    sk = sentra_services.sk_create(
        pengelola=process.pengelola, fields=sk_fields, pdf=pdf, salinan=salinan, dasar=dasar, user=user,
        not_before=last_legal_review_date(process), jenis=process.jenis, target=process.target_sk,
    )
    keputusan = _record(activation, user=user, hasil=hasil, catatan=catatan, kapasitas=kapasitas)
    if process.target_sk_id:
        target = sk.mengubah or sk.mencabut
        revoked = sk.jenis == JenisKeputusan.PENCABUTAN
        audit.event_record(
            action=Action.SK_REVOKED if revoked else Action.SK_AMENDED, actor=user, process=process,
            task=activation.task, obj=target,
            details={"nomor_sk": target.nomor, "status": target.status, "jenis": sk.jenis,
                     ("dicabut_dengan" if revoked else "diubah_dengan"): sk.nomor,
                     "tanggal": sk.tanggal.isoformat()},
            capacity=kapasitas,
        )
    activation.execute()
    return keputusan


@unit_of_work
def pencatatan_provinsi_decide(*, activation, user, hasil: str, catatan: str = "", kapasitas: str = "") -> Keputusan:
    """The province records the SK in its register, with notes for the kab/kota to answer if it has
    any. Recording never undoes the Keputusan: a defect is corrected by a Keputusan perubahan."""
    decision_check("pencatatan_provinsi", hasil, catatan)
    sk = sk_awaiting_record(activation.process)
    if sk is None:
        raise RuleViolation(_("Tidak ada SK yang menunggu pencatatan pada usulan ini."))
    sentra_services.sk_record(sk=sk, user=user, catatan=catatan if hasil == Hasil.DICATAT_DENGAN_CATATAN else "")
    if hasil == Hasil.DICATAT:
        _set_tahap(activation.process, Tahap.TERCATAT)
    audit.event_record(
        action=Action.REGISTER_ENTRY, actor=user, process=activation.process, task=activation.task, obj=sk,
        details={"nomor_sk": sk.nomor, "nomor_register": sk.nomor_register, "sha256": sk.sha256,
                 "status_pencatatan": sk.status_pencatatan},
        capacity=kapasitas,
    )
    keputusan = _record(activation, user=user, hasil=hasil, catatan=catatan, kapasitas=kapasitas)
    activation.execute()
    return keputusan


@unit_of_work
def tanggapan_catatan_decide(*, activation, user, hasil: str, catatan: str = "", kapasitas: str = "") -> Keputusan:
    """The kab/kota answers the province's notes on the recorded SK."""
    decision_check("tanggapan_catatan", hasil, catatan)
    sk = sk_with_open_notes(activation.process)
    if sk is None:
        raise RuleViolation(_("Tidak ada catatan provinsi yang menunggu tanggapan pada usulan ini."))
    sentra_services.sk_recording_answer(sk=sk, tanggapan=catatan)
    _set_tahap(activation.process, Tahap.TERCATAT)
    keputusan = _record(activation, user=user, hasil=hasil, catatan=catatan, kapasitas=kapasitas)
    activation.execute()
    return keputusan


def sole_official(activation):
    """The one active official holding the step's role in the step's region, when there is exactly
    one: the new task is theirs at once (in their inbox, not a queue they must think to open). All the
    roles of the proposal's kab/kota and province are read together, once per unit of work; the
    messages about the task read them from the same memo."""
    step = STEP[activation.flow_task.name]
    region = activation.process.region
    memo = _unit.get() or Memo()
    memo.users_preload({(s.role, step_region_code(s, region)) for s in STEPS if not s.by_pengusul})
    candidates = memo.users_with_role(step.role, step_region_code(step, region))
    return candidates[0] if len(candidates) == 1 else None


def proposer(activation):
    """The perbaikan goes back to whoever proposed, or to the substitute they named while they are away."""
    return present_user(activation.process.diusulkan_oleh)


def task_created(*, activation) -> None:
    """A human step's task was created: the stage follows it, the deadline starts, people are told
    (when the unit of work ends, or now when the task was created outside one)."""
    process, task = activation.process, activation.task
    step = STEP[activation.flow_task.name]
    _set_tahap(process, step.tahap)
    if task.owner_id and not step.by_pengusul:  # given to the region's sole official (``sole_official``)
        audit.event_record(
            action=Action.TASK_CLAIM, actor_username=audit.SYSTEM_USERNAME, process=process, task=task,
            details={"langkah": step.name, "ditugaskan_kepada": task.owner.username, "otomatis": True},
        )
    memo = _unit.get()
    if memo is not None:
        memo.created.append((task, process))
    else:
        memo = Memo()
        memo.created.append((task, process))
        _created_flush(memo)


# Selectors the flow's gateways and the task pages read.


def last_outcome(process: LegalisasiProcess, step: str) -> str | None:
    """The latest decision on ``step``: the one this unit of work just recorded, else the database's."""
    memo = _unit.get()
    if memo is not None and (process.pk, step) in memo.decided:
        return memo.decided[(process.pk, step)]
    return (
        Keputusan.objects.filter(process=process, langkah=step).order_by("-pk").values_list("hasil", flat=True).first()
    )


def asset_branch_taken(process: LegalisasiProcess) -> bool:
    """Does this process go through BPKAD's asset check? A first proposal always does; an amendment or
    renewal when ``asset_review_needed`` said so at its start; a revocation never (the assets return to
    the region with the SK; their handover is BPKAD's own business, not a step of the Keputusan)."""
    return process.jenis == JenisKeputusan.PENETAPAN or (
        process.jenis != JenisKeputusan.PENCABUTAN and process.asset_review
    )


def returned_in_current_round(process: LegalisasiProcess) -> bool:
    """Did BPKAD or Bagian Hukum return the proposal in this round of verification?"""
    return Keputusan.objects.filter(
        process=process,
        putaran=process.putaran,
        langkah__in=("verifikasi_aset", "harmonisasi_hukum"),
        hasil=Hasil.DIKEMBALIKAN,
    ).exists()


def sk_awaiting_record(process: LegalisasiProcess):
    """The proposal's numbered SK that the province has not recorded yet."""
    return (
        process.pengelola.sk_set.filter(status_pencatatan=StatusPencatatan.BELUM_DICATAT)
        .exclude(status=StatusSK.DIGANTI).select_related("region__parent").order_by("-pk").first()
    )  # with its kab/kota and province: the register number and the entry's facts name them


def sk_with_open_notes(process: LegalisasiProcess):
    """The proposal's SK recorded with notes the kab/kota has not answered yet."""
    return process.pengelola.sk_set.filter(
        status_pencatatan=StatusPencatatan.TERCATAT_DENGAN_CATATAN, tanggapan_pencatatan=""
    ).order_by("-pk").first()


def last_legal_review_date(process: LegalisasiProcess):
    """The local date of the latest paraf koordinasi: the SK cannot be dated before the draft was paraf'd."""
    dibuat = (
        Keputusan.objects.filter(process=process, langkah="paraf_koordinasi", hasil=Hasil.DIPARAF)
        .order_by("-pk").values_list("dibuat", flat=True).first()
    )
    return timezone.localtime(dibuat).date() if dibuat is not None else None


def draft_return_notes(process: LegalisasiProcess):
    """Why the draft came back to Bagian Hukum: the latest return from the paraf or the signer."""
    return Keputusan.objects.filter(
        process=process, langkah__in=("paraf_koordinasi", "penetapan_sk"), hasil=Hasil.DIKEMBALIKAN
    ).select_related("oleh").order_by("-pk")[:1]


def revision_notes(process: LegalisasiProcess):
    """Why the proposal came back: the notes of the returns in the latest round."""
    return Keputusan.objects.filter(
        process=process, putaran=process.putaran, hasil=Hasil.DIKEMBALIKAN
    ).select_related("oleh")


@transaction.atomic
def task_claim(*, activation, user) -> None:
    """An official takes a task from the queue."""
    activation.assign(user)
    audit.event_record(action=Action.TASK_CLAIM, actor=user, process=activation.process, task=activation.task,
                       details={"langkah": activation.flow_task.name})


@transaction.atomic
def task_unclaim(*, activation, user) -> None:
    """An official puts a task back in the queue."""
    activation.unassign()
    audit.event_record(action=Action.TASK_UNCLAIM, actor=user, process=activation.process, task=activation.task,
                       details={"langkah": activation.flow_task.name})


@transaction.atomic
def process_cancel(*, process: LegalisasiProcess, user, note: str = "") -> None:
    """An administrator cancels a proposal (its open tasks are cancelled with it)."""
    process.flow_class.instance.cancel(process)
    audit.event_record(action=Action.PROCESS_CANCEL, actor=user, process=process, note=note)
