"""The default Word template of the draft SK, built with python-docx (``manage.py build_sk_template``).

The result, ``sentra/templates_sk/default.docx``, is shipped with the application. It is an ordinary
Word file with docxtpl (Jinja) tags: a kab/kota copies it, changes the wording or the layout in
Word, keeps the tags it needs and uploads it in the admin ("Template rancangan SK"). Its blocks
are those of ``layout.SK_LAYOUT``, which the PDF follows too.

"Mengingat" is filled from the legal basis Bagian Hukum keeps per region and legal form in the admin
(``produk_hukum.DasarHukum``), not written in the template. Tags available (see ``context.sk_draft_context``): ``kepala_daerah``, ``provinsi``, ``judul``,
``nomor``, ``tentang``, ``menimbang``/``mengingat`` (rows of ``label``, ``colon``, ``marker``, ``text``),
``menetapkan``, ``diktum`` (rows of ``label``, ``colon``, ``text``), ``tempat``, ``tanggal``,
``ttd.jabatan`` (two lines for "a.n."), ``ttd.nama``, ``tembusan``, ``kantor.dinas_perindustrian``,
``kantor.bpkad``, ``kantor.bappeda``, ``kantor.bagian_hukum``, ``kantor.sekretariat_daerah`` (the region's
offices as named in the admin), ``pengelola``, ``pengelola_kapital``, ``sentra``,
``sentra_kapital``, ``wilayah``, ``pengurus`` (``no``, ``nama``, ``jabatan``), ``anggota`` (``no``,
``nama_usaha``, ``pemilik``, ``nib``, ``kbli``, ``produk``, ``tenaga_kerja``) and ``aset`` (BPKAD's DAK
asset lines: ``no``, ``kib``, ``kode_barang``, ``nup``, ``nama``, ``tahun``, ``nilai``, ``kondisi``, ``dasar``);
``lampiran_susunan`` and ``lampiran_aset`` say whether the Keputusan has Lampiran I–II and Lampiran III.
"""

import math
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import layout

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "templates_sk" / "default.docx"

FONT = "Arial"  # the usual face of naskah dinas; Word substitutes where it is missing


def _paragraph(doc, text="", *, bold=False, align=None, indent_cm=0.0, size=None):
    paragraph = doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size is not None:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if indent_cm:
        paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.space_after = Pt(0)


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _table(doc, rows: list[list[str]], widths_cm, *, grid=False):
    """A centred table of ``rows``; with ``grid``, ruled and with the first row in bold."""
    table = doc.add_table(rows=len(rows), cols=len(widths_cm))
    if grid:
        table.style = "Table Grid"
    else:
        _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            if grid and r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _loop_rows(loop: str, keys: tuple[str, ...]) -> list[list[str]]:
    """A row of ``row.<key>`` tags that docxtpl repeats for each item of ``loop`` (``{%tr %}`` rows)."""
    padding = [""] * (len(keys) - 1)
    return [
        [f"{{%tr for row in {loop} %}}", *padding],
        [f"{{{{ row.{key} }}}}" for key in keys],
        ["{%tr endfor %}", *padding],
    ]


def _render(doc, block: layout.Block):
    match block:
        case layout.Center(text, bold, size):
            _paragraph(doc, layout.as_tags(text), bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
        case layout.Paragraph(text, bold, indent_cm):
            _paragraph(doc, layout.as_tags(text), bold=bold, indent_cm=indent_cm)
        case layout.Blank(lines, indent_cm):
            for _ in range(math.ceil(lines)):
                _paragraph(doc, indent_cm=indent_cm)
        case layout.KeepTogether():
            pass
        case layout.LabelledRows(loop, keys, widths_cm, lead):
            if lead:
                _table(doc, [[layout.as_tags(text) for text in lead]], widths_cm)
            _table(doc, _loop_rows(loop, keys), widths_cm)
        case layout.NumberedList(loop):
            for text in (f"{{%p for t in {loop} %}}", "{{ loop.index }}. {{ t }}", "{%p endfor %}"):
                _paragraph(doc, text)
        case layout.Grid(loop, header, keys, widths_cm):
            _table(doc, [list(header), *_loop_rows(loop, keys)], widths_cm, grid=True)
        case layout.PageBreak():
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        case layout.When(key, blocks):
            _paragraph(doc, f"{{%p if {key} %}}")
            for inner in blocks:
                _render(doc, inner)
            _paragraph(doc, "{%p endif %}")
        case _:
            raise TypeError(f"no Word rendering for {block!r}")


def sk_template_build(path: Path = DEFAULT_TEMPLATE) -> Path:
    """Write the default template to ``path`` and return it."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    margins = layout.MARGINS_CM
    section.left_margin, section.right_margin = Cm(margins["left"]), Cm(margins["right"])
    section.top_margin, section.bottom_margin = Cm(margins["top"]), Cm(margins["bottom"])
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(layout.BODY_PT)
    style.paragraph_format.space_after = Pt(0)

    for block in layout.SK_LAYOUT:
        _render(doc, block)

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path
