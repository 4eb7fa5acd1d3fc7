"""The step table: every rule of a human step of the legalisation, in one place.

Everything else reads it: the flow's titles and permissions (``flows.flows``), the role groups'
permissions (``flows.roles``), the deadlines (``flows.deadlines``), who is told and reminded
(``flows.reminders``), the stage a proposal is in (``flows.services``), the audit labels, the task
pages (``flows.views``) and the order of the inbox filter (``flows.task_lists``).
"""

from dataclasses import dataclass
from enum import Enum

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

from .models import Hasil, Tahap


class RegionLevel(str, Enum):
    """Whose region a step's task belongs to: the proposal's kab/kota, or its province."""

    KABUPATEN = "kabupaten"
    PROVINSI = "provinsi"


PROCESS_MODEL = "legalisasiprocess"
VIEW_CODENAME = f"view_{PROCESS_MODEL}"
VIEW_PERMISSION = f"flows.{VIEW_CODENAME}"
# The pengelola's periodic reports (``flows.laporan``): their own process model and view permission.
LAPORAN_PROCESS_MODEL = "laporanprocess"
LAPORAN_VIEW_CODENAME = f"view_{LAPORAN_PROCESS_MODEL}"


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    role: Role
    outcomes: tuple[str, ...] = ()
    tahap: Tahap | None = None
    has_deadline: bool = True
    region_level: RegionLevel = RegionLevel.KABUPATEN
    # The outcome that also needs the step's own data (asset check, signed SK); other outcomes need only a note.
    data_required_for: str | None = None
    # The step's page offers the draft SK (DOCX/PDF).
    shows_sk_draft: bool = False
    # The office the title names (a ``produk_hukum.KantorWilayah`` field) and the title naming it as the
    # region does (a merged dinas, a Bapperida …): ``step_title``. ``title`` is the generic name.
    office: str = ""
    office_title: str = ""
    # A revision with a form of its own (not a decision): filled in on the web page only, never by the API.
    web_only: bool = False
    # The process model of the step's flow (the legalisation's, or the periodic report's).
    process_model: str = PROCESS_MODEL

    @property
    def codename(self) -> str:
        """The permission viewflow's ``Permission(auto_create=True)`` makes for this node."""
        return f"can_{self.name}_{self.process_model}"

    @property
    def by_pengusul(self) -> bool:
        """The pengusul's own steps (proposal, revision): no deadline, they return to the proposal's page."""
        return self.role == Role.PENGUSUL


STEPS: tuple[Step, ...] = (
    Step("usulan", _("Usulan pengelola sentra"), Role.PENGUSUL, (Hasil.DIAJUKAN,), Tahap.VERIFIKASI_DINAS,
         has_deadline=False),
    Step("verifikasi_dinas", _("Verifikasi Disperindag"), Role.VERIFIKATOR_DINAS,
         (Hasil.DISETUJUI, Hasil.DIKEMBALIKAN, Hasil.DITOLAK), Tahap.VERIFIKASI_DINAS,
         office="dinas_perindustrian", office_title=_("Verifikasi %(kantor)s")),
    Step("perbaikan", _("Perbaikan usulan"), Role.PENGUSUL, (Hasil.DIAJUKAN,), Tahap.PERBAIKAN, has_deadline=False),
    # The life of a pengelola after its first SK (issue 15): an amendment or a renewal of a recorded SK in
    # force, started by the pengusul pre-filled from it, then the same steps as a first proposal; a
    # revocation, started by the Disperindag after its evaluation, goes straight to Bagian Hukum.
    Step("perubahan", _("Usulan perubahan SK"), Role.PENGUSUL, (Hasil.DIAJUKAN,), Tahap.VERIFIKASI_DINAS,
         has_deadline=False),
    Step("perpanjangan", _("Usulan perpanjangan masa bakti"), Role.PENGUSUL, (Hasil.DIAJUKAN,),
         Tahap.VERIFIKASI_DINAS, has_deadline=False),
    Step("pencabutan", _("Usulan pencabutan SK"), Role.VERIFIKATOR_DINAS, (Hasil.DIAJUKAN,),
         Tahap.VERIFIKASI_ASET_HUKUM, has_deadline=False),
    Step("perbaikan_pencabutan", _("Perbaikan usulan pencabutan"), Role.VERIFIKATOR_DINAS, (Hasil.DIAJUKAN,),
         Tahap.PERBAIKAN_PENCABUTAN, web_only=True),
    Step("verifikasi_aset", _("Verifikasi aset BPKAD"), Role.VERIFIKATOR_ASET,
         (Hasil.DISETUJUI, Hasil.DIKEMBALIKAN), Tahap.VERIFIKASI_ASET_HUKUM, data_required_for=Hasil.DISETUJUI,
         office="bpkad", office_title=_("Verifikasi aset %(kantor)s")),
    Step("harmonisasi_hukum", _("Harmonisasi hukum rancangan SK"), Role.BAGIAN_HUKUM,
         (Hasil.DISETUJUI, Hasil.DIKEMBALIKAN), Tahap.VERIFIKASI_ASET_HUKUM, shows_sk_draft=True),
    # After the join: the draft as it stands once the asset data is final (Permendagri 80/2015 jo. 120/2018).
    Step("paraf_koordinasi", _("Paraf koordinasi rancangan SK"), Role.SEKRETARIAT_DAERAH,
         (Hasil.DIPARAF, Hasil.DIKEMBALIKAN), Tahap.PARAF_KOORDINASI, shows_sk_draft=True),
    Step("revisi_rancangan", _("Revisi rancangan SK"), Role.BAGIAN_HUKUM, (Hasil.DIAJUKAN,), Tahap.REVISI_RANCANGAN,
         shows_sk_draft=True),
    Step("penetapan_sk", _("Penandatanganan SK oleh kepala daerah"), Role.KEPALA_DAERAH,
         (Hasil.DITANDATANGANI, Hasil.DIKEMBALIKAN, Hasil.DITOLAK), Tahap.PENETAPAN_SK, shows_sk_draft=True),
    Step("penomoran_sk", _("Penomoran dan autentikasi SK"), Role.BAGIAN_HUKUM, (Hasil.DINOMORI,), Tahap.PENOMORAN_SK,
         data_required_for=Hasil.DINOMORI),
    Step("pencatatan_provinsi", _("Pencatatan SK di provinsi"), Role.PENCATAT_PROVINSI,
         (Hasil.DICATAT, Hasil.DICATAT_DENGAN_CATATAN), Tahap.PENCATATAN_PROVINSI, region_level=RegionLevel.PROVINSI),
    Step("tanggapan_catatan", _("Tanggapan atas catatan provinsi"), Role.BAGIAN_HUKUM, (Hasil.DIJAWAB,),
         Tahap.TANGGAPAN_CATATAN),
    # The pengelola's periodic report (``flows.laporan``): its deadline is the period's due date
    # (``SKSENTRA_REPORT_DUE_WORKING_DAYS`` after the period ends), not a step's working days.
    Step("laporan", _("Laporan berkala pengelola"), Role.PENGELOLA, (Hasil.DIAJUKAN,), has_deadline=False,
         process_model=LAPORAN_PROCESS_MODEL),
    Step("reviu_laporan", _("Reviu laporan berkala oleh Disperindag"), Role.VERIFIKATOR_DINAS,
         (Hasil.DITERIMA, Hasil.DIKEMBALIKAN), process_model=LAPORAN_PROCESS_MODEL,
         office="dinas_perindustrian", office_title=_("Reviu laporan berkala oleh %(kantor)s")),
    Step("perbaikan_laporan", _("Perbaikan laporan berkala"), Role.PENGELOLA, (Hasil.DIAJUKAN,), has_deadline=False,
         process_model=LAPORAN_PROCESS_MODEL),
)

STEP: dict[str, Step] = {step.name: step for step in STEPS}

# The start of a process (its first decision is the proposal itself, not a resubmission).
START_STEPS = frozenset({"usulan", "perubahan", "perpanjangan", "pencabutan"})

# Returning or rejecting always says why; so do the province's notes and the kab/kota's answer to them.
NOTE_REQUIRED = frozenset({Hasil.DIKEMBALIKAN, Hasil.DITOLAK, Hasil.DICATAT_DENGAN_CATATAN, Hasil.DIJAWAB})


def role_permissions() -> dict[Role, tuple[str, ...]]:
    """The flow permissions (codenames) each role's group holds: viewing, and acting on its steps."""
    # Every role views proposals and reports (each in its own scope: a pengelola, its own sentra's).
    permissions = {role: [VIEW_CODENAME, LAPORAN_VIEW_CODENAME] for role in Role}
    for step in STEPS:
        permissions[step.role].append(step.codename)
    return {role: tuple(codenames) for role, codenames in permissions.items()}


def step_title(step: Step, offices=None) -> str:
    """The step's title for a proposal whose region's offices are ``offices`` (a
    ``produk_hukum.KantorWilayah``): "Verifikasi DKUKMPP" where the region merged its dinas."""
    if step.office and offices is not None:
        return str(step.office_title) % {"kantor": getattr(offices, step.office).singkatan}
    return str(step.title)


def step_region_code(step: Step, region) -> str:
    """The region a task of ``step`` belongs to, for a proposal of kab/kota ``region``."""
    return region.parent_id if step.region_level == RegionLevel.PROVINSI else region.code
