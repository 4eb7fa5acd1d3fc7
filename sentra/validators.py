"""Field validators for identity numbers used in the register (messages in Indonesian)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _check_digits(value: str, length: int, label: str, code: str) -> None:
    if not re.fullmatch(rf"\d{{{length}}}", value or ""):
        raise ValidationError(
            _("%(label)s harus terdiri dari tepat %(length)d angka (tanpa spasi atau tanda baca)."),
            code=code,
            params={"label": label, "length": length},
        )


def validate_nik(value: str) -> None:
    """NIK (Nomor Induk Kependudukan): 16 digits, a real region prefix and a possible birth date.

    Digits 7-8 are the day of birth (plus 40 for women), 9-10 the month.
    """
    _check_digits(value, 16, "NIK", "invalid_nik")
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:
        day -= 40
    if value[:2] == "00" or not (1 <= day <= 31) or not (1 <= month <= 12):
        raise ValidationError(
            _("NIK %(value)s tidak sah: kode wilayah atau tanggal lahir di dalamnya tidak mungkin."),
            code="invalid_nik",
            params={"value": value},
        )


def validate_nib(value: str) -> None:
    """NIB (Nomor Induk Berusaha, OSS): 13 digits."""
    _check_digits(value, 13, "NIB", "invalid_nib")


def validate_kbli(value: str) -> None:
    """KBLI (Klasifikasi Baku Lapangan Usaha Indonesia): 5 digits."""
    _check_digits(value, 5, "KBLI", "invalid_kbli")


_ACADEMIC_TITLE = re.compile(
    r"(^|[\s,])(dr|drs|dra|ir|prof|h|hj)\.\s|,\s*(s|m|dr)\.?\s?[a-z]{1,5}\.?|\b(s\.h|s\.e|s\.sos|m\.si|m\.m|m\.h|s\.t|m\.t|s\.ip|m\.ap|s\.pd|m\.pd|s\.kom|mba|phd)\b",
    re.IGNORECASE,
)


def validate_signer_name(value: str) -> None:
    """Signer names on decrees carry no academic titles (Permendagri 1/2023)."""
    if _ACADEMIC_TITLE.search(value or ""):
        raise ValidationError(
            _("Tulis nama penandatangan tanpa gelar akademik (Permendagri 1/2023), misalnya 'Ahmad Ali'."),
            code="signer_has_title",
        )


_SK_NUMBER = re.compile(r"^[0-9A-Za-z.\-]+(/[0-9A-Za-z.\- ]+)+/(19|20)\d{2}$")


def validate_sk_number(value: str) -> None:
    """SK numbers are recorded as issued by Bagian Hukum: validated loosely (slashes, a year at the end)."""
    if not _SK_NUMBER.match((value or "").strip()):
        raise ValidationError(
            _(
                "Nomor SK tidak dikenali. Tulis persis seperti yang diberikan Bagian Hukum, "
                "dengan garis miring dan tahun di akhir, misalnya 100.3.3.2/123/DISPERINDAG/2026."
            ),
            code="invalid_sk_number",
        )
