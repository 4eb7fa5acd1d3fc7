"""Active PDF content (issue 18.7): an uploaded PDF that would run a script, launch a program or
unpack an embedded file is refused, naming what was found."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from flows.demo import pdf_bytes
from sentra.forms import DokumenForm
from tests.flows.test_bad_input import _media_files, assert_nothing_saved, submit_usulan
from tests.helpers import form_errors


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(action: dict) -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject(k): (NameObject(v) if v.startswith("/") else TextStringObject(v)) for k, v in action.items()})
    return _bytes(writer)


def js_on_open() -> bytes:
    return _open_action({"/Type": "/Action", "/S": "/JavaScript", "/JS": "app.alert('x')"})


def launch() -> bytes:
    return _open_action({"/Type": "/Action", "/S": "/Launch", "/F": "cmd.exe"})


def document_js() -> bytes:
    """A document-level script in the catalog's name tree (what ``add_js`` wrote before pypdf 7)."""
    writer = _writer()
    action = writer._add_object(DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x')")}))
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("skrip"), action])})})
    return _bytes(writer)


def embedded_file() -> bytes:
    writer = _writer()
    writer.add_attachment("muatan.exe", b"MZ\x90\x00")
    return _bytes(writer)


def rich_media() -> bytes:
    writer = _writer()
    annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia"),
                                   NameObject("/Rect"): ArrayObject([])})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _bytes(writer)


def xfa() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([]), NameObject("/XFA"): TextStringObject("<xdp:xdp/>")})
    return _bytes(writer)


def obfuscated_js() -> bytes:
    """``/J#61vaScript`` is ``/JavaScript`` to a viewer; a byte search for the plain name misses it."""
    return js_on_open().replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


CASES = [
    (js_on_open, ["/OpenAction", "JavaScript"]),
    (launch, ["/Launch"]),
    (document_js, ["JavaScript"]),
    (embedded_file, ["/EmbeddedFile"]),
    (rich_media, ["/RichMedia"]),
    (xfa, ["/XFA"]),
    (obfuscated_js, ["JavaScript"]),
]


@pytest.mark.parametrize("make, names", CASES, ids=[c[0].__name__ for c in CASES])
def test_active_content_is_found_and_named(make, names):
    from core.pdf import active_content

    described = " ".join(active_content(make()))
    for name in names:
        assert name in described


def test_a_plain_pdf_has_no_active_content():
    from core.pdf import active_content

    assert active_content(pdf_bytes("Surat permohonan")) == []
    assert active_content(_bytes(_writer())) == []


@pytest.mark.parametrize("make, names", CASES, ids=[c[0].__name__ for c in CASES])
def test_the_document_form_refuses_active_pdfs_naming_what_was_found(make, names):
    upload = SimpleUploadedFile("surat.pdf", make(), content_type="application/pdf")
    form = DokumenForm(data={}, files={"surat_permohonan": upload})
    assert not form.is_valid()
    message = " ".join(form.errors["surat_permohonan"])
    assert "konten aktif" in message
    for name in names:
        assert name in message


@pytest.mark.django_db
def test_a_proposal_with_a_scripted_pdf_is_refused_and_nothing_is_stored(donggala):
    before = _media_files()
    fake = SimpleUploadedFile("surat_permohonan.pdf", js_on_open(), content_type="application/pdf")
    response = submit_usulan(donggala["pengusul"], **{"dokumen-surat_permohonan": fake})
    assert response.status_code in (200, 422)
    assert "berisi konten aktif yang tidak diizinkan" in form_errors(response)
    assert "JavaScript" in form_errors(response)
    assert_nothing_saved(before)
