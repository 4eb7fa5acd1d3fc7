"""Evidence for auditors: the timeline as CSV and as a PDF report, and a ZIP evidence package."""

import csv
import io
import json
import zipfile

from django.utils import timezone
from fpdf import FPDF

from audit.models import GENESIS_HASH
from audit.services import chain_head
from core.spreadsheet import cell_text
from core.text import latin1


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S WITA")


def _entry_rows(timeline: dict):
    for e in timeline["entries"]:
        diffs = "; ".join(f"{label}: {old} -> {new}" for label, old, new in e.diffs)
        details = json.dumps(e.details, ensure_ascii=False, sort_keys=True) if e.details else ""
        yield [_local(e.at), e.kind, e.title, e.actor, e.role, e.capacity, e.note, diffs, details,
               e.seq or "", e.hash]


HEADER = ["waktu", "jenis", "peristiwa", "pelaku", "peran", "kapasitas", "catatan", "perubahan data", "rincian",
          "no. urut audit", "hash"]


def timeline_csv(timeline: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in _entry_rows(timeline):
        writer.writerow([cell_text(cell) for cell in row])
    return out.getvalue()


def _section(pdf: FPDF, title: str, lines: list[str]) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for line in lines:
        pdf.multi_cell(0, 5, latin1(line), new_x="LMARGIN", new_y="NEXT")


def timeline_pdf(timeline: dict) -> bytes:
    """A readable report: the proposal, its SKs, documents with hashes, and every timeline entry."""
    process = timeline["process"]
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, latin1(f"Laporan audit usulan #{process.pk}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    lines = [
        f"Pengelola: {process.pengelola.name} ({process.pengelola.get_bentuk_hukum_display()})",
        f"Sentra: {process.pengelola.sentra.name}",
        f"Wilayah: {process.region}",
        f"Tahap: {process.get_tahap_display()}",
        f"Dicetak: {_local(timezone.now())}",
    ]
    seq, head = chain_head()
    lines.append(f"Kepala rantai audit: #{seq} {head}")
    for line in lines:
        pdf.multi_cell(0, 6, latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _section(pdf, "SK", [
        f"Nomor SK {sk.nomor}, {sk.tanggal:%d-%m-%Y}, {sk.get_penandatangan_kapasitas_display()} "
        f"{sk.penandatangan_nama}, status {sk.get_status_display()}, register {sk.nomor_register or '-'}, "
        f"SHA-256 {sk.sha256}"
        for sk in timeline["sk_list"]
    ])
    _section(pdf, "Dokumen", [
        f"{d.get_jenis_display()}{' (diganti)' if d.superseded else ''}: {d.original_name}, "
        f"{d.uploaded_by}, {_local(d.uploaded_at)}, SHA-256 {d.sha256}"
        for d in timeline["documents"]
    ])
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Linimasa", new_x="LMARGIN", new_y="NEXT")
    for e in timeline["entries"]:
        pdf.set_font("Helvetica", "B", 9)
        who = ", ".join(x for x in (e.actor, e.role, e.capacity) if x)
        pdf.multi_cell(0, 5, latin1(f"{_local(e.at)}  {e.title}  [{who}]"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=8)
        if e.note:
            pdf.multi_cell(0, 4, latin1(f"Catatan: {e.note}"), new_x="LMARGIN", new_y="NEXT")
        for label, old, new in e.diffs[:40]:
            pdf.multi_cell(0, 4, latin1(f"  {label}: {old[:80]} -> {new[:80]}"), new_x="LMARGIN", new_y="NEXT")
        if e.details:
            pdf.multi_cell(0, 4, latin1(json.dumps(e.details, ensure_ascii=False, sort_keys=True)[:400]),
                           new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def evidence_zip(timeline: dict) -> bytes:
    """PDF report, events as JSON, the documents and signed SKs, their hashes, and the chain values."""
    events = timeline["events"]
    buffer = io.BytesIO()
    seq, head = chain_head()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("laporan.pdf", timeline_pdf(timeline))
        archive.writestr("linimasa.csv", timeline_csv(timeline))
        archive.writestr("peristiwa.json", json.dumps(
            [{**e.canonical(), "prev_hash": e.prev_hash, "hash": e.hash} for e in events],
            ensure_ascii=False, indent=1, default=str))
        hashes = []
        for d in timeline["documents"]:
            name = f"dokumen/{d.pk}-{d.jenis}.pdf"
            with d.file.open("rb") as handle:
                archive.writestr(name, handle.read())
            hashes.append(f"{d.sha256}  {name}")
        for sk in timeline["sk_list"]:
            name = f"sk/{sk.pk}-sk.pdf"
            with sk.file.open("rb") as handle:
                archive.writestr(name, handle.read())
            hashes.append(f"{sk.sha256}  {name}")
        archive.writestr("SHA256SUMS", "\n".join(hashes) + "\n")
        archive.writestr("rantai.json", json.dumps({
            "algoritma": "hash = sha256(prev_hash + '\\n' + json(peristiwa, sort_keys, separators=(',', ':')))",
            "genesis": GENESIS_HASH,
            "kepala_rantai": {"seq": seq, "hash": head},
            "peristiwa_usulan": [{"seq": e.seq, "prev_hash": e.prev_hash, "hash": e.hash} for e in events],
        }, indent=1))
    return buffer.getvalue()
