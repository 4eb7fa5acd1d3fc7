"""The service-level report as an Excel workbook and as inline charts (the dashboard's SVG bars)."""

import io

from django.utils import timezone
from django.utils.safestring import SafeString
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheet import cell_value

from .charts import PALETTE, Series, hbar_chart


def _sheet(workbook, title: str, header: list[str], rows: list[list], widths: list[int], *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        sheet.append([cell_value(v) for v in row])
    return sheet


def service_levels_xlsx(report: dict) -> bytes:
    """Three sheets: per step, overdue tasks with their holder, per official. Text that looks like a
    formula is stored as text (``core.spreadsheet``)."""
    workbook = Workbook()
    region = str(report["region"]) if report["region"] else "Semua dalam cakupan"
    _sheet(
        workbook, "Per langkah",
        ["Langkah", "Selesai", "Median (hari kerja)", "Persentil 90 (hari kerja)", "Selesai terlambat",
         "Terbuka", "Terlambat (terbuka)", "Periode", "Wilayah"],
        [[r.title, r.finished, r.median, r.p90, r.late, r.open, r.overdue,
          f"{report['date_from']:%d-%m-%Y} s.d. {report['date_to']:%d-%m-%Y}", region] for r in report["steps"]],
        [40, 10, 18, 22, 16, 10, 18, 26, 30], first=True,
    )
    _sheet(
        workbook, "Tugas terlambat",
        ["Usulan", "Pengelola", "Kabupaten/kota", "Langkah", "Pemegang", "Jatuh tempo", "Terlambat (hari kerja)"],
        [[o.task.process_id, o.task.process.legalisasiprocess.pengelola.name, str(o.task.process.legalisasiprocess.region),
          o.step_title, o.holder, o.due_on, o.days_late] for o in report["overdue"]],
        [10, 40, 24, 36, 30, 14, 22],
    )
    _sheet(
        workbook, "Per pejabat",
        ["Pejabat", "Tugas selesai", "Median (hari kerja)", "Selesai terlambat"],
        [[o.name, o.finished, o.median, o.late] for o in report["officials"]],
        [36, 14, 18, 18],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def service_levels_filename(report: dict) -> str:
    return f"kinerja-layanan-{report['date_from']:%Y%m%d}-{report['date_to']:%Y%m%d}-{timezone.localdate():%Y%m%d}.xlsx"


def service_level_charts(report: dict) -> list[SafeString]:
    """Two bar charts: the median and 90th percentile per step; open and overdue tasks per step."""
    steps = [r for r in report["steps"] if r.finished or r.open]
    if not steps:
        return []
    categories = [r.title if len(r.title) <= 24 else r.title[:23] + "…" for r in steps]  # the chart's label column
    times = hbar_chart(
        chart_id="chart-lama",
        title="Lama per langkah (hari kerja)",
        categories=categories,
        series=[
            Series("Median", [r.median or 0 for r in steps], PALETTE[0]),
            Series("Persentil 90", [r.p90 or 0 for r in steps], PALETTE[1]),
        ],
        stacked=False,
    )
    backlog = hbar_chart(
        chart_id="chart-terbuka",
        title="Tugas terbuka per langkah",
        categories=categories,
        series=[
            Series("Tepat waktu", [r.open - r.overdue for r in steps], PALETTE[2]),
            Series("Terlambat", [r.overdue for r in steps], PALETTE[5]),
        ],
        stacked=True,
        notes=[f"{r.overdue} terlambat" if r.overdue else "" for r in steps],
    )
    return [times, backlog]
