"""core.spreadsheet.xlsx_rows: an uploaded .xlsx read safely into numbered rows, garbage refused in Indonesian."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.errors import RuleViolation
from core.spreadsheet import Column, xlsx_rows, xlsx_template

COLUMNS = [Column("nama", "Nama Sentra", required=True), Column("nilai", "Nilai DAK (Rp)"), Column("desa", "Desa")]


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("daftar.xlsx", buf.getvalue())


def test_rows_are_numbered_as_excel_shows_them_and_empty_rows_are_skipped():
    f = _xlsx([["Desa", "nama sentra *", "Nilai DAK (Rp)", "Lain"], ["Lolu", "  Sentra Rotan ", 1500000, "x"], [], [None, "Sentra Kain", None]])
    assert xlsx_rows(f, COLUMNS, max_rows=10) == [
        (2, {"nama": "Sentra Rotan", "nilai": 1500000, "desa": "Lolu"}),
        (4, {"nama": "Sentra Kain", "nilai": None, "desa": None}),
    ]


def test_the_template_reads_back_with_no_rows():
    data = xlsx_template(COLUMNS, "Sentra DAK", notes=["=catatan"])
    assert xlsx_rows(SimpleUploadedFile("t.xlsx", data), COLUMNS, max_rows=10) == []
    wb = load_workbook(io.BytesIO(data))
    assert [c.value for c in wb.worksheets[0][1]] == ["Nama Sentra *", "Nilai DAK (Rp)", "Desa"]
    assert "'=catatan" in [row[0] for row in wb["Petunjuk"].iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "content, words",
    [
        (b"nama,nilai\nA,1\n", "bukan lembar kerja Excel"),
        (b"%PDF-1.4 ...", "bukan lembar kerja Excel"),
        (b"PK\x03\x04garbage", "bukan lembar kerja Excel"),
        (b"", "kosong"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(content, words):
    with pytest.raises(RuleViolation) as err:
        xlsx_rows(SimpleUploadedFile("daftar.xlsx", content), COLUMNS, max_rows=10)
    assert words in err.value.messages[0]


def test_a_zip_that_is_not_a_workbook_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(RuleViolation, match="bukan lembar kerja Excel"):
        xlsx_rows(SimpleUploadedFile("x.xlsx", buf.getvalue()), COLUMNS, max_rows=10)


def test_a_formula_is_refused_naming_row_and_column():
    f = _xlsx([["Nama Sentra"], ["A"], ["=1+1"]])
    with pytest.raises(RuleViolation) as err:
        xlsx_rows(f, COLUMNS, max_rows=10)
    assert err.value.messages[0].startswith("Baris 3, kolom A: sel berisi rumus")


def test_missing_required_column_too_many_rows_and_oversize_are_refused():
    with pytest.raises(RuleViolation, match="Kolom wajib tidak ditemukan di baris judul: Nama Sentra"):
        xlsx_rows(_xlsx([["Desa"], ["x"]]), COLUMNS, max_rows=10)
    with pytest.raises(RuleViolation, match="paling banyak 2 baris"):
        xlsx_rows(_xlsx([["Nama Sentra"], ["a"], ["b"], ["c"]]), COLUMNS, max_rows=2)
    with pytest.raises(RuleViolation, match="terlalu besar"):
        xlsx_rows(_xlsx([["Nama Sentra"], ["a"]]), COLUMNS, max_rows=2, max_bytes=100)
    with pytest.raises(RuleViolation, match="baris judul kolom tidak ditemukan"):
        xlsx_rows(_xlsx([]), COLUMNS, max_rows=2)


def test_xml_with_an_entity_declaration_is_refused():
    data = _xlsx([["Nama Sentra"], ["a"]]).read()
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
            z.writestr(info, body)
    with pytest.raises(RuleViolation, match="deklarasi XML"):
        xlsx_rows(SimpleUploadedFile("x.xlsx", out.getvalue()), COLUMNS, max_rows=10)
