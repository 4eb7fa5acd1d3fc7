"""PDFs made by the application itself, in pure Python (fpdf2): the draft SK and the register entry summary.

The PDF core fonts cover Latin-1, which is all Indonesian needs; any other character a user typed
(a long dash, curly quotes) is folded to its nearest Latin-1 form so that nothing fails to print.
"""

from __future__ import annotations

import io

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.text import latin1

from . import layout

FONT = "Times"
LINE = 5.2  # mm per line of 11 pt text

def _mm(cm: float) -> float:
    return round(cm * 10, 3)


class _Document(FPDF):
    footer_text = ""

    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        margins = layout.MARGINS_CM
        self.set_margins(_mm(margins["left"]), _mm(margins["top"]), _mm(margins["right"]))
        self.set_auto_page_break(True, margin=18)
        self.set_creator("SK Sentra")

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "I", 8)
        self.cell(0, 5, latin1(f"{self.footer_text} - halaman {self.page_no()}/{{nb}}"), align="C")

    # Building blocks -------------------------------------------------------------------------------

    def line_center(self, text, *, bold=True, size=11):
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, LINE, latin1(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text, *, bold=False, indent=0.0, align="J"):
        self.set_font(FONT, "B" if bold else "", 11)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, LINE, latin1(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def gap(self, lines=1.0):
        self.ln(LINE * lines)

    def labelled_rows(self, rows: list[dict], widths: tuple[float, ...], keys: tuple[str, ...], align="J"):
        """Rows like "Menimbang : a. bahwa …": short columns on the left, the wrapped text in the last."""
        self.set_font(FONT, "", 11)
        for row in rows:
            if self.will_page_break(LINE * 2):
                self.add_page()
            x = self.l_margin
            y = self.get_y()
            for key, width in zip(keys[:-1], widths[:-1], strict=True):
                self.set_xy(x, y)
                self.cell(width, LINE, latin1(row.get(key, "")))
                x += width
            self.set_xy(x, y)
            if row.get("mono"):  # a hash: on one line, so that it can be read and compared as a whole
                self.set_font("Courier", "", 8)
            self.multi_cell(
                self.epw - (x - self.l_margin),
                LINE,
                latin1(row[keys[-1]]),
                align=row.get("align", align),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            self.set_font(FONT, "", 11)
            self.ln(0.8)

    def grid(self, header: tuple[str, ...], rows: list[list], widths: tuple[float, ...]):
        self.set_font(FONT, "", 10)
        with self.table(
            width=sum(widths), col_widths=widths, line_height=LINE, text_align="LEFT", first_row_as_headings=True
        ) as table:
            head = table.row()
            for title in header:
                head.cell(latin1(title))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(latin1(value))


def _render(pdf: _Document, block: layout.Block, context: dict):
    match block:
        case layout.Center(text, bold, size):
            pdf.line_center(layout.fill(text, context), bold=bold, size=size or layout.BODY_PT)
        case layout.Paragraph(text, bold, indent_cm):
            pdf.paragraph(layout.fill(text, context), bold=bold, indent=_mm(indent_cm), align="L")
        case layout.Blank(lines):
            pdf.gap(lines)
        case layout.KeepTogether(lines):
            if pdf.will_page_break(LINE * lines):
                pdf.add_page()
        case layout.LabelledRows(loop, keys, widths_cm, lead):
            rows = context[loop]
            if lead:
                first = dict(zip(keys, (layout.fill(text, context) for text in lead), strict=True))
                rows = [{**first, "align": "L"}, *rows]
            pdf.labelled_rows(rows, tuple(map(_mm, widths_cm)), keys)
        case layout.NumberedList(loop):
            for i, item in enumerate(context[loop], 1):
                pdf.paragraph(f"{i}. {item}", align="L")
        case layout.Grid(loop, header, keys, widths_cm):
            pdf.grid(header, [[row[key] for key in keys] for row in context[loop]], tuple(map(_mm, widths_cm)))
        case layout.PageBreak():
            pdf.add_page()
        case layout.When(key, blocks):
            if context[key]:
                for inner in blocks:
                    _render(pdf, inner, context)
        case _:
            raise TypeError(f"no PDF rendering for {block!r}")


def sk_draft_pdf(context: dict) -> bytes:
    """The draft SK as a PDF: the blocks of ``layout.SK_LAYOUT`` filled with ``context``, as in the DOCX."""
    pdf = _Document()
    pdf.footer_text = ("Rancangan " if context["is_draft"] else "") + context["judul"]
    pdf.set_title(latin1(f"{context['judul']} tentang {context['tentang']}"))
    pdf.alias_nb_pages()
    pdf.add_page()
    for block in layout.SK_LAYOUT:
        _render(pdf, block, context)
    return bytes(pdf.output())


def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as PNG, with the quiet zone readers need."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def register_summary_pdf(entry: dict, verify_url: str, *, issuer: str = "") -> bytes:
    """One page that proves a register entry: its data, the SK's SHA-256 and a QR code to check it online.

    ``issuer``: the provincial office that keeps the register, as the province names it.
    """
    pdf = _Document()
    pdf.footer_text = f"Register {entry['nomor_register']}"
    pdf.set_title(latin1(f"Tanda pencatatan {entry['nomor_register']}"))
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.line_center((issuer or f"Dinas Perindustrian dan Perdagangan {entry['provinsi']}").upper(), size=12)
    pdf.gap(0.5)
    pdf.line_center("TANDA PENCATATAN DALAM REGISTER PROVINSI")
    pdf.line_center("KELEMBAGAAN PENGELOLA SENTRA INDUSTRI KECIL DAN INDUSTRI MENENGAH", bold=False)
    pdf.gap()
    rows = [
        ("Nomor register", entry["nomor_register"]),
        ("Dicatat pada", entry["dicatat_pada"]),
        ("Status", entry["status"]),
        ("Nomor SK", entry["nomor"]),
        ("Tanggal SK", entry["tanggal"]),
        ("Ditetapkan oleh", entry["penandatangan"]),
        ("Pengelola", entry["pengelola"]),
        ("Bentuk kelembagaan", entry["bentuk_hukum"]),
        ("Sentra", entry["sentra"]),
        ("Lokasi", entry["lokasi"]),
        ("Kabupaten/kota", entry["wilayah"]),
        ("SHA-256 PDF SK", entry["sha256"]),
    ]
    pdf.labelled_rows(
        [{"label": label, "colon": ":", "text": value, "mono": label.startswith("SHA")} for label, value in rows],
        (45.0, 5.0, 0.0),
        ("label", "colon", "text"),
        align="L",
    )
    pdf.gap()
    size = 45
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(verify_url)), x=pdf.l_margin, y=top, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 5, top + 4)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        pdf.epw - size - 5,
        LINE,
        latin1(
            "Pindai kode QR ini atau buka alamat di bawah untuk memeriksa keaslian SK pada register provinsi. "
            "Bandingkan SHA-256 berkas PDF SK yang Anda pegang dengan yang tertera di halaman verifikasi."
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_x(pdf.l_margin + size + 5)
    pdf.set_font("Courier", "", 8)
    pdf.multi_cell(pdf.epw - size - 5, 4, latin1(verify_url), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
