"""Business rules that write the register's data: proposals' contents, documents, SKs and the register."""

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from accounts.phone import normalize_phone
from audit import services as audit
from core.errors import RuleViolation
from core.pdf import active_content

from .choices import (
    CAPACITIES_NEEDING_BASIS,
    JenisDokumen,
    JenisKeputusan,
    KapasitasPenandatangan,
    StatusPencatatan,
    StatusSK,
    required_documents,
)
from .selectors import register_snapshot
from .census import lampiran_snapshot
from .models import SK, AnggotaIKM, Dokumen, Pengelola, Pengurus, Region, RegisterCounter, Sentra

MIN_ANGGOTA_IKM = 5  # PP 29/2018: a sentra is at least five IKM units
# A term beyond this is a typing error (and a date past the year 9999); a longer life is a renewal.
MAX_MASA_BAKTI_TAHUN = 10


@dataclass(frozen=True)
class CheckedPdf:
    content: bytes
    sha256: str
    original_name: str


def pdf_check(uploaded, *, label: str) -> CheckedPdf:
    """Accept ``uploaded`` only if it is a readable PDF within the size limit, judged by its bytes.

    A renamed .exe or HTML page, a truncated or corrupt PDF, an oversized file and a PDF with active
    content (``core.pdf.active_content``: a script, a program to launch, an embedded file) are refused
    with a message naming the document (and what was found).
    """
    limit = settings.SKSENTRA_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise RuleViolation(
            _("%(label)s terlalu besar (%(size)s). Ukuran maksimum %(limit)s."),
            params={"label": label, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise RuleViolation(
            _("%(label)s terlalu besar. Ukuran maksimum %(limit)s."),
            params={"label": label, "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if not content.lstrip()[:5] == b"%PDF-":
        raise RuleViolation(
            _("%(label)s bukan berkas PDF (isinya tidak dikenali sebagai PDF). Unggah dokumen dalam format PDF."),
            params={"label": label},
            code="not_pdf",
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise RuleViolation(
                _("%(label)s dilindungi kata sandi. Unggah PDF tanpa kata sandi."),
                params={"label": label},
                code="pdf_encrypted",
            )
        if len(reader.pages) < 1:
            raise PyPdfError("no pages")
    except RuleViolation:
        raise
    except Exception as exc:  # pypdf raises many types for broken files; all mean the same to the user
        raise RuleViolation(
            _("%(label)s rusak atau tidak dapat dibuka sebagai PDF. Periksa berkasnya lalu unggah ulang."),
            params={"label": label},
            code="pdf_broken",
        ) from exc
    found = active_content(content)
    if found:
        raise RuleViolation(
            _("%(label)s berisi konten aktif yang tidak diizinkan: %(found)s. Cetak ulang dokumen ke PDF "
              "biasa (misalnya dengan \"Print to PDF\" atau pemindai) lalu unggah lagi."),
            params={"label": label, "found": "; ".join(found)},
            code="pdf_active_content",
        )
    return CheckedPdf(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=(getattr(uploaded, "name", "") or "dokumen.pdf")[-255:],
    )


def dokumen_create(*, pengelola: Pengelola, jenis: str, pdf: CheckedPdf, user) -> Dokumen:
    """Store a checked PDF as the current document of its kind; an earlier one is kept, superseded."""
    # Saved one by one, never a bulk update: every change of an audited row stays in its history.
    for earlier in Dokumen.objects.filter(pengelola=pengelola, jenis=jenis, superseded=False):
        earlier.superseded = True
        earlier.save(update_fields=["superseded"])
    dokumen = Dokumen(
        pengelola=pengelola,
        jenis=jenis,
        original_name=pdf.original_name,
        size=len(pdf.content),
        sha256=pdf.sha256,
        uploaded_by=user,
    )
    dokumen.file.save(f"{pdf.sha256[:16]}.pdf", ContentFile(pdf.content), save=False)
    dokumen.full_clean()
    dokumen.save()
    return dokumen


@dataclass
class UsulanData:
    """Everything a pengusul submits: the sentra, the pengelola, its people and its documents."""

    sentra: Sentra | None
    sentra_fields: dict
    pengelola_fields: dict
    pengurus: list[dict]
    anggota: list[dict]
    documents: dict[str, CheckedPdf] = field(default_factory=dict)


def _missing_documents(bentuk_hukum: str, present: set[str], *, ppk_blud: bool = False) -> list[str]:
    required = required_documents(bentuk_hukum, ppk_blud=ppk_blud)
    return [str(JenisDokumen(j).label) for j in required if j not in present]


def usulan_validate(*, data: UsulanData, region: Region, existing: Pengelola | None = None) -> None:
    """Check the proposal as a whole before anything is written."""
    if region.is_province:
        raise RuleViolation(_("Usulan diajukan oleh kabupaten/kota, bukan oleh provinsi."))
    if data.sentra is not None and data.sentra.region_id != region.code:
        raise RuleViolation(_("Sentra yang dipilih bukan milik wilayah Anda."), field="sentra")
    if len(data.anggota) < MIN_ANGGOTA_IKM:
        raise RuleViolation(
            _("Sentra IKM harus beranggotakan sedikitnya %(min)d unit IKM (PP 29/2018); baru %(n)d yang diisi."),
            params={"min": MIN_ANGGOTA_IKM, "n": len(data.anggota)},
            code="too_few_anggota",
        )
    niks = [a["nik_pemilik"] for a in data.anggota]
    if len(set(niks)) != len(niks):
        raise RuleViolation(_("Ada NIK pemilik yang tercatat lebih dari sekali dalam daftar anggota IKM."))
    nibs = [a["nib"] for a in data.anggota]
    if len(set(nibs)) != len(nibs):
        raise RuleViolation(_("Ada NIB yang tercatat lebih dari sekali dalam daftar anggota IKM."))
    own_sentra = data.sentra.pk if data.sentra is not None else getattr(existing, "sentra_id", None)
    _members_elsewhere_refuse(data.anggota, own_sentra_id=own_sentra)
    if not data.pengurus:
        raise RuleViolation(_("Isi sedikitnya satu pengurus (ketua)."))
    years = data.pengelola_fields.get("masa_bakti_tahun") or 0
    if years > MAX_MASA_BAKTI_TAHUN:
        raise RuleViolation(
            _("Masa bakti pengurus paling lama %(max)d tahun; ditetapkan kembali dengan Keputusan perpanjangan."),
            params={"max": MAX_MASA_BAKTI_TAHUN}, field="masa_bakti_tahun",
        )
    present = set(data.documents)
    if existing is not None:
        present |= set(existing.dokumen_set.filter(superseded=False).values_list("jenis", flat=True))
    missing = _missing_documents(
        data.pengelola_fields["bentuk_hukum"], present, ppk_blud=bool(data.pengelola_fields.get("ppk_blud"))
    )
    if missing:
        raise RuleViolation(
            _("Dokumen wajib untuk bentuk kelembagaan ini belum diunggah: %(docs)s."),
            params={"docs": "; ".join(missing)},
            code="missing_documents",
        )


def _members_elsewhere_refuse(anggota: list[dict], *, own_sentra_id: int | None) -> None:
    """An IKM is a member of one sentra: a typed member whose NIK or NIB is already in another sentra's
    census (the census import refuses the same, ``census._known_members``) is refused, naming where. A
    member of the proposal's own sentra is that row, listed again (``_replace_people``)."""
    niks = {a["nik_pemilik"] for a in anggota}
    nibs = {a["nib"] for a in anggota}
    known = (AnggotaIKM.objects.filter(models.Q(nik_pemilik__in=niks) | models.Q(nib__in=nibs))
             .exclude(sentra_id=own_sentra_id)
             .values_list("nama_usaha", "nib", "sentra__name", "sentra__region__name")
             .order_by("pk")[:3])
    found = [_("%(usaha)s (NIB %(nib)s) sudah anggota %(sentra)s, %(region)s")
             % {"usaha": usaha, "nib": nib, "sentra": sentra, "region": region}
             for usaha, nib, sentra, region in known]
    if found:
        raise RuleViolation(
            _("Satu IKM hanya menjadi anggota satu sentra. %(found)s. Hapus dari daftar anggota, atau minta "
              "sentra tersebut mengeluarkannya lebih dahulu."),
            params={"found": "; ".join(found)}, code="member_elsewhere",
        )


def _replace_people(pengelola: Pengelola, data: UsulanData) -> None:
    # Rows are replaced as a whole list: the list submitted is the list the SK will name.
    # Deleted one by one (not a bulk delete) so that each removal is kept in the history. A member
    # that came from the sentra's census (imported) is not deleted but only leaves the proposal's
    # list: it stays a member of the sentra.
    for person in list(pengelola.pengurus_set.all()):
        person.delete()
    for member in list(pengelola.anggota_set.all()):
        if member.impor_id is None:
            member.delete()
        else:
            member.pengelola = None
            member.save()
    for row in data.pengurus:
        obj = Pengurus(pengelola=pengelola, **{**row, "telepon": normalize_phone(row.get("telepon", ""))})
        obj.full_clean()
        obj.save()
    # A member of the sentra's census listed by the proposal (same NIB) is that row, not a second one.
    census = {
        m.nib: m
        for m in AnggotaIKM.objects.filter(
            sentra=pengelola.sentra, pengelola__isnull=True, nib__in=[row["nib"] for row in data.anggota]
        )
    }
    for row in data.anggota:
        obj = census.get(row["nib"]) or AnggotaIKM()
        obj.sentra, obj.pengelola = pengelola.sentra, pengelola
        for key, value in {**row, "telepon": normalize_phone(row.get("telepon", ""))}.items():
            setattr(obj, key, value)
        obj.full_clean()
        obj.save()


def _new_sentra(*, data: UsulanData, region: Region, pengelola: Pengelola | None) -> Sentra:
    """The sentra typed in the proposal: a new one, or (on revision) the one this proposal registered.

    An existing sentra is picked from the list, never matched by its typed name and overwritten: a
    proposal must not change a sentra that is already registered (its register entries and public
    pages show what was recorded; a change goes through a Keputusan perubahan).
    """
    name = data.sentra_fields["name"].strip()
    same_name = Sentra.objects.filter(region=region, name__iexact=name).first()
    own_unrecorded = (
        same_name is not None and pengelola is not None and pengelola.sentra_id == same_name.pk
        and not SK.objects.filter(pengelola__sentra=same_name).exclude(nomor_register="").exists()
    )
    if same_name is not None and not own_unrecorded:
        raise RuleViolation(
            _("Sentra \u201c%(name)s\u201d sudah terdaftar di wilayah ini. Pilih dari daftar \u201cSentra terdaftar\u201d; "
              "datanya tidak diubah melalui usulan."),
            params={"name": same_name.name}, field="sentra",
        )
    sentra = same_name if own_unrecorded else Sentra(region=region)
    for key, value in data.sentra_fields.items():
        setattr(sentra, key, value)
    sentra.full_clean()
    sentra.save()
    return sentra


@transaction.atomic
def usulan_save(*, data: UsulanData, region: Region, user, pengelola: Pengelola | None = None) -> Pengelola:
    """Create (or, on revision, update) the sentra, pengelola, pengurus, anggota and documents."""
    usulan_validate(data=data, region=region, existing=pengelola)
    sentra = data.sentra
    if sentra is None:
        sentra = _new_sentra(data=data, region=region, pengelola=pengelola)
    if pengelola is None:
        pengelola = Pengelola(sentra=sentra)
    pengelola.sentra = sentra
    for key, value in data.pengelola_fields.items():
        setattr(pengelola, key, value)
    pengelola.full_clean()
    pengelola.save()
    _replace_people(pengelola, data)
    for jenis, pdf in data.documents.items():
        dokumen_create(pengelola=pengelola, jenis=jenis, pdf=pdf, user=user)
    return pengelola


@transaction.atomic
def pengelola_copy(*, source: Pengelola) -> Pengelola:
    """A new pengelola row for an amendment or renewal of ``source``'s SK, pre-filled with its data:
    the pengelola, its pengurus and its current documents (the same stored files). The proposal then
    edits the copy, so the SK in force keeps the data it named.

    The members are the sentra's census (``AnggotaIKM.sentra``), not the pengelola's: the sentra's
    members are listed by the copy (each row re-pointed, with its history), so the amendment edits the
    one census; the SK in force keeps the Lampiran frozen at its numbering (``lampiran_anggota``). The
    DAK asset lines belong to the sentra too (``AsetDAK``) and need no copy.
    """
    copy = Pengelola(sentra=source.sentra)
    for field in ("name", "bentuk_hukum", "ppk_blud", "alamat", "masa_bakti_tahun"):
        setattr(copy, field, getattr(source, field))
    copy.save()
    for person in source.pengurus_set.all():
        Pengurus(pengelola=copy, nama=person.nama, jabatan=person.jabatan, nik=person.nik, telepon=person.telepon).save()
    for anggota in AnggotaIKM.objects.filter(sentra=source.sentra).order_by("pk"):
        anggota.pengelola = copy
        anggota.save(update_fields=["pengelola"])
    for dokumen in source.dokumen_set.filter(superseded=False).exclude(jenis=JenisDokumen.BUKTI_EVALUASI):
        Dokumen(
            pengelola=copy, jenis=dokumen.jenis, file=dokumen.file.name, original_name=dokumen.original_name,
            size=dokumen.size, sha256=dokumen.sha256, uploaded_by=dokumen.uploaded_by,
        ).save()
    return copy


def masa_bakti_end(start: date, years: int) -> date:
    """The last day of a term of ``years`` years from ``start`` (a 29 February start ends on 28 February)."""
    try:
        return start.replace(year=start.year + years) - timedelta(days=1)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


# The database's rule of one SK number per kab/kota and year (``SK.Meta.constraints``).
SK_NUMBER_CONSTRAINT = "sk_unique_number_per_region_year"


def sk_create(
    *,
    pengelola: Pengelola,
    fields: dict,
    pdf: CheckedPdf,
    user,
    salinan: CheckedPdf | None = None,
    dasar: CheckedPdf | None = None,
    not_before: date | None = None,
    jenis: str = JenisKeputusan.PENETAPAN,
    target: SK | None = None,
    process=None,
) -> SK:
    """Record the signed SK as numbered and authenticated by Bagian Hukum: the number from the register
    of Keputusan, the signing date, the signer and the basis of their capacity, the signed scan and the
    authenticated copy. It is in force (``berlaku``) from its date; the province records it later.

    Rules:
    - the number is unique per kab/kota and year, compared without regard to case: the database's
      constraint ``sk_unique_number_per_region_year`` decides (no read before the INSERT), so two
      officials recording one number at once cannot both win, and the loser gets the same message;
    - the date is not in the future and not before ``not_before`` (the last legal review);
    - a Plt./Plh./Pj./a.n. signature rests on a surat perintah or delegation (number, date, validity,
      scan) in force on the SK's date (UU 30/2014 art. 14); a Plh. signature needs the art. 14(7)
      warning acknowledged;
    - an amendment or renewal (``jenis``) "mengubah" ``target``, a revocation "mencabut" it: ``target``
      must be in force and dated no later than the new SK, and its legal status changes with it
      (``sk_target_supersede``). A revocation sets no term of its own.

    ``process`` is the proposal numbering it, when the caller holds it: the audit trail's upload event
    names it (``audit.services.process_attach``) instead of reading the pengelola's latest again.
    """
    nomor = fields["nomor"].strip()
    tanggal: date = fields["tanggal"]
    region = pengelola.sentra.region
    if tanggal > timezone.localdate():
        raise RuleViolation(_("Tanggal penetapan SK tidak boleh di masa depan."), field="tanggal")
    if not_before is not None and tanggal < not_before:
        raise RuleViolation(
            _("Tanggal penetapan SK tidak boleh sebelum paraf koordinasi terakhir (%(date)s): yang ditandatangani "
              "adalah rancangan yang telah diparaf."),
            params={"date": not_before.strftime("%d-%m-%Y")}, field="tanggal",
        )
    if salinan is None:
        raise RuleViolation(_("Unggah salinan autentik SK (“salinan sesuai dengan aslinya”)."), field="salinan_pdf")
    kapasitas = fields.get("penandatangan_kapasitas")
    if kapasitas in CAPACITIES_NEEDING_BASIS:
        _signature_basis_check(fields, dasar, tanggal, kapasitas)
    else:
        fields = {**fields, "dasar_nomor": "", "dasar_tanggal": None, "dasar_berlaku_sampai": None,
                  "plh_peringatan_diakui": False}
        dasar = None
    if (target is None) != (jenis == JenisKeputusan.PENETAPAN):
        raise RuleViolation(_("Keputusan perubahan, perpanjangan atau pencabutan harus menyebut SK yang diubah atau dicabut."))
    if target is not None:
        target = SK.objects.select_for_update().get(pk=target.pk)
        if target.status != StatusSK.BERLAKU:
            raise RuleViolation(
                _("SK Nomor %(nomor)s sudah tidak berlaku (%(status)s); tidak dapat diubah atau dicabut lagi."),
                params={"nomor": target.nomor, "status": target.get_status_display()},
            )
        if tanggal < target.tanggal:
            raise RuleViolation(
                _("Tanggal SK tidak boleh sebelum tanggal SK yang diubah atau dicabut (%(date)s)."),
                params={"date": target.tanggal.strftime("%d-%m-%Y")}, field="tanggal",
            )
    number_taken = RuleViolation(
        _("Nomor SK %(nomor)s sudah tercatat untuk wilayah ini pada tahun %(year)d."),
        params={"nomor": nomor, "year": tanggal.year},
        field="nomor",
    )
    sk = SK(
        pengelola=pengelola,
        region=region,
        tahun=tanggal.year,
        sha256=pdf.sha256,
        salinan_sha256=salinan.sha256,
        ditetapkan_oleh=user,
        status=StatusSK.BERLAKU,
        status_pencatatan=StatusPencatatan.BELUM_DICATAT,
        masa_bakti_berakhir=(
            None if jenis == JenisKeputusan.PENCABUTAN else masa_bakti_end(tanggal, pengelola.masa_bakti_tahun)
        ),
        jenis=jenis,
        mengubah=target if jenis in (JenisKeputusan.PERUBAHAN, JenisKeputusan.PERPANJANGAN) else None,
        mencabut=target if jenis == JenisKeputusan.PENCABUTAN else None,
        **{**fields, "nomor": nomor},
    )
    # What its Lampiran II lists, frozen: the sentra's page tells when its members no longer match.
    sk.lampiran_anggota = lampiran_snapshot(pengelola.anggota_set.all())
    sk.file.save(f"{pdf.sha256[:16]}.pdf", ContentFile(pdf.content), save=False)
    sk.salinan_file.save(f"salinan-{salinan.sha256[:16]}.pdf", ContentFile(salinan.content), save=False)
    if dasar is not None:
        sk.dasar_file.save(f"dasar-{dasar.sha256[:16]}.pdf", ContentFile(dasar.content), save=False)
    # The number's constraint is checked by the database below (full_clean would read it with a query
    # first); the pengelola, region and official are the caller's rows and the public token is random
    # (the database holds their keys and uniqueness), so their existence queries are left out too.
    sk.full_clean(exclude=["pengelola", "region", "ditetapkan_oleh"], validate_unique=False, validate_constraints=False)
    if process is not None:
        audit.process_attach(sk, process)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction goes on after a refused number
            sk.save()
    except IntegrityError as exc:
        if SK_NUMBER_CONSTRAINT not in str(exc):
            raise
        # No row names the files just stored for it (each under a name of its own): remove them.
        for stored in (sk.file, sk.salinan_file, sk.dasar_file):
            if stored:
                stored.delete(save=False)
        raise number_taken from exc
    if target is not None:
        sk_target_supersede(sk=sk, target=target)
    return sk


def sk_target_supersede(*, sk: SK, target: SK) -> SK:
    """The SK ``target`` is amended (``diubah``) or revoked (``dicabut``) by ``sk``, from ``sk``'s date
    (never in the future: ``sk_create``). It stays in the register either way; the chain is
    ``sk.mengubah`` / ``sk.mencabut`` and, read backwards, ``target.diubah_dengan`` / ``dicabut_dengan``."""
    target.status = StatusSK.DICABUT if sk.jenis == JenisKeputusan.PENCABUTAN else StatusSK.DIUBAH
    target.save(update_fields=["status"])
    return target


def _signature_basis_check(fields: dict, dasar: CheckedPdf | None, tanggal: date, kapasitas: str) -> None:
    """A Plt./Plh./Pj./a.n. signature names its basis, in force on the SK's date."""
    if not (fields.get("dasar_nomor") or "").strip() or not fields.get("dasar_tanggal") or not fields.get(
        "dasar_berlaku_sampai"
    ):
        raise RuleViolation(
            _("Penandatanganan %(kapasitas)s memerlukan dasar penugasan: nomor, tanggal dan masa berlaku surat "
              "perintah atau pelimpahan (UU 30/2014 pasal 14)."),
            params={"kapasitas": KapasitasPenandatangan(kapasitas).label}, field="dasar_nomor",
        )
    if dasar is None:
        raise RuleViolation(_("Unggah pindaian surat perintah atau pelimpahan wewenang."), field="dasar_pdf")
    if not fields["dasar_tanggal"] <= tanggal <= fields["dasar_berlaku_sampai"]:
        raise RuleViolation(
            _("Tanggal SK berada di luar masa berlaku surat perintah/pelimpahan (%(from)s s.d. %(to)s)."),
            params={"from": fields["dasar_tanggal"].strftime("%d-%m-%Y"),
                    "to": fields["dasar_berlaku_sampai"].strftime("%d-%m-%Y")},
            field="tanggal",
        )
    if kapasitas == KapasitasPenandatangan.PLH and not fields.get("plh_peringatan_diakui"):
        raise RuleViolation(
            _("Plh. tidak berwenang mengambil keputusan yang berdampak strategis (UU 30/2014 pasal 14 ayat 7). "
              "Nyatakan bahwa penetapan ini telah dinilai tidak berdampak strategis."),
            field="plh_peringatan_diakui",
        )


def register_number_next(*, province_code: str, year: int) -> str:
    """The next provincial register number of ``year``: sequential, no gap, no duplicate.

    One upsert takes the number and locks the counter row for the rest of the caller's transaction,
    so concurrent recordings queue behind each other and a rolled-back recording gives its number back.
    """
    table = connection.ops.quote_name(RegisterCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (province_id, year, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (province_id, year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [province_code, year],
        )
        (number,) = cursor.fetchone()
    return f"{province_code}/REG-SENTRA/{year}/{number:04d}"


def sk_record(*, sk: SK, user, catatan: str = "") -> SK:
    """Record ``sk`` in the province's register: it gets the next register number, with or without
    notes for the kab/kota to answer. Recording never changes the SK's legal status."""
    if sk.status_pencatatan != StatusPencatatan.BELUM_DICATAT or sk.status == StatusSK.DIGANTI:
        raise RuleViolation(_("SK ini tidak menunggu pencatatan."))
    now = timezone.now()
    if timezone.localtime(now).date() < sk.tanggal:
        raise RuleViolation(_("Pencatatan tidak boleh sebelum tanggal penetapan SK."))
    sk.nomor_register = register_number_next(province_code=sk.region.parent_id or sk.region_id, year=timezone.localtime(now).year)
    catatan = (catatan or "").strip()
    sk.register_snapshot = register_snapshot(sk)
    sk.status_pencatatan = StatusPencatatan.TERCATAT_DENGAN_CATATAN if catatan else StatusPencatatan.TERCATAT
    sk.catatan_pencatatan = catatan
    sk.dicatat_pada = now
    sk.dicatat_oleh = user
    sk.save()
    return sk


def sk_recording_answer(*, sk: SK, tanggapan: str) -> SK:
    """The kab/kota answers the province's notes on a recorded SK (a defect is corrected by a
    Keputusan perubahan, never by changing this SK)."""
    if sk.status_pencatatan != StatusPencatatan.TERCATAT_DENGAN_CATATAN or sk.tanggapan_pencatatan:
        raise RuleViolation(_("SK ini tidak menunggu tanggapan atas catatan provinsi."))
    sk.tanggapan_pencatatan = tanggapan.strip()
    sk.save()
    return sk
