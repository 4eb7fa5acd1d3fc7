"""Cells a spreadsheet program will never run as a formula (CSV/formula injection).

A text starting with ``= + - @``, a tab or a carriage return is read as a formula by Excel and
LibreOffice; such text gets a leading apostrophe and stays text. Used by every CSV and Excel export.

Reading: ``xlsx_rows`` yields the rows of an uploaded workbook (openpyxl, read-only), formulas marked
and never evaluated, after ``xlsx_check`` has refused what is not a sane .xlsx.
"""

import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    """``value`` as text for a CSV cell, neutralised if it looks like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value):
    """``value`` for an Excel cell: text that looks like a formula is neutralised, other types are kept."""
    return cell_text(value) if isinstance(value, str) else value


# --- reading ------------------------------------------------------------------------------------

# A .xlsx is a zip of XML: its parts, unpacked, may not exceed this (a "zip bomb" of a few KB would
# otherwise unpack to gigabytes inside openpyxl).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class SpreadsheetError(ValueError):
    """A file that is not a readable .xlsx workbook; the message is for the user (Indonesian)."""


def xlsx_check(file) -> None:
    """Refuse what openpyxl should never be asked to open: not a zip, no workbook part, too big unpacked."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SpreadsheetError(_("Berkas ini bukan buku kerja Excel (.xlsx). Simpan ulang sebagai .xlsx.")) from exc
    finally:
        file.seek(0)
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError(_("Berkas ini bukan buku kerja Excel (.xlsx). Simpan ulang sebagai .xlsx."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(_("Isi berkas Excel ini terlalu besar untuk diimpor."))


def xlsx_rows(file, *, max_rows: int, header_rows: int = 0) -> Iterator[tuple[int, tuple]]:
    """The rows of the first sheet of ``file`` (a .xlsx) as ``(row number, cells)``, read with openpyxl
    in read-only mode (constant memory whatever the number of rows).

    A cell is its value (``str``, ``int``, ``float``, ``datetime``, ``bool`` or ``None``), except a
    formula, which is a ``Formula`` (never evaluated). Rows with every cell empty are skipped. More than
    ``max_rows`` rows after the first ``header_rows`` raise ``SpreadsheetError``, as does a file openpyxl
    cannot read.
    """
    from openpyxl import load_workbook

    xlsx_check(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, XML errors… on a damaged file
        raise SpreadsheetError(_("Berkas Excel ini rusak atau tidak dapat dibaca. Simpan ulang sebagai .xlsx.")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SpreadsheetError(_("Berkas Excel ini tidak berisi lembar kerja."))
        seen = 0
        try:
            for number, row in enumerate(sheet.iter_rows(), 1):
                cells = tuple(Formula(c.value) if c.data_type == "f" else c.value for c in row)
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                    continue
                seen += 1
                if seen > max_rows + header_rows:
                    raise SpreadsheetError(
                        _("Berkas ini berisi lebih dari %(max)d baris; bagi menjadi beberapa berkas.") % {"max": max_rows}
                    )
                yield number, cells
        except SpreadsheetError:
            raise
        except Exception as exc:
            raise SpreadsheetError(_("Berkas Excel ini rusak atau tidak dapat dibaca. Simpan ulang sebagai .xlsx.")) from exc
    finally:
        workbook.close()


class Formula(str):
    """A cell holding a formula (its text, ``=…``): read as such, never evaluated."""
