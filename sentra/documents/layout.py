"""The layout of the draft SK, declared once: ``builder`` renders it as the Word template, ``pdf`` as the PDF.

``SK_LAYOUT`` is the document from top to bottom as a tuple of blocks. Text is a template whose
``{name}`` (or ``{name.key}``) placeholders name keys of ``context.sk_draft_context``; a block with a
``loop`` repeats over the list of that name, and its ``keys`` name the fields of each item. Lengths
are in cm (the PDF converts them to mm), font sizes in pt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BODY_PT = 11
MARGINS_CM = {"left": 2.5, "right": 2.0, "top": 2.0, "bottom": 2.0}
SIGNATURE_INDENT_CM = 9.0
LAMPIRAN_INDENT_CM = 8.0

_PLACEHOLDER = re.compile(r"\{(\w+(?:\.\w+)*)\}")


def fill(text: str, context: dict) -> str:
    """``text`` with each placeholder replaced by its value in ``context``."""

    def value(match):
        found = context
        for key in match[1].split("."):
            found = found[key]
        return str(found)

    return _PLACEHOLDER.sub(value, text)


def as_tags(text: str) -> str:
    """``text`` with each placeholder written as a docxtpl (Jinja) tag."""
    return _PLACEHOLDER.sub(r"{{ \1 }}", text)


@dataclass(frozen=True)
class Center:
    """A centred line; ``size`` in pt, ``None`` for the body size."""

    text: str
    bold: bool = True
    size: int | None = None


@dataclass(frozen=True)
class Paragraph:
    """A left-aligned paragraph, indented by ``indent_cm``."""

    text: str
    bold: bool = False
    indent_cm: float = 0.0


@dataclass(frozen=True)
class Blank:
    """Vertical space of ``lines`` lines; Word gets one empty paragraph per started line, indented by ``indent_cm``."""

    lines: float = 1.0
    indent_cm: float = 0.0


@dataclass(frozen=True)
class KeepTogether:
    """The PDF starts a new page here unless ``lines`` more lines fit; Word leaves breaking to the editor."""

    lines: int


@dataclass(frozen=True)
class LabelledRows:
    """Rows like "Menimbang : a. bahwa ...": borderless columns, the last one holding the wrapped text.

    ``lead`` is an optional fixed first row (texts with placeholders), e.g. "Menetapkan : ...".
    """

    loop: str
    keys: tuple[str, ...]
    widths_cm: tuple[float, ...]
    lead: tuple[str, ...] = ()


@dataclass(frozen=True)
class NumberedList:
    """One paragraph per item of ``loop``: "1. item"."""

    loop: str


@dataclass(frozen=True)
class Grid:
    """A ruled table with a bold header row and one row per item of ``loop``."""

    loop: str
    header: tuple[str, ...]
    keys: tuple[str, ...]
    widths_cm: tuple[float, ...]


@dataclass(frozen=True)
class PageBreak:
    """The rest starts on a new page."""


@dataclass(frozen=True)
class When:
    """``blocks`` only when the context's ``key`` is true: a lampiran the Keputusan does not have (a
    revocation lists no pengurus, no anggota and no asset; a sentra without DAK asset lines has no
    Lampiran III) is left out, in Word (``{%p if key %}``) as in the PDF."""

    key: str
    blocks: tuple


Block = Center | Paragraph | Blank | KeepTogether | LabelledRows | NumberedList | Grid | PageBreak | When

LABEL_KEYS = ("label", "colon", "marker", "text")
LABEL_WIDTHS_CM = (2.6, 0.5, 0.9, 12.5)
DIKTUM_KEYS = ("label", "colon", "text")
DIKTUM_WIDTHS_CM = (2.6, 0.5, 13.4)

# ``ttd.jabatan`` may hold two lines ("a.n. BUPATI DONGGALA" / "SEKRETARIS DAERAH"): a line break in a
# value is a line break in Word (docxtpl) and in the PDF (fpdf2's multi_cell).
SIGNATURE: tuple[Block, ...] = (
    Paragraph("{ttd.jabatan},", bold=True, indent_cm=SIGNATURE_INDENT_CM),
    Blank(3, indent_cm=SIGNATURE_INDENT_CM),
    Paragraph("{ttd.nama}", bold=True, indent_cm=SIGNATURE_INDENT_CM),
)


def _lampiran(roman: str, title: str, grid: Grid) -> tuple[Block, ...]:
    heading = (f"LAMPIRAN {roman}", "{judul}", "NOMOR : {nomor}", "TANGGAL : {tanggal}", "TENTANG : {tentang}")
    return (
        PageBreak(),
        *(Paragraph(text, indent_cm=LAMPIRAN_INDENT_CM) for text in heading),
        Blank(),
        Center(title),
        Blank(0.5),
        grid,
        Blank(),
        *SIGNATURE,
    )


SK_LAYOUT: tuple[Block, ...] = (
    Center("{kepala_daerah}", size=12),
    Center("{provinsi}"),
    Blank(),
    Center("{judul}"),
    Center("NOMOR {nomor}", bold=False),
    Blank(0.5),
    Center("TENTANG", bold=False),
    Blank(0.5),
    Center("{tentang}"),
    Blank(),
    Center("DENGAN RAHMAT TUHAN YANG MAHA ESA"),
    Blank(0.5),
    Center("{kepala_daerah},"),
    Blank(),
    LabelledRows("menimbang", LABEL_KEYS, LABEL_WIDTHS_CM),
    Blank(0.5),
    LabelledRows("mengingat", LABEL_KEYS, LABEL_WIDTHS_CM),
    Blank(0.5),
    Center("MEMUTUSKAN:"),
    Blank(0.5),
    LabelledRows("diktum", DIKTUM_KEYS, DIKTUM_WIDTHS_CM, lead=("Menetapkan", ":", "{menetapkan}")),
    Blank(),
    KeepTogether(9),
    Paragraph("Ditetapkan di {tempat}", indent_cm=SIGNATURE_INDENT_CM),
    Paragraph("pada tanggal {tanggal}", indent_cm=SIGNATURE_INDENT_CM),
    Blank(),
    *SIGNATURE,
    Blank(),
    Paragraph("Tembusan:"),
    NumberedList("tembusan"),
    When("lampiran_susunan", (
        *_lampiran(
            "I",
            "SUSUNAN PENGURUS {pengelola_kapital}",
            Grid("pengurus", ("No.", "Nama", "Jabatan"), ("no", "nama", "jabatan"), (1.2, 9.0, 6.0)),
        ),
        *_lampiran(
            "II",
            "DAFTAR ANGGOTA INDUSTRI KECIL DAN INDUSTRI MENENGAH {sentra_kapital}",
            Grid(
                "anggota",
                ("No.", "Nama Usaha", "Pemilik", "NIB", "KBLI", "Produk", "Tenaga Kerja"),
                ("no", "nama_usaha", "pemilik", "nib", "kbli", "produk", "tenaga_kerja"),
                (1.0, 3.6, 3.0, 2.9, 1.5, 3.0, 1.5),
            ),
        ),
    )),
    When("lampiran_aset", _lampiran(
        "III",
        "DAFTAR BARANG MILIK DAERAH YANG DIKELOLA {pengelola_kapital} DAN DASAR PEMANFAATANNYA",
        Grid(
            "aset",
            ("No.", "KIB", "Kode Barang", "NUP", "Nama Barang", "Tahun", "Nilai Perolehan", "Dasar Pemanfaatan"),
            ("no", "kib", "kode_barang", "nup", "nama", "tahun", "nilai", "dasar"),
            (0.8, 1.0, 3.2, 1.1, 2.5, 1.3, 2.7, 3.9),
        ),
    )),
)
