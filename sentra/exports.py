"""The register as an Excel workbook, for the province's reports."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheet import cell_value

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
