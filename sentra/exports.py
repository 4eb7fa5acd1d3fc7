"""The register as an Excel workbook, for the province's reports; the members of sentra as Excel and CSV."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts.selectors import personal_masked
from core.spreadsheet import cell_text, cell_value

from .choices import StatusSK
from .documents.context import lokasi
from .selectors import signer_office

COLUMNS = (
    ("Nomor register", 26),
    ("Dicatat pada", 12),
    ("Status", 12),
    ("Nomor SK", 32),
    ("Tanggal SK", 12),
    ("Ditetapkan oleh", 26),
    ("Kabupaten/kota", 24),
    ("Pengelola", 36),
    ("Bentuk kelembagaan", 22),
    ("Sentra", 32),
    ("Komoditas", 20),
    ("Lokasi", 40),
    ("Jumlah pengurus", 10),
    ("Jumlah anggota IKM", 10),
    ("Referensi SRIKANDI", 20),
    ("SHA-256 PDF SK", 66),
)


def register_xlsx(entries) -> bytes:
    """The entries (with ``jumlah_pengurus``/``jumlah_anggota`` annotated) as one .xlsx sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register SK Sentra"
    sheet.append([title for title, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for sk in entries:
        sentra = sk.pengelola.sentra
        row = [
            sk.nomor_register,
            timezone.localtime(sk.dicatat_pada).date() if sk.dicatat_pada else None,
            str(StatusSK(sk.status).label),
            sk.nomor,
            sk.tanggal,
            signer_office(sk),
            str(sk.region),
            sk.pengelola.name,
            sk.pengelola.get_bentuk_hukum_display(),
            sentra.name,
            sentra.komoditas,
            lokasi(sentra),
            sk.jumlah_pengurus,
            sk.jumlah_anggota,
            sk.srikandi_ref,
            sk.sha256,
        ]
        sheet.append([cell_value(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif cell.is_date:
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the census of IKM members (sentra.census) ----------------------------------------------------

MEMBER_COLUMNS = (
    ("Kabupaten/kota", 24),
    ("Sentra", 30),
    ("Nama usaha", 30),
    ("Nama pemilik", 26),
    ("NIK pemilik", 20),
    ("NIB", 16),
    ("KBLI", 8),
    ("Produk", 26),
    ("Tenaga kerja", 10),
    ("Telepon", 16),
    ("Pengelola (usulan)", 30),
)


def anggota_rows(members, *, personal: bool):
    """Each member as a list of cell values; NIK and telephone masked unless ``personal``."""
    for member in members:
        sentra = member.sentra
        yield [
            str(sentra.region),
            sentra.name,
            member.nama_usaha,
            member.pemilik,
            member.nik_pemilik if personal else personal_masked(member.nik_pemilik),
            member.nib,
            member.kbli,
            member.produk,
            member.tenaga_kerja,
            member.telepon if personal else personal_masked(member.telepon),
            member.pengelola.name if member.pengelola_id else "",
        ]


def anggota_xlsx(members, *, personal: bool) -> bytes:
    """The members as one .xlsx sheet (openpyxl's write-only mode: rows are not kept in memory); text
    that a spreadsheet would run as a formula is stored as text (``core.spreadsheet``)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Anggota IKM")
    for index, (_, width) in enumerate(MEMBER_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title, _ in MEMBER_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in anggota_rows(members, personal=personal):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=cell_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def anggota_csv_lines(members, *, personal: bool):
    """The members as CSV lines (UTF-8 with BOM for Excel, ``;`` as Indonesian Excel expects), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    yield "\ufeff"
    for row in [[title for title, _ in MEMBER_COLUMNS]], anggota_rows(members, personal=personal):
        for values in row:
            writer.writerow([cell_text(v) for v in values])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
