"""Indonesian phone numbers stored in one form: country code 62, digits only (``6281234567890``)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Full-width digits and plus sign (some phone keyboards) are folded to ASCII; no other script is.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "\uff0b": "+"})


def normalize_phone(value: str) -> str:
    """Return ``value`` as ``62…`` digits; ``08…``, ``+62…`` and ``62…`` with spaces or dashes all map there.

    Full-width digits are folded to ASCII; any other non-ASCII digit is refused. An empty value stays
    empty. Anything that is not an Indonesian mobile/landline number raises ValidationError with a
    message the user can act on.
    """
    raw = (value or "").translate(_FULL_WIDTH).strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s\-().]", "", raw)
    if digits.startswith("+"):
        digits = digits[1:]
    # ASCII digits only: str.isdigit() also takes Arabic-Indic, superscript and other digits.
    if not re.fullmatch(r"[0-9]+", digits, flags=re.ASCII):
        raise ValidationError(_("Nomor telepon hanya boleh berisi angka, spasi, tanda hubung atau '+' di depan."))
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.startswith("62") or not (10 <= len(digits) <= 15):
        raise ValidationError(
            _("Nomor telepon %(value)s tidak dikenali. Tulis seperti 081234567890 atau +6281234567890."),
            params={"value": raw},
        )
    return digits


def mask_phone(value: str) -> str:
    """A phone number safe for logs and public pages: ``62812****7890``."""
    if len(value) < 8:
        return "****"
    return value[:5] + "*" * (len(value) - 9) + value[-4:]
