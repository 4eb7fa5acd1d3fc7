"""Read generated files back as a person's tools would: Word text, PDF text, QR codes in a PDF."""

import io
import re

import zxingcpp
from docx import Document
from pypdf import PdfReader


def squash(text: str) -> str:
    """Whitespace folded to single spaces: words wrapped onto two lines still read as one phrase."""
    return re.sub(r"\s+", " ", text).strip()


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, in document order (as python-docx reads it)."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return squash("\n".join(parts))


def pdf_text(content: bytes) -> str:
    return squash("\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages))


def pdf_qr_codes(content: bytes) -> list[str]:
    """The text of every QR code in the images of a PDF."""
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for image in page.images:
            found += [result.text for result in zxingcpp.read_barcodes(image.image.convert("L"))]
    return found
