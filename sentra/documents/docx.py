"""The draft SK as an editable Word file, from the kab/kota's template (or the shipped default)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from core.errors import RuleViolation

from ..models import Region, SKTemplate
from .builder import DEFAULT_TEMPLATE


def sk_template_for(region: Region) -> SKTemplate | None:
    """The template an admin uploaded for ``region``, else the one for all kab/kota, else ``None``."""
    return SKTemplate.objects.filter(region=region).first() or SKTemplate.objects.filter(region__isnull=True).first()


def _template_bytes(region: Region) -> bytes:
    template = sk_template_for(region)
    if template is None:
        return DEFAULT_TEMPLATE.read_bytes()
    with template.file.open("rb") as handle:
        return handle.read()


def docx_render(template: bytes, context: dict) -> bytes:
    """Fill ``template`` (a .docx with docxtpl tags) with ``context``.

    The template may come from an admin's upload: it is rendered in Jinja's sandbox, with every
    value escaped for XML, and sees only the plain values of ``context``.
    """
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sk_draft_docx(region: Region, context: dict) -> bytes:
    return docx_render(_template_bytes(region), context)


@dataclass(frozen=True)
class CheckedTemplate:
    content: bytes
    sha256: str


def sk_template_check(uploaded, *, sample_context: dict) -> CheckedTemplate:
    """Accept an uploaded template only if it is a Word file that renders with the draft's data."""
    limit = settings.SKSENTRA_MAX_UPLOAD_BYTES
    uploaded.seek(0)
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise RuleViolation(
            _("Template terlalu besar. Ukuran maksimum %(limit)s."),
            params={"limit": filesizeformat(limit)},
            field="file",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise zipfile.BadZipFile("no word/document.xml")
    except zipfile.BadZipFile as exc:
        raise RuleViolation(
            _("Berkas ini bukan dokumen Word (.docx). Simpan template dari Word sebagai .docx lalu unggah ulang."),
            field="file",
        ) from exc
    try:
        docx_render(content, sample_context)
    except Exception as exc:  # a template error of any kind means the same to the admin: fix the tags
        raise RuleViolation(
            _("Template tidak dapat diisi: %(error)s. Periksa tanda {{ … }} dan {%% … %%} di dalamnya."),
            params={"error": str(exc)[:200]},
            field="file",
        ) from exc
    return CheckedTemplate(content=content, sha256=hashlib.sha256(content).hexdigest())
