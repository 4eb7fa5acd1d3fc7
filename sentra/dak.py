"""The DAK sentra register (issue 14 §1): who may change it, its Excel import, edits and confirmation.

The register's master row is ``Sentra`` with its ``DakAlokasi`` (one per DAK year: value and outputs
built). Its state (belum ada pengelola, dalam proses, ber-SK, SK berakhir) is derived, never stored:
``flows.selectors.sentra_state_annotate``.

The import is all or nothing: ``dak_rows_check`` turns the rows ``core.spreadsheet.xlsx_rows`` read into
a report (row number, column, Indonesian message) and the plan; ``dak_import_apply`` checks again and
writes every row in one transaction, or none.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scope import can_see
from audit.models import Action
from audit.services import event_record
from core.errors import RuleViolation
from core.spreadsheet import Column
from core.validators import control_characters

from .choices import RegionKind
from .models import DakAlokasi, Region, Sentra

MAX_IMPORT_ROWS = 2000
MAX_NILAI = Decimal(10) ** 15 - 1  # Rp 999 triliun: the column's 15 digits

# Audit actions of the register (labelled in audit.models.Action, so the auditor timeline reads them).
ACTION_IMPORT = Action.SENTRA_IMPORT
ACTION_CREATE = Action.SENTRA_REGISTER
ACTION_UPDATE = Action.SENTRA_UPDATE
ACTION_CONFIRM = Action.SENTRA_CONFIRM

COLUMNS = [
    Column("wilayah", "Kabupaten/Kota", required=True, help="Nama (mis. Donggala, Kota Palu) atau kode Kemendagri (72.03)."),
    Column("nama", "Nama Sentra", required=True, help="Satu sentra boleh beberapa baris: satu baris per tahun DAK."),
    Column("komoditas", "Komoditas Unggulan", required=True),
    Column("kecamatan", "Kecamatan"),
    Column("desa", "Desa/Kelurahan"),
    Column("alamat", "Alamat/Lokasi", help="Boleh kosong bila desa atau kecamatan diisi."),
    Column("latitude", "Lintang", help="Derajat desimal, mis. -0.8917 (titik atau koma)."),
    Column("longitude", "Bujur", help="Derajat desimal, mis. 119.8707."),
    Column("tahun", "Tahun DAK", required=True, help="Tahun anggaran, 4 angka."),
    Column("nilai", "Nilai DAK (Rp)", help="Rupiah tanpa desimal, mis. 1500000000 atau 1.500.000.000."),
    Column("output_bangunan", "Output Bangunan"),
    Column("output_mesin", "Output Mesin"),
    Column("output_peralatan", "Output Peralatan"),
]
HEADER = {c.key: c.header for c in COLUMNS}
TEXT_LIMITS = {
    "nama": 200, "komoditas": 200, "kecamatan": 100, "desa": 100, "alamat": 300,
    "output_bangunan": 300, "output_mesin": 300, "output_peralatan": 300,
}
SENTRA_FIELDS = ("komoditas", "kecamatan", "desa", "alamat", "latitude", "longitude")
OUTPUT_FIELDS = ("output_bangunan", "output_mesin", "output_peralatan")


# --- who may do what -------------------------------------------------------------------------------


def can_manage_register(user) -> bool:
    """The province desk (pencatat provinsi of the province) and administrators import, edit every row
    and confirm the sentra a kab/kota registered."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.region is not None and user.region.is_province and user.has_role(Role.PENCATAT_PROVINSI)


def can_edit_sentra(user) -> bool:
    """The province desk, and a kab/kota's Disperindag (pengusul, verifikator dinas) for its own rows
    (which rows: ``Sentra.objects.visible_to(user)``, the one scope rule)."""
    if can_manage_register(user):
        return True
    return (
        user.is_authenticated
        and user.region is not None
        and not user.region.is_province
        and bool(user.role_names & {Role.PENGUSUL.value, Role.VERIFIKATOR_DINAS.value})
    )


# --- reading one value -----------------------------------------------------------------------------

_ASCII_INT = re.compile(r"^[0-9]+$")
_GROUPED_INT = re.compile(r"^[0-9]{1,3}([.,][0-9]{3})+$")
_COORD = re.compile(r"^-?[0-9]{1,3}([.,][0-9]{1,8})?$")


class _Bad(Exception):
    pass


def _text(value, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    found = control_characters(value)
    if found:
        raise _Bad(_("harus satu baris: hapus baris baru, tab atau karakter kendali (%(found)s)") % {"found": ", ".join(found[:3])})
    if len(value) > TEXT_LIMITS[key]:
        raise _Bad(_("terlalu panjang (paling banyak %(n)d karakter)") % {"n": TEXT_LIMITS[key]})
    return value


def _integer(value) -> int:
    """A whole number from a numeric cell or text of ASCII digits (thousands grouped by . or , allowed)."""
    if isinstance(value, bool):
        raise _Bad(_("harus berupa angka"))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
            raise _Bad(_("harus bilangan bulat"))
        if abs(value) > 1e18:
            raise _Bad(_("angka terlalu besar"))
        return int(value)
    text = str(value).strip().replace(" ", "")
    if text[:2].lower() == "rp":
        text = text[2:].lstrip(".")
    if _ASCII_INT.match(text):
        if len(text) > 18:
            raise _Bad(_("angka terlalu besar"))
        return int(text)
    if _GROUPED_INT.match(text):
        return int(text.replace(".", "").replace(",", ""))
    raise _Bad(_("harus berupa angka (hanya angka 0-9)"))


def _coordinate(value, limit: int) -> Decimal:
    if isinstance(value, bool):
        raise _Bad(_("harus berupa angka derajat desimal"))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise _Bad(_("harus berupa angka derajat desimal"))
        number = Decimal(str(value))
    else:
        text = str(value).strip()
        if not _COORD.match(text):
            raise _Bad(_("harus berupa angka derajat desimal, mis. -0.8917 (hanya angka 0-9)"))
        number = Decimal(text.replace(",", "."))
    try:
        number = number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _Bad(_("harus berupa angka derajat desimal")) from None
    if not -limit <= number <= limit:
        raise _Bad(_("di luar rentang -%(n)d sampai %(n)d") % {"n": limit})
    return number


def _region_index(user) -> dict[str, Region]:
    """The kab/kota the user may write to, by code and by every name a sheet may use."""
    index: dict[str, Region] = {}
    for region in Region.objects.visible_to(user).exclude(kind=RegionKind.PROVINSI):
        for name in (region.code, region.name, str(region)):
            index[" ".join(name.split()).casefold()] = region
    return index


def _race_is_a_rule_violation(function):
    """One transaction; a unique constraint hit by a concurrent writer (the same sentra registered, or the
    same DAK year added, at the same moment) is answered with a message, nothing written, never a 500."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return function(*args, **kwargs)
        except IntegrityError:
            raise RuleViolation(
                _("Data yang sama baru saja disimpan oleh pengguna lain; tidak ada yang disimpan. Muat ulang lalu periksa lagi."),
                code="concurrent",
            ) from None

    return wrapper


# --- the import ------------------------------------------------------------------------------------


@dataclass
class ImportPlan:
    """What a checked file holds: the report's errors, or the rows ready to be written."""

    errors: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    new_sentra: int = 0
    existing_sentra: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def dak_rows_check(rows: list[tuple[int, dict]], *, user) -> ImportPlan:
    """Check every row of the DAK list; report each problem with its row number and column."""
    plan = ImportPlan()
    regions = _region_index(user)
    seen_year: dict[tuple, int] = {}
    sentra_seen: dict[tuple, dict] = {}

    def bad(number, key, message):
        plan.errors.append({"row": number, "column": HEADER.get(key, ""), "message": message})

    for number, raw in rows:
        clean: dict = {"row": number}
        errors_before = len(plan.errors)
        wilayah = raw.get("wilayah")
        if wilayah is None:
            bad(number, "wilayah", _("wajib diisi"))
        else:
            key = " ".join(str(wilayah).split()).casefold()
            region = regions.get(key) or regions.get(("kabupaten " + key))
            if region is None:
                bad(number, "wilayah", _("kabupaten/kota \u201c%(v)s\u201d tidak dikenal atau di luar wilayah Anda") % {"v": str(wilayah)[:60]})
            else:
                clean["region"] = region
        for key in ("nama", "komoditas", "kecamatan", "desa", "alamat", *OUTPUT_FIELDS):
            try:
                clean[key] = _text(raw.get(key), key)
            except _Bad as exc:
                bad(number, key, str(exc))
        for key in ("nama", "komoditas"):
            if key in clean and not clean[key]:
                bad(number, key, _("wajib diisi"))
        if not any(clean.get(k) for k in ("alamat", "desa", "kecamatan")) and len(plan.errors) == errors_before:
            bad(number, "alamat", _("isi alamat, desa atau kecamatan"))
        for key, limit in (("latitude", 90), ("longitude", 180)):
            clean[key] = None
            if raw.get(key) is not None:
                try:
                    clean[key] = _coordinate(raw[key], limit)
                except _Bad as exc:
                    bad(number, key, str(exc))
        if (raw.get("latitude") is None) != (raw.get("longitude") is None):
            bad(number, "longitude" if raw.get("longitude") is None else "latitude", _("lintang dan bujur diisi berpasangan"))
        this_year = timezone.localdate().year
        if raw.get("tahun") is None:
            bad(number, "tahun", _("wajib diisi"))
        else:
            try:
                tahun = _integer(raw["tahun"])
                if not 2000 <= tahun <= this_year + 1:
                    raise _Bad(_("harus antara 2000 dan %(y)d") % {"y": this_year + 1})
                clean["tahun"] = tahun
            except _Bad as exc:
                bad(number, "tahun", str(exc))
        clean["nilai"] = None
        if raw.get("nilai") is not None:
            try:
                nilai = _integer(raw["nilai"])
                if nilai < 0:
                    raise _Bad(_("tidak boleh negatif"))
                if nilai > MAX_NILAI:
                    raise _Bad(_("terlalu besar (paling banyak 15 angka)"))
                clean["nilai"] = Decimal(nilai)
            except _Bad as exc:
                bad(number, "nilai", str(exc))
        if len(plan.errors) > errors_before:
            continue
        sentra_key = (clean["region"].code, clean["nama"].lower())
        year_key = (*sentra_key, clean["tahun"])
        if year_key in seen_year:
            bad(number, "tahun", _("sentra dan tahun DAK ini sudah ada di baris %(n)d") % {"n": seen_year[year_key]})
            continue
        seen_year[year_key] = number
        first = sentra_seen.setdefault(sentra_key, clean)
        for key in SENTRA_FIELDS:
            if first is not clean and clean[key] and first[key] and clean[key] != first[key]:
                bad(number, key, _("berbeda dengan baris %(n)d untuk sentra yang sama") % {"n": first["row"]})
        plan.rows.append(clean)
    if not rows:
        plan.errors.append({"row": "", "column": "", "message": _("Berkas tidak berisi baris data di bawah baris judul.")})
    if plan.errors:
        plan.rows = []
        return plan
    existing = _existing_sentra(sentra_seen, user=user)
    plan.existing_sentra = len(existing)
    plan.new_sentra = len(sentra_seen) - len(existing)
    return plan


def _existing_sentra(keys, *, user) -> dict[tuple, Sentra]:
    """The registered sentra the file names (by kab/kota and name, any case), in one query."""
    if not keys:
        return {}
    names = {name for _code, name in keys}
    found = {}
    for sentra in Sentra.objects.visible_to(user).annotate(name_lower=Lower("name")).filter(name_lower__in=names):
        key = (sentra.region_id, sentra.name_lower)
        if key in keys:
            found[key] = sentra
    return found


@_race_is_a_rule_violation
def dak_import_apply(rows: list[tuple[int, dict]], *, user, file_sha256: str = "") -> ImportPlan:
    """Write a DAK list: every row, or none when any row is wrong (the file is checked again here)."""
    if not can_manage_register(user):
        raise RuleViolation(_("Hanya Disperindag Provinsi yang dapat mengimpor daftar sentra DAK."))
    plan = dak_rows_check(rows, user=user)
    if not plan.ok:
        raise RuleViolation(_("Berkas masih berisi kesalahan; tidak ada yang disimpan."), code="import_errors")
    by_sentra: dict[tuple, list[dict]] = {}
    for row in plan.rows:
        by_sentra.setdefault((row["region"].code, row["nama"].lower()), []).append(row)
    existing = _existing_sentra(by_sentra, user=user)
    allocations = {
        (a.sentra_id, a.tahun): a for a in DakAlokasi.objects.filter(sentra__in=list(existing.values()))
    }
    written = 0
    # Saved one by one: every row of the register keeps its history (no bulk writes on audited models).
    for key, group in by_sentra.items():
        first = group[0]
        sentra = existing.get(key) or Sentra(region=first["region"], name=first["nama"])
        for name in SENTRA_FIELDS:
            value = next((r[name] for r in group if r[name] not in (None, "")), None)
            if value is not None:
                setattr(sentra, name, value)
        if not sentra.alamat:
            sentra.alamat = ", ".join(p for p in (first["desa"], first["kecamatan"]) if p)
        sentra.confirmed = True
        sentra.full_clean()
        sentra.save()
        for row in group:
            alokasi = allocations.get((sentra.pk, row["tahun"])) or DakAlokasi(sentra=sentra, tahun=row["tahun"])
            if row["nilai"] is not None:
                alokasi.nilai = row["nilai"]
            for name in OUTPUT_FIELDS:
                if row[name]:
                    setattr(alokasi, name, row[name])
            alokasi.full_clean()
            alokasi.save()
            written += 1
    event_record(
        action=ACTION_IMPORT,
        actor=user,
        details={
            "rows": len(plan.rows),
            "sentra_new": plan.new_sentra,
            "sentra_updated": plan.existing_sentra,
            "allocations": written,
            "file_sha256": file_sha256,
        },
        note=_("Impor daftar sentra DAK"),
    )
    return plan


# --- one sentra ------------------------------------------------------------------------------------


@_race_is_a_rule_violation
def sentra_register_save(*, sentra: Sentra, allocations: list[DakAlokasi], deleted: list[DakAlokasi], user) -> Sentra:
    """Save a sentra of the register and its DAK years as edited on its page (or registered there).

    A sentra a kab/kota registers waits for the province's confirmation; one the province registers
    is confirmed at once.
    """
    if not can_edit_sentra(user) or not can_see(user, sentra.region_id):
        raise RuleViolation(_("Anda tidak dapat mengubah register sentra wilayah ini."))
    if sentra.region.is_province:
        raise RuleViolation(_("Sentra berada di kabupaten/kota, bukan di provinsi."), field="region")
    created = sentra.pk is None
    if created:
        sentra.confirmed = can_manage_register(user)
    sentra.full_clean()
    sentra.save()
    for alokasi in deleted:
        if alokasi.pk and alokasi.sentra_id == sentra.pk:
            alokasi.delete()
    for alokasi in allocations:
        alokasi.sentra = sentra
        alokasi.full_clean()
        alokasi.save()
    event_record(
        action=ACTION_CREATE if created else ACTION_UPDATE,
        actor=user,
        obj=sentra,
        details={"region": sentra.region_id, "name": sentra.name, "dak_years": sorted(a.tahun for a in allocations)},
    )
    return sentra


@transaction.atomic
def sentra_confirm(*, sentra: Sentra, user) -> Sentra:
    """The province confirms a sentra a kab/kota registered (through a proposal or its register page)."""
    if not can_manage_register(user) or not can_see(user, sentra.region_id):
        raise RuleViolation(_("Hanya Disperindag Provinsi yang dapat mengonfirmasi sentra."))
    if sentra.confirmed:
        return sentra
    sentra.confirmed = True
    sentra.save(update_fields=["confirmed"])
    event_record(action=ACTION_CONFIRM, actor=user, obj=sentra, details={"region": sentra.region_id, "name": sentra.name})
    return sentra
