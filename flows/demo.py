"""Demo data: one official per role in every kab/kota and the province, and proposals at every step.

Only for demonstrations and first runs (the password below is a demo password, never a real one).
"""

import io
import random

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_create
from sentra import asset_services, dak
from sentra.asset_rules import DasarPemanfaatan
from sentra.choices import BentukHukum, KapasitasPenandatangan, StatusSK, required_documents
from sentra.models import SK, AsetDAK, DakAlokasi, JenisKIB, Pengelola, Region, Sentra
from sentra.services import UsulanData, pdf_check

from . import laporan, operations, services
from .models import Hasil, LaporanProcess

DEMO_PASSWORD = "sentra-demo-2026"

KAB_ROLES = (
    Role.PENGUSUL,
    Role.VERIFIKATOR_DINAS,
    Role.VERIFIKATOR_ASET,
    Role.BAGIAN_HUKUM,
    Role.SEKRETARIAT_DAERAH,
    Role.KEPALA_DAERAH,
    Role.PIMPINAN,
    Role.AUDITOR,  # the kab/kota's Inspektorat: sees its own Pemda only
)
PROVINCE_ROLES = (Role.PENCATAT_PROVINSI, Role.PIMPINAN, Role.AUDITOR)

_PRODUK = [
    ("Sentra Bawang Goreng", "bawang goreng", "10792"),
    ("Sentra Tenun Donggala", "kain tenun", "13134"),
    ("Sentra Kerajinan Kayu Hitam", "kerajinan kayu eboni", "16299"),
    ("Sentra Olahan Kelapa", "minyak kelapa dan VCO", "10422"),
    ("Sentra Abon Ikan", "abon dan olahan ikan", "10213"),
    ("Sentra Anyaman Pandan", "anyaman", "16292"),
    ("Sentra Kopi Robusta", "kopi bubuk", "10761"),
]


def username_for(role: Role, region: Region) -> str:
    return f"{role.value}.{slugify(region.name).replace('-', '')}"


def pdf_bytes(title: str) -> bytes:
    """A small, valid one-page PDF whose page says ``title``."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
         NameObject("/BaseFont"): NameObject("/Helvetica")}
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    safe = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 14 Tf 50 780 Td ({safe}) Tj ET".encode("latin-1", "replace"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def checked_pdf(title: str):
    return pdf_check(SimpleUploadedFile(f"{slugify(title)}.pdf", pdf_bytes(title), "application/pdf"), label=title)


def _nik(rng: random.Random, region: Region) -> str:
    prefix = region.code.replace(".", "")[:4].ljust(4, "0")
    return f"{prefix}{rng.randint(1, 20):02d}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"


# The legal forms the demo proposals take in turn (``usulan_data(bentuk=None)``): (form, PPK-BLUD).
DEMO_FORMS = (
    (BentukHukum.KOPERASI, False),
    (BentukHukum.BUMDES, False),
    (BentukHukum.UPTD, True),
    (BentukHukum.BUMDES_BERSAMA, False),
    (BentukHukum.UPTD, False),
    (BentukHukum.BUMD, False),
    (BentukHukum.PENGURUS, False),
)
_NAME_PREFIX = {
    BentukHukum.KOPERASI: "Koperasi",
    BentukHukum.BUMDES: "BUM Desa",
    BentukHukum.BUMDES_BERSAMA: "BUM Desa Bersama",
    BentukHukum.UPTD: "UPTD",
    BentukHukum.BUMD: "Perusda",
}


def usulan_data(
    region: Region,
    *,
    seed: int,
    bentuk: str | None = BentukHukum.KOPERASI,
    ppk_blud: bool = False,
    anggota: int = 6,
) -> UsulanData:
    """A plausible proposal for ``region``: a sentra, its pengelola, pengurus, members and papers.

    ``bentuk=None`` takes the legal form (and PPK-BLUD) from ``DEMO_FORMS`` in turn by ``seed``.
    """
    if bentuk is None:
        bentuk, ppk_blud = DEMO_FORMS[seed % len(DEMO_FORMS)]
    rng = random.Random(f"{region.code}:{seed}")  # a region's members are its own (an IKM is in one sentra)
    nama, produk, kbli = _PRODUK[seed % len(_PRODUK)]
    sentra_name = f"{nama} {region.name} {seed}"
    return UsulanData(
        sentra=None,
        sentra_fields={
            "name": sentra_name,
            "komoditas": produk,
            "alamat": f"Jl. Poros {region.name} No. {seed}",
            "desa": "Desa Contoh",
            "kecamatan": "Kecamatan Contoh",
            "tahun_dak": 2019 + seed % 5,
        },
        pengelola_fields={
            "name": f"{_NAME_PREFIX.get(bentuk, 'Pengelola')} {nama} {region.name} {seed}",
            "bentuk_hukum": bentuk,
            "ppk_blud": ppk_blud,
            "alamat": f"Kantor Sentra, Jl. Poros {region.name} No. {seed}",
            "masa_bakti_tahun": 3,
        },
        pengurus=[
            {"nama": f"{n} {region.name}", "jabatan": j, "nik": _nik(rng, region), "telepon": f"08{rng.randint(11, 99)}{rng.randint(10000000, 99999999)}"}
            for n, j in (("Ahmad", "Ketua"), ("Siti", "Sekretaris"), ("Rahmat", "Bendahara"))
        ],
        anggota=[
            {
                "nama_usaha": f"UD {produk.title()} {i + 1}",
                "pemilik": f"Pemilik {i + 1}",
                "nik_pemilik": _nik(rng, region),
                "nib": f"{rng.randint(10**12, 10**13 - 1)}",
                "kbli": kbli,
                "produk": produk,
                "tenaga_kerja": rng.randint(1, 12),
                "telepon": "",
            }
            for i in range(anggota)
        ],
        documents={
            jenis: checked_pdf(f"{jenis} {sentra_name}") for jenis in required_documents(bentuk, ppk_blud=ppk_blud)
        },
    )


# The basis the law allows each legal form (sentra.asset_rules): a UPTD uses its OPD's assets, a BUMD
# rents them, a BUM Desa, a koperasi and a BUM Desa Bersama rent the machines and run the building in a KSP,
# a board rents. Never pinjam pakai: that is between governments only.
_DEMO_BASIS = {
    BentukHukum.UPTD: (DasarPemanfaatan.PENGGUNAAN, DasarPemanfaatan.PENGGUNAAN),
    BentukHukum.BUMD: (DasarPemanfaatan.SEWA, DasarPemanfaatan.SEWA),
    BentukHukum.BUMDES: (DasarPemanfaatan.KSP, DasarPemanfaatan.SEWA),
    BentukHukum.BUMDES_BERSAMA: (DasarPemanfaatan.KSP, DasarPemanfaatan.SEWA),
    BentukHukum.KOPERASI: (DasarPemanfaatan.KSP, DasarPemanfaatan.SEWA),
    BentukHukum.PENGURUS: (DasarPemanfaatan.SEWA, DasarPemanfaatan.SEWA),
}
_TERM = {DasarPemanfaatan.SEWA: 5, DasarPemanfaatan.KSP: 10}


def demo_asset_lines(pengelola: Pengelola, user, *, seed: int) -> list[AsetDAK]:
    """BPKAD's two lines for the pengelola's sentra (a building, a machine), each on a lawful basis."""
    building, machine = _DEMO_BASIS[pengelola.bentuk_hukum]
    signed = timezone.localdate().replace(day=1)
    lines = []
    for i, (kib, kode, nama, nilai, basis) in enumerate((
        (JenisKIB.C, "1.3.3.01.01.10.001", "Gedung produksi sentra", "1250000000", building),
        (JenisKIB.B, "1.3.2.05.01.04.001", "Mesin produksi sentra", "185000000", machine),
    ), 1):
        agreement = basis in _TERM
        lines.append(asset_services.aset_save(sentra=pengelola.sentra, user=user, fields={
            "jenis_kib": kib, "kode_barang": kode, "nup": seed * 10 + i, "nama": nama,
            "tahun_perolehan": pengelola.sentra.tahun_dak or 2022, "nilai_perolehan": nilai,
            "nomor_bast": f"027/{seed}/BAST-DAK", "tanggal_bast": signed.replace(year=signed.year - 2),
            "opd_pemilik": "Dinas Perindustrian dan Perdagangan", "kondisi": "baik", "dasar_pemanfaatan": basis,
            "nomor_perjanjian": f"030/{seed}{i}/PERJ/BPKAD" if agreement else "",
            "tanggal_perjanjian": signed if agreement else None,
            "jangka_waktu_tahun": _TERM.get(basis), "perpanjangan_ke": 0,
        }))
    return lines


def change_data(pengelola, **pengelola_changes) -> UsulanData:
    """An amendment or renewal of ``pengelola``'s SK as its start form is pre-filled (its data as it
    stands), with ``pengelola_changes`` applied and the ketua replaced (a change of one pengurus)."""
    people = {
        "pengurus": list(pengelola.pengurus_set.order_by("pk").values("nama", "jabatan", "nik", "telepon")),
        "anggota": list(pengelola.anggota_set.order_by("pk").values(
            "nama_usaha", "pemilik", "nik_pemilik", "nib", "kbli", "produk", "tenaga_kerja", "telepon")),
    }
    if people["pengurus"]:
        people["pengurus"][0] = {**people["pengurus"][0], "nama": f"Ketua Baru {pengelola.pk}"}
    return UsulanData(
        sentra=pengelola.sentra,
        sentra_fields={},
        pengelola_fields={
            **{f: getattr(pengelola, f) for f in ("name", "bentuk_hukum", "ppk_blud", "alamat", "masa_bakti_tahun")},
            **pengelola_changes,
        },
        pengurus=people["pengurus"],
        anggota=people["anggota"],
        documents={},
    )


def ensure_users() -> dict[tuple[str, str], User]:
    """One user per role per kab/kota, plus the province's officials and an auditor."""
    users = {}
    # Hash the shared demo password once: 80 PBKDF2 rounds would take most of a minute.
    password_hash = make_password(DEMO_PASSWORD)
    province = Region.objects.get(kind="provinsi")
    plan = [(r, region) for region in Region.objects.filter(parent=province) for r in KAB_ROLES]
    plan += [(r, province) for r in PROVINCE_ROLES]
    for role, region in plan:
        username = username_for(role, region)
        user = User.objects.filter(username=username).first() or user_create(
            username=username,
            password_hash=password_hash,
            roles=[role],
            region=region,
            first_name=str(role.label).split(" (")[0],
            last_name=region.name,
            email=f"{username}@demo.sksentra.local",
            phone=f"0812{abs(hash(username)) % 10**8:08d}",
        )
        users[(role.value, region.code)] = user
    return users


# Signers are people: a name, never an office ("Bupati Palu" would print the office as a name).
DEMO_SIGNERS = ("Vera Elena Laruni", "Andi Rachmat Sulaiman", "Moh. Irwan Lapatta", "Hidayat Lamakarate")


def _act(process, step, user, fn):
    task = operations.open_task(process, step)
    return operations.task_act(task=task, user=user, action=fn)


def _decide(hasil, catatan=""):
    return lambda act: services.step_decide(activation=act, user=act.task.owner, hasil=hasil, catatan=catatan)


# Where a demo proposal leaves the straight path (``advance``'s ``until``): the step that decides otherwise,
# its role, the decision and its note.
_DETOURS = {
    "perbaikan": ("verifikasi_dinas", "verifikator_dinas", Hasil.DIKEMBALIKAN,
                  "Berita acara belum ditandatangani semua anggota; lengkapi."),
    "ditolak": ("verifikasi_dinas", "verifikator_dinas", Hasil.DITOLAK,
                "Lokasi bukan sentra hasil DAK; usulkan melalui program lain."),
    "revisi_rancangan": ("paraf_koordinasi", "sekretariat_daerah", Hasil.DIKEMBALIKAN,
                         "Diktum KEDUA: sebutkan jangka waktu pinjam pakai aset."),
}


def _detour(process, users, region: Region, until: str, step: str) -> bool:
    """Take the detour ``until`` if it leaves the straight path at ``step``; whether it did."""
    detour = _DETOURS.get(until)
    if detour is None or detour[0] != step:
        return False
    _, role, hasil, catatan = detour
    _act(process, step, users[(role, region.code)], _decide(hasil, catatan))
    return True


def advance(process, users, region: Region, until: str, seed: int) -> None:
    """Carry ``process`` forward to stand at ``until`` (a step name, 'tercatat' or 'ditolak')."""
    u = lambda role: users[(role, region.code)]  # noqa: E731
    pencatat = users[(Role.PENCATAT_PROVINSI.value, region.parent_id)]
    if until == "verifikasi_dinas" or _detour(process, users, region, until, "verifikasi_dinas"):
        return
    _act(process, "verifikasi_dinas", u("verifikator_dinas"), _decide(Hasil.DISETUJUI))
    if until == "verifikasi_aset":
        return
    demo_asset_lines(process.pengelola, u("verifikator_aset"), seed=seed)
    _act(process, "verifikasi_aset", u("verifikator_aset"), _decide(Hasil.DISETUJUI))
    _act(process, "harmonisasi_hukum", u("bagian_hukum"), _decide(Hasil.DISETUJUI))
    if until == "paraf_koordinasi" or _detour(process, users, region, until, "paraf_koordinasi"):
        return
    _act(process, "paraf_koordinasi", u("sekretariat_daerah"), _decide(Hasil.DIPARAF))
    if until == "penetapan_sk":
        return
    _act(process, "penetapan_sk", u("kepala_daerah"), _decide(Hasil.DITANDATANGANI))
    if until == "penomoran_sk":
        return
    year = timezone.localdate().year
    _act(process, "penomoran_sk", u("bagian_hukum"), lambda act: services.penomoran_sk_decide(
        activation=act, user=act.task.owner, hasil=Hasil.DINOMORI,
        sk_fields={"nomor": f"100.3.3.2/{100 + seed}/DISPERINDAG/{year}",
                   "tanggal": timezone.localdate(),
                   "penandatangan_nama": DEMO_SIGNERS[seed % len(DEMO_SIGNERS)],
                   "penandatangan_kapasitas": KapasitasPenandatangan.DEFINITIF, "srikandi_ref": ""},
        pdf=checked_pdf(f"SK {process.pengelola.name}"),
        salinan=checked_pdf(f"Salinan sesuai dengan aslinya SK {process.pengelola.name}")))
    if until == "pencatatan_provinsi":
        return
    if until == "tanggapan_catatan":
        _act(process, "pencatatan_provinsi", pencatat, lambda act: services.pencatatan_provinsi_decide(
            activation=act, user=act.task.owner, hasil=Hasil.DICATAT_DENGAN_CATATAN,
            catatan="Lampiran anggota memuat IKM di luar sentra; jelaskan atau ubah dengan Keputusan perubahan."))
        return
    _act(process, "pencatatan_provinsi", pencatat, lambda act: services.pencatatan_provinsi_decide(
        activation=act, user=act.task.owner, hasil=Hasil.DICATAT))


DEMO_STEPS = ("verifikasi_dinas", "perbaikan", "verifikasi_aset", "paraf_koordinasi", "revisi_rancangan",
              "penetapan_sk", "penomoran_sk", "pencatatan_provinsi", "tanggapan_catatan", "tercatat", "ditolak")


@transaction.atomic
def demo_load(*, per_region_steps=DEMO_STEPS, regions: int | None = None, stdout=None) -> int:
    """Create the demo users and, in each kab/kota, one proposal standing at each step of ``per_region_steps``."""
    users = ensure_users()
    kabupaten = list(Region.objects.filter(kind__in=["kabupaten", "kota"]).order_by("code"))[:regions]
    created = 0
    for r_index, region in enumerate(kabupaten):
        pengusul = users[(Role.PENGUSUL.value, region.code)]
        for s_index, step in enumerate(per_region_steps):
            seed = r_index * 10 + s_index + 1
            if pengusul.region.sentra_set.filter(name__endswith=f" {seed}").exists():
                continue
            process = operations.process_start(user=pengusul, data=usulan_data(region, seed=seed, bentuk=None))
            advance(process, users, region, step, seed)
            created += 1
        _demo_dak_register(region, users)
        _demo_pengelola_officer(region)
        if stdout:
            stdout.write(f"  {region}: {len(per_region_steps)} usulan")
    # The periodic reports of the latest ended period, for every sentra with a pengelola ber-SK.
    laporan.periods_open()
    return created


def _demo_pengelola_officer(region: Region) -> None:
    """``pengelola.<kab/kota>``: the officer of the kab/kota's first sentra with an SK in force (role
    ``pengelola``, scoped to that sentra), who files its periodic reports at *Laporan*."""
    sk = SK.objects.filter(region=region, status=StatusSK.BERLAKU).select_related("pengelola__sentra").order_by("pk").first()
    username = username_for(Role.PENGELOLA, region)
    if sk is None or User.objects.filter(username=username).exists():
        return
    officer = user_create(
        username=username, password=DEMO_PASSWORD, roles=[Role.PENGELOLA], region=region,
        first_name="Ketua", last_name=sk.pengelola.name[:100], email=f"{username}@demo.sksentra.local",
    )
    officer.sentra = sk.pengelola.sentra
    officer.save(update_fields=["sentra"])
    # Demo only: its SK is dated today, so no ended period owes a report yet; open the latest ended
    # period's report anyway, so that the report flow can be tried at once.
    period = laporan.period_last_ended(timezone.localdate())
    if not LaporanProcess.objects.filter(sentra=sk.pengelola.sentra, periode_mulai=period.start).exists():
        laporan.laporan_open(sentra_id=sk.pengelola.sentra_id, pengelola_id=sk.pengelola_id, region=region,
                             period=period, due=laporan.due_on(region, period))


def _demo_dak_register(region: Region, users) -> None:
    """The DAK register of a demo kab/kota: the province confirms the sentra its proposals registered
    and lists one DAK sentra nobody has proposed a pengelola for yet."""
    desk = users[(Role.PENCATAT_PROVINSI.value, region.parent_id)]
    for sentra in Sentra.objects.filter(region=region, confirmed=False):
        dak.sentra_confirm(sentra=sentra, user=desk)
    name = f"Sentra DAK {region.name}"
    if not Sentra.objects.filter(region=region, name=name).exists():
        dak.sentra_register_save(
            sentra=Sentra(region=region, name=name, komoditas="Olahan kelapa", alamat=f"Desa contoh, {region.name}"),
            allocations=[DakAlokasi(tahun=2020, nilai=1_200_000_000, output_bangunan="Gedung produksi",
                                    output_mesin="Mesin pengolah 2 unit")],
            deleted=[], user=desk,
        )
