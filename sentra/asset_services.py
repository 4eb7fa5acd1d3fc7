"""BPKAD's DAK asset lines of a sentra: recording them, importing them, and judging their basis of use.

The law is in ``asset_rules.RULES``; this module applies it to rows: to a line as it is saved (against the
legal form of the sentra's current pengelola), to every line when BPKAD decides (``asset_blockers``), and
to the draft SK's wording (``asset_lampiran_rows``, ``asset_diktum``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import Action
from core.errors import RuleViolation
from core.spreadsheet import Column, xlsx_rows, xlsx_template

from .asset_rules import BASIS_PHRASE, RULES, DasarPemanfaatan, basis_problems, effective_basis
from .models import AsetDAK, JenisKIB, KondisiAset, Pengelola, Sentra
from .validators import ascii_digits

# The fields BPKAD types for a line (the form's and the import's columns, in this order).
LINE_FIELDS = (
    "jenis_kib", "kode_barang", "nup", "nama", "tahun_perolehan", "nilai_perolehan", "nomor_bast",
    "tanggal_bast", "opd_pemilik", "sertifikat_tanah", "kondisi", "dasar_pemanfaatan", "nomor_perjanjian",
    "tanggal_perjanjian", "jangka_waktu_tahun", "perpanjangan_ke", "nomor_perda", "catatan",
)
AGREEMENT_BASES = frozenset({DasarPemanfaatan.SEWA, DasarPemanfaatan.KSP, DasarPemanfaatan.PINJAM_PAKAI})


def current_pengelola(sentra: Sentra) -> Pengelola | None:
    """The pengelola the sentra's lines are judged for: the latest proposed."""
    return sentra.pengelola_set.order_by("-created_at", "-pk").first()


def agreement_end(start: date | None, years: int | None) -> date | None:
    """The last day of a term of ``years`` years from ``start`` (29 February ends on 28 February)."""
    if start is None or not years:
        return None
    try:
        return start.replace(year=start.year + years) - timedelta(days=1)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def line_problems(line: AsetDAK, bentuk_hukum: str) -> dict[str, str]:
    return basis_problems(
        bentuk_hukum, line.dasar_pemanfaatan, years=line.jangka_waktu_tahun, extensions=line.perpanjangan_ke or 0,
        agreement_number=line.nomor_perjanjian, agreement_date=line.tanggal_perjanjian, perda_number=line.nomor_perda,
    )


def _clean_basis(line: AsetDAK, bentuk_hukum: str | None) -> None:
    """Refuse a basis unlawful for the pengelola's form; a line may stay "belum" until BPKAD knows."""
    if line.dasar_pemanfaatan == DasarPemanfaatan.BELUM:
        return
    if bentuk_hukum is None:
        # No pengelola proposed yet: judge the basis by its own terms (the most permissive form for it).
        forms = [form for (form, basis), rule in RULES.items() if basis == line.dasar_pemanfaatan and rule.allowed]
        bentuk_hukum = forms[0] if forms else ""
    problems = line_problems(line, bentuk_hukum)
    if problems:
        raise ValidationError({field: message[:1].upper() + message[1:].rstrip(".") + "." for field, message in problems.items()})


def _normalise(line: AsetDAK) -> None:
    if line.dasar_pemanfaatan not in AGREEMENT_BASES:
        line.nomor_perjanjian, line.tanggal_perjanjian, line.jangka_waktu_tahun, line.perpanjangan_ke = "", None, None, 0
    if line.dasar_pemanfaatan != DasarPemanfaatan.PENYERTAAN_MODAL:
        line.nomor_perda = ""
    line.berakhir_pada = agreement_end(line.tanggal_perjanjian, line.jangka_waktu_tahun)


def _line_save(line: AsetDAK, fields: dict, user, bentuk_hukum: str | None, *, check_duplicate: bool = True) -> AsetDAK:
    for key in LINE_FIELDS:
        if key in fields:
            setattr(line, key, fields[key])
    line.updated_by = user
    _normalise(line)
    line.full_clean(exclude=["sentra", "updated_by"], validate_unique=False)
    _clean_basis(line, bentuk_hukum)
    if check_duplicate and (
        AsetDAK.objects.filter(sentra=line.sentra, kode_barang=line.kode_barang, nup=line.nup).exclude(pk=line.pk)
        .exists()
    ):
        raise ValidationError({"nup": _("Kode barang %(kode)s NUP %(nup)s sudah tercatat untuk sentra ini.")
                               % {"kode": line.kode_barang, "nup": line.nup}})
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError as exc:
        raise ValidationError({"nup": _("Kode barang dan NUP ini sudah tercatat untuk sentra ini.")}) from exc
    return line


def _form_of(sentra: Sentra) -> str | None:
    pengelola = current_pengelola(sentra)
    return pengelola.bentuk_hukum if pengelola else None


@transaction.atomic
def aset_save(*, sentra: Sentra, fields: dict, user, line: AsetDAK | None = None) -> AsetDAK:
    """Create or change one line. Raises ``ValidationError`` (field messages) and changes nothing on bad data."""
    created = line is None
    line = _line_save(line or AsetDAK(sentra=sentra), fields, user, _form_of(sentra))
    audit.event_record(
        action=Action.ASSET_LINE, actor=user, obj=line,
        details={"sentra": sentra.pk, "aset": line.label, "dasar_pemanfaatan": line.dasar_pemanfaatan,
                 "nomor_perjanjian": line.nomor_perjanjian, "berakhir_pada": str(line.berakhir_pada or ""),
                 "perubahan": "baru" if created else "diubah"},
    )
    return line


def asset_blockers(pengelola: Pengelola) -> list[str]:
    """Why BPKAD may not approve this pengelola yet, one message per line ("KIB B … NUP 3 (…): belum ada
    dasar pemanfaatan"); empty when every line has a lawful basis for its legal form."""
    lines = list(pengelola.sentra.aset_set.all())
    if not lines:
        return [_("belum ada aset DAK yang dicatat BPKAD untuk sentra ini")]
    blockers = []
    for line in lines:
        problems = line_problems(line, pengelola.bentuk_hukum)
        if problems:
            blockers.append(f"{line.label}: " + "; ".join(problems.values()))
    return blockers


def asset_check(pengelola: Pengelola) -> None:
    """Refuse approval, naming every line without a lawful basis."""
    blockers = asset_blockers(pengelola)
    if blockers:
        raise RuleViolation(_("Aset DAK belum dapat disetujui: %(lines)s.") % {"lines": " | ".join(blockers)})


# --- The draft SK's words -------------------------------------------------------------------------

_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember")
_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")


def _date_id(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _terbilang(n: int) -> str:
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    return str(n)


def basis_text(line: AsetDAK, bentuk_hukum: str, opd: str) -> str:
    """"digunakan oleh Dinas … (UPTD)", "Sewa berdasarkan Perjanjian Nomor … tanggal … untuk 5 (lima) tahun"."""
    basis = effective_basis(bentuk_hukum, line.dasar_pemanfaatan)
    if basis == DasarPemanfaatan.BELUM:
        return _("belum ada dasar pemanfaatan")
    if basis == DasarPemanfaatan.PENGGUNAAN:
        return BASIS_PHRASE[basis].format(opd=line.opd_pemilik or opd) + " (UPTD)"
    phrase = BASIS_PHRASE[basis]
    if basis == DasarPemanfaatan.PENYERTAAN_MODAL:
        return f"{phrase} berdasarkan Peraturan Daerah Nomor {line.nomor_perda}"
    text = phrase
    if line.nomor_perjanjian:
        text += f" berdasarkan Perjanjian Nomor {line.nomor_perjanjian}"
    if line.tanggal_perjanjian:
        text += f" tanggal {_date_id(line.tanggal_perjanjian)}"
    if line.jangka_waktu_tahun:
        text += f" untuk {line.jangka_waktu_tahun} ({_terbilang(line.jangka_waktu_tahun)}) tahun"
    if line.perpanjangan_ke:
        text += f" (perpanjangan ke-{line.perpanjangan_ke})"
    return text


def _rupiah(value: Decimal) -> str:
    whole = int(value)
    return "Rp" + f"{whole:,}".replace(",", ".")


def asset_lampiran_rows(pengelola: Pengelola, opd: str) -> list[dict]:
    """The Lampiran's rows: one per line with its basis in words."""
    rows = []
    for i, line in enumerate(pengelola.sentra.aset_set.all(), 1):
        rows.append({
            "no": i,
            "kib": line.jenis_kib,
            "kode_barang": line.kode_barang,
            "nup": line.nup,
            "nama": line.nama,
            "tahun": line.tahun_perolehan,
            "nilai": _rupiah(line.nilai_perolehan),
            "kondisi": line.get_kondisi_display(),
            "dasar": basis_text(line, pengelola.bentuk_hukum, opd),
        })
    return rows


# --- Agreements approaching their end -------------------------------------------------------------

def agreements_ending(queryset, *, today: date, within_days: int):
    """Lines with an agreement (sewa/KSP/pinjam pakai) whose term ends between ``today`` and ``within_days``
    from it; ``queryset`` is already in the reader's scope."""
    return (
        queryset.filter(dasar_pemanfaatan__in=AGREEMENT_BASES, berakhir_pada__gte=today,
                        berakhir_pada__lte=today + timedelta(days=within_days))
        .select_related("sentra__region")
        .order_by("berakhir_pada", "pk")
    )


# --- Import from Excel ----------------------------------------------------------------------------

IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 500  # a sentra's DAK assets are tens of lines; the bench shows the cost at the limit
_REQUIRED = {"jenis_kib", "kode_barang", "nup", "nama", "tahun_perolehan", "nilai_perolehan", "nomor_bast",
             "tanggal_bast", "opd_pemilik"}
# The columns of the import sheet, as BPKAD sees them in the template (required ones end in "*").
IMPORT_COLUMNS = [
    Column(key, title, key in _REQUIRED, hint) for key, title, hint in (
        ("jenis_kib", "Jenis KIB", "A, B, C, D, E atau F (KIB A tanah, B peralatan dan mesin, C gedung dan bangunan …)."),
        ("kode_barang", "Kode barang", "Kelompok angka dipisahkan titik, mis. 1.3.2.05.01.04.001."),
        ("nup", "NUP", "Nomor urut pendaftaran (bilangan bulat)."),
        ("nama", "Nama barang", ""),
        ("tahun_perolehan", "Tahun perolehan", "Empat angka."),
        ("nilai_perolehan", "Nilai perolehan", "Rupiah, mis. 150000000."),
        ("nomor_bast", "Nomor BAST", ""),
        ("tanggal_bast", "Tanggal BAST", "Tanggal Excel, atau TTTT-BB-HH / HH/BB/TTTT."),
        ("opd_pemilik", "OPD pemilik KIB", "OPD yang mencatat aset dalam KIB-nya."),
        ("sertifikat_tanah", "Sertifikat tanah", "Wajib untuk KIB A."),
        ("kondisi", "Kondisi", "Baik, Rusak ringan atau Rusak berat (kosong: Baik)."),
        ("dasar_pemanfaatan", "Dasar pemanfaatan",
         "penggunaan, sewa, ksp, pinjam_pakai, penyertaan_modal (atau namanya); kosong: belum ada."),
        ("nomor_perjanjian", "Nomor perjanjian", "Untuk sewa, KSP dan pinjam pakai."),
        ("tanggal_perjanjian", "Tanggal perjanjian", ""),
        ("jangka_waktu_tahun", "Jangka waktu (tahun)", "Sewa paling lama 5, KSP 30, pinjam pakai 5."),
        ("perpanjangan_ke", "Perpanjangan ke", "Kosong atau 0 untuk perjanjian pertama."),
        ("nomor_perda", "Nomor Perda", "Untuk penyertaan modal daerah."),
        ("catatan", "Catatan", ""),
    )
]


@dataclass
class ImportResult:
    saved: int = 0
    errors: list[str] | None = None


def _text(value) -> str:
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text).strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise ValueError(_("berisi karakter kendali"))
    return text


def _integer(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("bukan bilangan bulat"))
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("bukan bilangan bulat"))
        value = int(value)
    text = ascii_digits(value)
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise ValueError(_("bukan bilangan bulat yang sah"))
    return int(text)


def _decimal(value) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value)
    else:
        text = ascii_digits(value).replace(".", "").replace(",", ".")
    if not text or not text.isascii():
        raise ValueError(_("bukan angka yang sah"))
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("bukan angka yang sah")) from exc
    if not number.is_finite():
        raise ValueError(_("bukan angka yang sah"))
    return number


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("tanggal tidak dikenali (pakai TTTT-BB-HH atau HH/BB/TTTT)"))


def _choice(value, choices) -> str:
    text = _text(value).lower()
    for key, label in choices:
        if text in (str(key).lower(), str(label).lower()):
            return key
    raise ValueError(_("pilihan tidak dikenal"))


_PARSERS = {
    "jenis_kib": lambda v: _choice(_text(v).upper().removeprefix("KIB").strip(), JenisKIB.choices),
    "nup": _integer, "tahun_perolehan": _integer, "jangka_waktu_tahun": _integer,
    "perpanjangan_ke": lambda v: _integer(v) or 0,
    "nilai_perolehan": _decimal, "tanggal_bast": _date, "tanggal_perjanjian": _date,
    "kondisi": lambda v: _choice(v, KondisiAset.choices) if _text(v) else KondisiAset.BAIK,
    "dasar_pemanfaatan": lambda v: _choice(v, DasarPemanfaatan.choices) if _text(v) else DasarPemanfaatan.BELUM,
}


def import_template_xlsx() -> bytes:
    """An empty sheet with the import's header row and a sheet of notes, for BPKAD to fill in."""
    return xlsx_template(IMPORT_COLUMNS, "Aset DAK", notes=[
        "Satu baris per barang (kode barang + NUP). Baris yang kode barang dan NUP-nya sudah tercatat diperbarui.",
        "Semua baris disimpan, atau tidak satu pun bila ada kesalahan.",
    ])


def import_xlsx(*, sentra: Sentra, uploaded, user) -> ImportResult:
    """Read the sheet's lines (``core.spreadsheet.xlsx_rows``: size, package, macros, formulas and columns
    checked) and save them all, or none: every error is returned with its row number."""
    try:
        rows = xlsx_rows(uploaded, IMPORT_COLUMNS, IMPORT_MAX_ROWS, max_bytes=IMPORT_MAX_BYTES)
    except RuleViolation as exc:
        return ImportResult(errors=list(exc.messages))
    parsed: list[tuple[int, dict]] = []
    errors: list[str] = []
    titles = {col.key: col.header for col in IMPORT_COLUMNS}
    for number, row in rows:
        fields, row_errors = {}, []
        for key, value in row.items():
            try:
                fields[key] = _PARSERS.get(key, _text)(value)
            except ValueError as exc:
                row_errors.append(f"{titles[key]}: {exc}")
        if row_errors:
            errors.append(_("Baris %(n)d: %(e)s") % {"n": number, "e": "; ".join(row_errors)})
        else:
            parsed.append((number, fields))
    if errors:
        return ImportResult(errors=errors)
    if not parsed:
        return ImportResult(errors=[_("Tidak ada baris aset di bawah judul kolom.")])
    seen: dict[tuple, int] = {}
    for number, fields in parsed:
        key = (fields["kode_barang"], fields["nup"])
        if key in seen:
            errors.append(_("Baris %(n)d: kode barang dan NUP sama dengan baris %(m)d.") % {"n": number, "m": seen[key]})
        seen[key] = number
    if errors:
        return ImportResult(errors=errors)
    existing = {(a.kode_barang, a.nup): a for a in sentra.aset_set.all()}
    bentuk_hukum = _form_of(sentra)
    created = updated = 0
    try:
        with transaction.atomic():
            for number, fields in parsed:
                line = existing.get((fields["kode_barang"], fields["nup"]))
                try:
                    _line_save(line or AsetDAK(sentra=sentra), fields, user, bentuk_hukum, check_duplicate=False)
                except ValidationError as exc:
                    messages = "; ".join(
                        f"{AsetDAK._meta.get_field(f).verbose_name if f != '__all__' else ''}: {' '.join(m)}"
                        for f, m in exc.message_dict.items()
                    )
                    errors.append(_("Baris %(n)d: %(e)s") % {"n": number, "e": messages})
                    continue
                created, updated = (created + 1, updated) if line is None else (created, updated + 1)
            if errors:
                raise _Rollback
            # One event for the import; each line's own change is in its history.
            audit.event_record(
                action=Action.ASSET_LINE, actor=user, obj=sentra,
                details={"sentra": sentra.pk, "impor": True, "baru": created, "diubah": updated},
            )
    except _Rollback:
        return ImportResult(errors=errors)
    return ImportResult(saved=len(parsed))


class _Rollback(Exception):
    pass


def asset_review_rows(pengelola: Pengelola) -> list[dict]:
    """The lines as BPKAD and the other officials review them: each with its basis in words and what is
    wrong with it for this pengelola's legal form (empty when lawful)."""
    return [
        {"line": line, "dasar": basis_text(line, pengelola.bentuk_hukum, line.opd_pemilik),
         "problems": list(line_problems(line, pengelola.bentuk_hukum).values())}
        for line in pengelola.sentra.aset_set.all()
    ]
