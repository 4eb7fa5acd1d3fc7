"""The legalisation of a Kelembagaan Pengelola Sentra IKM, as a BPMN process on viewflow.

Reads top to bottom in process order. BPKAD and Bagian Hukum verify in parallel; both branches
always reach the join, and a return from either sends the proposal back to the pengusul once, with
both notes. That keeps the tokens of the parallel branches from dangling and gives the pengusul
everything to fix in one go. After the join the draft, now with the final asset data, goes through
paraf koordinasi, the kepala daerah's signature, numbering and authentication by Bagian Hukum, and
recording at the province (Permendagri 80/2015 jo. 120/2018); a return from the paraf or the signer
goes to Bagian Hukum's revision of the draft and back to the paraf.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from accounts.scope import can_see
from sentra.choices import JenisKeputusan

from . import nodes, services, views
from .models import Hasil, LegalisasiProcess, LegalisasiTask
from .steps import STEP

# What a task row in the inbox/queue says about its proposal.
TASK_SUMMARY = "{{ process.pengelola.name }} — {{ process.region.name }}"


def outcome_is(step: str, hasil: str):
    return lambda activation: services.last_outcome(activation.process, step) == hasil


def returned(activation) -> bool:
    """Did BPKAD or Bagian Hukum return the proposal this round? Read once per pass of the gateway that
    asks it in two of its cases."""
    if not hasattr(activation, "_returned"):
        activation._returned = services.returned_in_current_round(activation.process)
    return activation._returned


class LegalisasiFlow(flow.Flow):
    """Legalisasi Pengelola Sentra IKM

    Usulan penetapan Kelembagaan Pengelola Sentra IKM: verifikasi di kabupaten/kota, penetapan SK oleh
    kepala daerah dan pencatatan di provinsi.
    """

    process_class = LegalisasiProcess
    task_class = LegalisasiTask
    lock_impl = nodes.ProcessRowLock()

    process_summary_template = "{{ process.pengelola }} — {{ process.region.name }} ({{ process.get_tahap_display }})"

    # pengusul (Disperindag kab/kota operator or the sentra's pengurus)
    usulan = (
        nodes.Start(views.UsulanView.as_view())
        .Annotation(title=STEP["usulan"].title)
        .Permission(auto_create=True)
        .Next(this.verifikasi_dinas)
    )

    # pengusul: a proposal to amend or renew a recorded SK in force, pre-filled from it (issue 15)
    perubahan = (
        nodes.SKStart(views.PerubahanView.as_view())
        .Annotation(title=STEP["perubahan"].title)
        .Permission(auto_create=True)
        .Next(this.verifikasi_dinas)
    )

    perpanjangan = (
        nodes.SKStart(views.PerpanjanganView.as_view())
        .Annotation(title=STEP["perpanjangan"].title)
        .Permission(auto_create=True)
        .Next(this.verifikasi_dinas)
    )

    # verifikator_dinas: a proposal to revoke a recorded SK after the Disperindag's evaluation; Bagian
    # Hukum reviews it next (the split takes no asset branch for a revocation)
    pencabutan = (
        nodes.SKStart(views.PencabutanView.as_view())
        .Annotation(title=STEP["pencabutan"].title)
        .Permission(auto_create=True)
        .Next(this.split_verifikasi)
    )

    # verifikator_dinas: technical verification
    verifikasi_dinas = (
        nodes.View(views.VerifikasiDinasView.as_view())
        .Annotation(title=STEP["verifikasi_dinas"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.check_verifikasi_dinas)
    )

    check_verifikasi_dinas = (
        nodes.Switch()
        .Annotation(title=_("Hasil verifikasi Disperindag?"))
        .Case(this.split_verifikasi, outcome_is("verifikasi_dinas", Hasil.DISETUJUI))
        .Case(this.perbaikan, outcome_is("verifikasi_dinas", Hasil.DIKEMBALIKAN))
        .Default(this.ditolak)
    )

    # pengusul: revises what was returned, back to the Disperindag
    perbaikan = (
        nodes.View(views.PerbaikanView.as_view())
        .Annotation(title=STEP["perbaikan"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.proposer)
        .onCreate(this.enter_step)
        .Next(this.verifikasi_dinas)
    )

    # The asset branch is taken by a first proposal, and by an amendment or renewal that touches the
    # assets or the legal form (``services.asset_branch_taken``); the join waits for the branches taken.
    split_verifikasi = (
        nodes.Split()
        .Annotation(title=_("Verifikasi aset dan hukum"))
        .Next(this.verifikasi_aset, case=this.asset_branch_taken)
        .Always(this.harmonisasi_hukum)
    )

    # verifikator_aset (BPKAD): the DAK assets
    verifikasi_aset = (
        nodes.View(views.VerifikasiAsetView.as_view())
        .Annotation(title=STEP["verifikasi_aset"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.join_verifikasi)
    )

    # bagian_hukum: harmonisation of the draft SK
    harmonisasi_hukum = (
        nodes.View(views.HarmonisasiHukumView.as_view())
        .Annotation(title=STEP["harmonisasi_hukum"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.join_verifikasi)
    )

    join_verifikasi = nodes.Join().Annotation(title=_("Aset dan hukum selesai")).Next(this.check_verifikasi_paralel)

    check_verifikasi_paralel = (
        nodes.Switch()
        .Annotation(title=_("Ada yang dikembalikan?"))
        .Case(this.perbaikan_pencabutan,
              lambda activation: returned(activation) and activation.process.jenis == JenisKeputusan.PENCABUTAN)
        .Case(this.perbaikan, returned)
        .Default(this.paraf_koordinasi)
    )

    # verifikator_dinas: revises a revocation Bagian Hukum returned, back to Bagian Hukum
    perbaikan_pencabutan = (
        nodes.View(views.PerbaikanPencabutanView.as_view())
        .Annotation(title=STEP["perbaikan_pencabutan"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(lambda activation: activation.process.diusulkan_oleh)
        .onCreate(this.enter_step)
        .Next(this.split_verifikasi)
    )

    # sekretariat_daerah: paraf koordinasi (Kabag Hukum, Asisten, Sekretaris Daerah) on the draft as it
    # stands after the join, when the asset data is final: the draft the signer gets is the one paraf'd
    paraf_koordinasi = (
        nodes.View(views.ParafKoordinasiView.as_view())
        .Annotation(title=STEP["paraf_koordinasi"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.check_paraf)
    )

    check_paraf = (
        nodes.If(outcome_is("paraf_koordinasi", Hasil.DIPARAF))
        .Annotation(title=_("Diparaf?"))
        .Then(this.penetapan_sk)
        .Else(this.revisi_rancangan)
    )

    # bagian_hukum: revises the draft returned from the paraf or from the signer, back to the paraf
    revisi_rancangan = (
        nodes.View(views.RevisiRancanganView.as_view())
        .Annotation(title=STEP["revisi_rancangan"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.paraf_koordinasi)
    )

    # kepala_daerah (or their office on their behalf): signs, returns the draft, or declines; no number yet
    penetapan_sk = (
        nodes.View(views.PenetapanSKView.as_view())
        .Annotation(title=STEP["penetapan_sk"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.check_penetapan_sk)
    )

    check_penetapan_sk = (
        nodes.Switch()
        .Annotation(title=_("Ditandatangani?"))
        .Case(this.penomoran_sk, outcome_is("penetapan_sk", Hasil.DITANDATANGANI))
        .Case(this.revisi_rancangan, outcome_is("penetapan_sk", Hasil.DIKEMBALIKAN))
        .Default(this.ditolak)
    )

    # bagian_hukum: the number from the register of Keputusan, the signing date, the signed scan and the
    # authenticated copy, the SRIKANDI reference; the SK now exists and is in force from its date
    penomoran_sk = (
        nodes.View(views.PenomoranSKView.as_view())
        .Annotation(title=STEP["penomoran_sk"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.pencatatan_provinsi)
    )

    # pencatat_provinsi: records the SK in the provincial register, with or without notes; recording
    # never undoes the Keputusan (a defect is corrected by a Keputusan perubahan)
    pencatatan_provinsi = (
        nodes.View(views.PencatatanProvinsiView.as_view())
        .Annotation(title=STEP["pencatatan_provinsi"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.check_pencatatan)
    )

    check_pencatatan = (
        nodes.If(outcome_is("pencatatan_provinsi", Hasil.DICATAT))
        .Annotation(title=_("Tercatat tanpa catatan?"))
        .Then(this.tercatat)
        .Else(this.tanggapan_catatan)
    )

    # bagian_hukum of the kab/kota answers the province's notes
    tanggapan_catatan = (
        nodes.View(views.TanggapanCatatanView.as_view())
        .Annotation(title=STEP["tanggapan_catatan"].title, summary_template=TASK_SUMMARY)
        .Permission(auto_create=True)
        .Assign(this.sole_official)
        .onCreate(this.enter_step)
        .Next(this.tercatat)
    )

    tercatat = nodes.End().Annotation(title=_("Tercatat di register provinsi"))
    ditolak = nodes.End().Annotation(title=_("Ditolak"))

    def enter_step(self, activation):
        services.task_created(activation=activation)

    def asset_branch_taken(self, activation):
        return services.asset_branch_taken(activation.process)

    def sole_official(self, activation):
        return services.sole_official(activation)

    def proposer(self, activation):
        return services.proposer(activation)

    def has_view_permission(self, user, obj=None):
        """Viewing a proposal also requires its kab/kota to be in the user's region scope."""
        if not super().has_view_permission(user):
            return False
        return obj is None or can_see(user, obj.region_id, lambda: obj.pengelola.sentra_id)

    def has_manage_permission(self, user, obj=None):
        # Cancelling or undoing process steps is an administrator's act, never a regional official's.
        return user.is_superuser
