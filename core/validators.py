"""Validators of free text that knows no domain: single-line fields carry no control characters."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters (C0, DEL, C1: CR, LF, tab, NUL, NEL …) and the Unicode line and paragraph separators.
_REFUSED_CATEGORIES = ("Cc", "Zl", "Zp")


def control_characters(value) -> list[str]:
    """The control characters in ``value``, as ``U+000D`` names, in order of first appearance."""
    found = []
    for char in str(value or ""):
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            name = f"U+{ord(char):04X}"
            if name not in found:
                found.append(name)
    return found


def validate_single_line(value) -> None:
    """A name, a title or an address on one line: no line break, tab or other control character.

    Such text ends up in email subjects, document headings and spreadsheet cells, where a line break
    either breaks the message (``BadHeaderError``) or forges a new line.
    """
    found = control_characters(value)
    if found:
        raise ValidationError(
            _("Isian ini harus satu baris: hapus baris baru, tab atau karakter kendali lain (%(found)s)."),
            code="control_characters",
            params={"found": ", ".join(found[:5])},
        )
