"""Documents the application writes: the draft SK (DOCX from a replaceable template, and PDF) and the
register entry's summary with its verification QR code.

Views call the functions below; what the documents say is decided in ``context`` (the draft) and
``sentra.selectors.register_entry_public`` (the summary), never in a view or a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.text import slugify

from produk_hukum.selectors import kantor_wilayah

from ..models import SK, Pengelola
from .context import sk_draft_context
from .docx import sk_draft_docx
from .pdf import register_summary_pdf, sk_draft_pdf

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
DRAFT_FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    filename: str
    content_type: str

    def http_response(self, *, inline: bool = False) -> HttpResponse:
        """The file as a download (or shown in the browser), never cached nor sniffed."""
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{self.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


def sk_for_draft(pengelola: Pengelola) -> SK | None:
    """The SK recorded for ``pengelola`` most recently, whose number and signer fill the draft."""
    return pengelola.sk_set.order_by("-pk").first()


def sk_draft_render(*, pengelola: Pengelola, fmt: str, signer_kapasitas: str = "") -> RenderedFile:
    """The draft SK of ``pengelola`` as ``docx`` (editable by Bagian Hukum) or ``pdf``;
    ``signer_kapasitas`` (``plt``/``plh``): the one who is to sign acts for the kepala daerah."""
    if fmt not in DRAFT_FORMATS:
        raise ValueError(f"unknown draft format {fmt!r}")
    context = sk_draft_context(pengelola, sk=sk_for_draft(pengelola), signer_kapasitas=signer_kapasitas)
    name = f"rancangan-sk-{slugify(pengelola.name)[:60] or pengelola.pk}.{fmt}"
    if fmt == "docx":
        return RenderedFile(sk_draft_docx(pengelola.sentra.region, context), name, DOCX_TYPE)
    return RenderedFile(sk_draft_pdf(context), name, PDF_TYPE)


def register_summary_render(sk: SK) -> RenderedFile:
    """The register entry's one-page summary with the QR code of its public verification page."""
    from ..selectors import register_entry_public, verification_url

    entry = register_entry_public(sk)
    name = f"register-{entry['nomor_register'].replace('/', '-')}.pdf"
    dinas_provinsi = kantor_wilayah(sk.region.province).dinas_perindustrian.nama  # as the province names it
    return RenderedFile(register_summary_pdf(entry, verification_url(sk), issuer=dinas_provinsi), name, PDF_TYPE)
