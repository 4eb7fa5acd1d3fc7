"""Spreadsheets in and out: the formula guard of every export, and the safe reader of an uploaded .xlsx.

Out (exports): a text starting with ``= + - @``, a tab or a carriage return is read as a formula by Excel
and LibreOffice; such text gets a leading apostrophe and stays text (``cell_text``, ``cell_value``).

In (imports, e.g. the DAK sentra register, the census of IKM members):

- ``xlsx_template(columns, sheet_title, notes)`` -> bytes of an .xlsx with one header row (the
  columns' Indonesian headers) and a second sheet of notes, for users to fill in;
- ``xlsx_rows(uploaded_file, columns, max_rows)`` -> ``[(row_number, {key: value}), ...]``: the filled
  rows under the header (row numbers as Excel shows them; empty rows skipped). Values are ``None``
  (empty cell), ``str`` (stripped), ``int``/``float``/``bool`` or ``datetime``. Validating each value is the
  caller's job (a form per row, so that its report names the row and column).

``xlsx_rows`` refuses, with a ``RuleViolation`` in Indonesian and before any row is read: a file over
``max_bytes``, anything that is not an Office Open XML workbook (by its bytes, never by its name), a
macro-enabled workbook, a zip bomb (declared uncompressed size), XML with a DOCTYPE/ENTITY, a workbook
whose header lacks a required column, more than ``max_rows`` filled rows, and any cell holding a formula
(the value a formula shows is not in the file we read, and must not be trusted).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.errors import RuleViolation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_COLUMNS = 60


def cell_text(value) -> str:
    """``value`` as text for a CSV cell, neutralised if it looks like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value):
    """``value`` for an Excel cell: text that looks like a formula is neutralised, other types are kept."""
    return cell_text(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Column:
    """One column of an import: the key of the row dict, the header users see, whether it is required."""

    key: str
    header: str
    required: bool = False
    help: str = ""


def _norm(header) -> str:
    return " ".join(str(header or "").replace("*", " ").split()).casefold()


def xlsx_template(columns: list[Column], sheet_title: str, notes: list[str] = ()) -> bytes:
    """An empty import template: bold headers (required ones end in ``*``) and a sheet of notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header + (" *" if col.required else ""))
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(i)].width = max(14, len(col.header) + 4)
    ws.freeze_panes = "A2"
    info = wb.create_sheet("Petunjuk")
    info.column_dimensions["A"].width = 40
    info.column_dimensions["B"].width = 90
    info.append(["Kolom", "Keterangan"])
    for col in columns:
        info.append([col.header + (" *" if col.required else ""), cell_value(col.help)])
    info.append([])
    for line in notes:
        info.append([cell_value(line)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read_bytes(uploaded_file, max_bytes: int) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise RuleViolation(_too_big(max_bytes), code="too_big")
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RuleViolation(_too_big(max_bytes), code="too_big")
    if not data:
        raise RuleViolation("Berkas kosong.", code="empty")
    return data


def _too_big(max_bytes: int) -> str:
    return f"Berkas terlalu besar (paling besar {max_bytes // (1024 * 1024)} MB)."


NOT_XLSX = "Berkas bukan lembar kerja Excel (.xlsx). Simpan berkas sebagai \"Excel Workbook (.xlsx)\" lalu unggah lagi."


def _check_package(data: bytes) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise RuleViolation(NOT_XLSX, code="not_xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise RuleViolation(NOT_XLSX, code="not_xlsx") from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise RuleViolation(NOT_XLSX, code="not_xlsx")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise RuleViolation("Berkas berisi makro; gunakan lembar kerja biasa (.xlsx) tanpa makro.", code="macro")
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise RuleViolation("Isi berkas terlalu besar setelah diekstrak.", code="too_big")
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(info) as member:
                head = member.read(4096)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            raise RuleViolation(NOT_XLSX, code="not_xlsx") from None
        if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
            raise RuleViolation("Berkas berisi deklarasi XML yang tidak diizinkan.", code="xml_dtd")


def _clean(value):
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, (bool, int, float, datetime, date)):
        return value
    return str(value)


def xlsx_rows(
    uploaded_file,
    columns: list[Column],
    max_rows: int,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[tuple[int, dict]]:
    """The filled rows of the first sheet of an uploaded .xlsx, keyed by ``Column.key``.

    The first non-empty row is the header; columns are matched by header text (case, spaces and a
    trailing ``*`` ignored), in any order; extra columns are ignored. Raises ``RuleViolation``
    (Indonesian message) for a file that cannot be trusted or does not fit; see the module's docstring.
    """
    data = _read_bytes(uploaded_file, max_bytes)
    _check_package(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged package
        raise RuleViolation(NOT_XLSX, code="not_xlsx") from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise RuleViolation("Lembar kerja kosong.", code="empty")
        header_at: dict[str, int] | None = None
        rows: list[tuple[int, dict]] = []
        try:
            for number, cells in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
                for cell in cells:
                    if getattr(cell, "data_type", None) == "f":
                        raise RuleViolation(
                            f"Baris {number}, kolom {get_column_letter(cell.column)}: sel berisi rumus; "
                            "isi dengan nilai, bukan rumus.",
                            code="formula",
                        )
                values = [_clean(getattr(cell, "value", None)) for cell in cells]
                if all(v is None for v in values):
                    continue
                if header_at is None:
                    header_at = _header(values, columns)
                    continue
                if len(rows) >= max_rows:
                    raise RuleViolation(
                        f"Terlalu banyak baris: paling banyak {max_rows} baris data per berkas.", code="too_many"
                    )
                rows.append(
                    (number, {col.key: (values[i] if i < len(values) else None) for col, i in _pairs(columns, header_at)})
                )
        except RuleViolation:
            raise
        except Exception:
            raise RuleViolation(NOT_XLSX, code="not_xlsx") from None
        if header_at is None:
            raise RuleViolation("Lembar kerja kosong: baris judul kolom tidak ditemukan.", code="empty")
        return rows
    finally:
        wb.close()


def _pairs(columns, header_at):
    return [(col, header_at[col.key]) for col in columns if col.key in header_at]


def _header(values: list, columns: list[Column]) -> dict[str, int]:
    found = {_norm(v): i for i, v in enumerate(values) if v is not None}
    header_at = {col.key: found[_norm(col.header)] for col in columns if _norm(col.header) in found}
    missing = [col.header for col in columns if col.required and col.key not in header_at]
    if missing:
        raise RuleViolation(
            "Kolom wajib tidak ditemukan di baris judul: " + ", ".join(missing)
            + ". Gunakan templat yang disediakan.",
            code="columns",
        )
    return header_at


def xlsx_check(uploaded_file, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """The checks of ``xlsx_rows`` that come before any row is read (size, package, macros, zip bomb,
    DOCTYPE), for an upload whose rows are read later by a job: ``RuleViolation`` in Indonesian."""
    _check_package(_read_bytes(uploaded_file, max_bytes))
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
