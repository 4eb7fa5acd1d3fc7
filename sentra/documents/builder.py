"""The default Word template of the draft SK, built with python-docx (``manage.py build_sk_template``).

The result, ``sentra/templates_sk/default.docx``, is shipped with the application. It is an ordinary
Word file with docxtpl (Jinja) tags: a kab/kota copies it, changes the wording or the layout in
Word, keeps the tags it needs and uploads it in the admin ("Template rancangan SK").

Tags available (see ``context.sk_draft_context``): ``kepala_daerah``, ``provinsi``, ``judul``,
``nomor``, ``tentang``, ``menimbang``/``mengingat`` (rows of ``label``, ``colon``, ``marker``, ``text``),
``menetapkan``, ``diktum`` (rows of ``label``, ``colon``, ``text``), ``tempat``, ``tanggal``,
``ttd.jabatan``, ``ttd.nama``, ``tembusan``, ``pengelola``, ``sentra``, ``wilayah``, ``pengurus``
(``no``, ``nama``, ``jabatan``) and ``anggota`` (``no``, ``nama_usaha``, ``pemilik``, ``nib``, ``kbli``,
``produk``, ``tenaga_kerja``).
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "templates_sk" / "default.docx"

FONT = "Arial"  # the usual face of naskah dinas; Word substitutes where it is missing
SIGNATURE_INDENT = Cm(9)


def _paragraph(doc, text="", *, bold=False, align=None, indent=None, space_after=0):
    paragraph = doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
    if align is not None:
        paragraph.alignment = align
    if indent is not None:
        paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _center(doc, text, *, bold=True):
    return _paragraph(doc, text, bold=bold, align=WD_ALIGN_PARAGRAPH.CENTER)


def _no_borders(table):
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _loop_table(doc, loop: str, cells: list[str], widths, *, header: list[str] | None = None, grid=False):
    """A table whose middle row repeats for each item of ``loop`` (docxtpl ``{%tr %}`` rows)."""
    rows = [] if header is None else [header]
    rows += [
        [f"{{%tr for row in {loop} %}}"] + [""] * (len(cells) - 1),
        cells,
        ["{%tr endfor %}"] + [""] * (len(cells) - 1),
    ]
    table = doc.add_table(rows=len(rows), cols=len(cells))
    if grid:
        table.style = "Table Grid"
    else:
        _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            if header is not None and r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    _widths(table, widths)
    return table


def _signature(doc):
    _paragraph(doc, "{{ ttd.jabatan }},", bold=True, indent=SIGNATURE_INDENT)
    for _ in range(3):
        _paragraph(doc, indent=SIGNATURE_INDENT)
    _paragraph(doc, "{{ ttd.nama }}", bold=True, indent=SIGNATURE_INDENT)


def _lampiran_heading(doc, roman: str):
    for text in (
        f"LAMPIRAN {roman}",
        "{{ judul }}",
        "NOMOR : {{ nomor }}",
        "TANGGAL : {{ tanggal }}",
        "TENTANG : {{ tentang }}",
    ):
        _paragraph(doc, text, indent=Cm(8))
    _paragraph(doc)


def _page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def sk_template_build(path: Path = DEFAULT_TEMPLATE) -> Path:
    """Write the default template to ``path`` and return it."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(0)

    _center(doc, "{{ kepala_daerah }}")
    _center(doc, "{{ provinsi }}")
    _paragraph(doc)
    _center(doc, "{{ judul }}")
    _center(doc, "NOMOR {{ nomor }}", bold=False)
    _paragraph(doc)
    _center(doc, "TENTANG", bold=False)
    _paragraph(doc)
    _center(doc, "{{ tentang }}")
    _paragraph(doc)
    _center(doc, "DENGAN RAHMAT TUHAN YANG MAHA ESA")
    _paragraph(doc)
    _center(doc, "{{ kepala_daerah }},")
    _paragraph(doc)

    label_widths = (Cm(2.6), Cm(0.5), Cm(0.9), Cm(12.5))
    _loop_table(
        doc, "menimbang", ["{{ row.label }}", "{{ row.colon }}", "{{ row.marker }}", "{{ row.text }}"], label_widths
    )
    _paragraph(doc)
    _loop_table(
        doc, "mengingat", ["{{ row.label }}", "{{ row.colon }}", "{{ row.marker }}", "{{ row.text }}"], label_widths
    )
    _paragraph(doc)
    _center(doc, "MEMUTUSKAN:")
    _paragraph(doc)
    menetapkan = doc.add_table(rows=1, cols=3)
    _no_borders(menetapkan)
    for cell, text in zip(menetapkan.rows[0].cells, ("Menetapkan", ":", "{{ menetapkan }}"), strict=True):
        cell.text = text
    _widths(menetapkan, (Cm(2.6), Cm(0.5), Cm(13.4)))
    _loop_table(doc, "diktum", ["{{ row.label }}", "{{ row.colon }}", "{{ row.text }}"], (Cm(2.6), Cm(0.5), Cm(13.4)))
    _paragraph(doc)

    _paragraph(doc, "Ditetapkan di {{ tempat }}", indent=SIGNATURE_INDENT)
    _paragraph(doc, "pada tanggal {{ tanggal }}", indent=SIGNATURE_INDENT)
    _paragraph(doc)
    _signature(doc)
    _paragraph(doc)
    _paragraph(doc, "Tembusan:")
    _paragraph(doc, "{%p for t in tembusan %}")
    _paragraph(doc, "{{ loop.index }}. {{ t }}")
    _paragraph(doc, "{%p endfor %}")

    _page_break(doc)
    _lampiran_heading(doc, "I")
    _center(doc, "SUSUNAN PENGURUS {{ pengelola_kapital }}")
    _paragraph(doc)
    _loop_table(
        doc,
        "pengurus",
        ["{{ row.no }}", "{{ row.nama }}", "{{ row.jabatan }}"],
        (Cm(1.2), Cm(9), Cm(6)),
        header=["No.", "Nama", "Jabatan"],
        grid=True,
    )
    _paragraph(doc)
    _signature(doc)

    _page_break(doc)
    _lampiran_heading(doc, "II")
    _center(doc, "DAFTAR ANGGOTA INDUSTRI KECIL DAN MENENGAH {{ sentra_kapital }}")
    _paragraph(doc)
    _loop_table(
        doc,
        "anggota",
        [
            "{{ row.no }}",
            "{{ row.nama_usaha }}",
            "{{ row.pemilik }}",
            "{{ row.nib }}",
            "{{ row.kbli }}",
            "{{ row.produk }}",
            "{{ row.tenaga_kerja }}",
        ],
        (Cm(1), Cm(3.6), Cm(3), Cm(2.9), Cm(1.5), Cm(3), Cm(1.5)),
        header=["No.", "Nama Usaha", "Pemilik", "NIB", "KBLI", "Produk", "Tenaga Kerja"],
        grid=True,
    )
    _paragraph(doc)
    _signature(doc)

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path
