"""Active content in a PDF: what a viewer would run or unpack when the file is opened.

An uploaded document is evidence read by officials; it has no reason to carry scripts, launch
actions, embedded files, rich media or XFA forms. ``active_content`` names what a file carries, by
two readings: every object pypdf can parse (names decoded, ``/J#61vaScript`` is ``/JavaScript``,
object streams included), and the raw bytes (for objects outside the cross-reference table, which a
viewer repairing the file would still find). Domain-neutral: the register's forms decide what to say.
"""

import io
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Name (as in the file, decoded) -> what it is, for the message.
ACTIVE_NAMES = {
    "/JavaScript": "JavaScript",
    "/JS": "JavaScript (/JS)",
    "/Launch": "perintah menjalankan program (/Launch)",
    "/EmbeddedFile": "berkas tersemat (/EmbeddedFile)",
    "/EmbeddedFiles": "berkas tersemat (/EmbeddedFiles)",
    "/RichMedia": "media aktif (/RichMedia)",
    "/XFA": "formulir XFA (/XFA)",
}
_OPEN_ACTION = "/OpenAction"
_RAW_NAME = re.compile(rb"/([A-Za-z0-9#]{2,40})")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MAX_OBJECTS = 200_000


def _decode_name(raw: bytes) -> str:
    return "/" + _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw).decode("latin-1")


def _raw_names(content: bytes) -> set[str]:
    names = {_decode_name(m.group(1)) for m in _RAW_NAME.finditer(content)}
    return names & (set(ACTIVE_NAMES) | {_OPEN_ACTION})


def _walk(obj, found: set[str], seen: set, budget: list[int]) -> None:
    stack = [obj]
    while stack and budget[0] > 0:
        item = stack.pop()
        budget[0] -= 1
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            try:
                item = item.get_object()
            except Exception:  # noqa: BLE001 - a broken reference hides nothing we could read
                continue
        if isinstance(item, NameObject):
            if str(item) in ACTIVE_NAMES:
                found.add(str(item))
        elif isinstance(item, DictionaryObject):  # streams are dictionaries too; their data is not read
            for name, value in item.items():
                if str(name) in ACTIVE_NAMES:
                    found.add(str(name))
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _parsed_names(content: bytes) -> tuple[set[str], bool]:
    """Active names in the objects pypdf parses; and whether the catalog's /OpenAction runs a script."""
    reader = PdfReader(io.BytesIO(content), strict=False)
    found: set[str] = set()
    seen: set = set()
    budget = [_MAX_OBJECTS]
    _walk(reader.trailer, found, seen, budget)
    for generation, entries in list(reader.xref.items()):
        for idnum in list(entries):
            _walk(IndirectObject(idnum, generation, reader), found, seen, budget)
    for idnum in list(getattr(reader, "xref_objStm", {})):
        _walk(IndirectObject(idnum, 0, reader), found, seen, budget)
    open_action_script = False
    try:
        action = reader.trailer["/Root"].get_object().get(_OPEN_ACTION)
        action = action.get_object() if action is not None else None
        if isinstance(action, DictionaryObject):
            inner: set[str] = set()
            _walk(action, inner, set(), [10_000])
            open_action_script = bool(inner & {"/JavaScript", "/JS", "/Launch"}) or str(action.get("/S", "")) in (
                "/JavaScript", "/Launch")
    except Exception:  # noqa: BLE001
        pass
    return found, open_action_script


def active_content(content: bytes) -> list[str]:
    """What active content ``content`` carries, described in Indonesian; empty when none."""
    found = _raw_names(content)
    open_action_script = False
    try:
        parsed, open_action_script = _parsed_names(content)
        found |= parsed
    except Exception:  # noqa: BLE001 - an unreadable file is refused elsewhere; the raw reading stands
        pass
    described = []
    if open_action_script:
        described.append("skrip yang berjalan saat berkas dibuka (/OpenAction)")
    for name, label in ACTIVE_NAMES.items():
        if name in found and label not in described:
            described.append(label)
    return described
