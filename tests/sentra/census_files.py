"""Workbooks for the census tests and the benchmark: the template's columns, rows of valid members."""

import io

from openpyxl import Workbook

from sentra.census import COLUMNS

HEADERS = [c.header for c in COLUMNS]


def nik(i: int, province: str = "72") -> str:
    """A valid NIK: province, kab/kota 03, kecamatan 01, born 15-06-85, sequence ``i``."""
    return f"{province}0301150685{i:04d}"


def nib(i: int) -> str:
    return f"9120{i:09d}"


def member_row(i: int) -> list:
    return [f"Usaha Bawang {i}", f"Pemilik {i}", nik(i), nib(i), "10792", "Bawang goreng", 3, "081234567890"]


def xlsx_bytes(rows, header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS if header is None else header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
