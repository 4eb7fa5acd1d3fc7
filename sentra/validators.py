"""Field validators for identity numbers used in the register (messages in Indonesian).

Identifiers (NIK, NIB, KBLI, phone numbers, years in SK numbers) are ASCII digits only: Python's
``\\d`` and ``int()`` also take Arabic-Indic, Devanagari and other digits, which no register
outside this one would read. Full-width digits (typed by some phone keyboards) are folded to ASCII by
``ascii_digits`` before validation; every other non-ASCII digit is refused with the usual message.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Full-width digits U+FF10..U+FF19 -> 0..9; nothing else is folded.
_FULL_WIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})


def ascii_digits(value) -> str:
    """``value`` with full-width digits folded to ASCII and surrounding spaces removed (for forms)."""
    return str(value or "").translate(_FULL_WIDTH_DIGITS).strip()


def _check_digits(value: str, length: int, label: str, code: str) -> None:
    if not re.fullmatch(rf"[0-9]{{{length}}}", value or "", flags=re.ASCII):
        raise ValidationError(
            _("%(label)s harus terdiri dari tepat %(length)d angka (tanpa spasi atau tanda baca)."),
            code=code,
            params={"label": label, "length": length},
        )


# Province codes of Kemendagri (Dukcapil) that begin every NIK: the 38 provinces, Papua's four new
# ones (2022) included.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",  # Sumatera, Kepulauan Riau
    "31", "32", "33", "34", "35", "36",  # Jawa
    "51", "52", "53",  # Bali, Nusa Tenggara
    "61", "62", "63", "64", "65",  # Kalimantan
    "71", "72", "73", "74", "75", "76",  # Sulawesi
    "81", "82",  # Maluku
    "91", "92", "93", "94", "95", "96",  # Papua, Papua Barat, Papua Selatan/Tengah/Pegunungan/Barat Daya
})
HOME_PROVINCE_CODE = "72"  # Sulawesi Tengah


def validate_nik(value: str) -> None:
    """NIK (Nomor Induk Kependudukan): 16 digits, a real province prefix and a possible birth date.

    Digits 1-2 are the province (``PROVINCE_CODES``), 7-8 the day of birth (plus 40 for women),
    9-10 the month. A NIK from another province is valid (members move): ``nik_warning`` says so.
    """
    _check_digits(value, 16, "NIK", "invalid_nik")
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:
        day -= 40
    if value[:2] not in PROVINCE_CODES or not (1 <= day <= 31) or not (1 <= month <= 12):
        raise ValidationError(
            _("NIK %(value)s tidak sah: kode wilayah atau tanggal lahir di dalamnya tidak mungkin."),
            code="invalid_nik",
            params={"value": value},
        )


def nik_warning(value: str) -> str | None:
    """A non-blocking remark on a valid NIK: issued outside Sulawesi Tengah (a member who moved)."""
    if value and value[:2] != HOME_PROVINCE_CODE and value[:2] in PROVINCE_CODES:
        return str(_(
            "NIK %(value)s diterbitkan di luar Sulawesi Tengah (kode provinsi %(code)s). Data tetap diterima; "
            "pastikan orangnya berdomisili atau berusaha di sentra ini."
        ) % {"value": value, "code": value[:2]})
    return None


def validate_nib(value: str) -> None:
    """NIB (Nomor Induk Berusaha, OSS): 13 digits."""
    _check_digits(value, 13, "NIB", "invalid_nib")


# KBLI category C (Industri Pengolahan) is the 2-digit divisions 10..33; an IKM is a manufacturer.
MANUFACTURING_DIVISIONS = range(10, 34)


def validate_kbli(value: str) -> None:
    """KBLI (Klasifikasi Baku Lapangan Usaha Indonesia) of an IKM member: 5 digits in category C."""
    _check_digits(value, 5, "KBLI", "invalid_kbli")
    if int(value[:2]) not in MANUFACTURING_DIVISIONS:
        raise ValidationError(
            _(
                "KBLI %(value)s bukan industri pengolahan. Anggota sentra IKM harus usaha industri: "
                "KBLI kategori C, dua angka pertama 10 sampai 33 (misalnya 10792 untuk bawang goreng)."
            ),
            code="kbli_not_manufacturing",
            params={"value": value},
        )


_ACADEMIC_TITLE = re.compile(
    r"(^|[\s,])(dr|drs|dra|ir|prof|h|hj)\.\s|,\s*(s|m|dr)\.?\s?[a-z]{1,5}\.?|\b(s\.h|s\.e|s\.sos|m\.si|m\.m|m\.h|s\.t|m\.t|s\.ip|m\.ap|s\.pd|m\.pd|s\.kom|mba|phd)\b",
    re.IGNORECASE,
)


# An office typed where a person's name belongs ("Bupati Palu", "Plt. Sekda"): the block prints the office itself.
_OFFICE_WORDS = re.compile(
    r"^(bupati|wali\s*kota|walikota|wakil|gubernur|sekretaris|sekda|asisten|kepala|plt|plh|pj|a\.?\s?n)\b",
    re.IGNORECASE,
)
_NAME_PUNCTUATION = frozenset(" '’.-")


def validate_signer_name(value: str) -> None:
    """A signer is a person named without academic titles (Permendagri 1/2023): letters, spaces and the
    apostrophe, hyphen and dot of names like "Moh. Ali" or "Andi Ma'ruf"; never digits, markup, an
    office ("Bupati Palu") or a lone letter."""
    value = (value or "").strip()
    if _ACADEMIC_TITLE.search(value):
        raise ValidationError(
            _("Tulis nama penandatangan tanpa gelar akademik (Permendagri 1/2023), misalnya 'Ahmad Ali'."),
            code="signer_has_title",
        )
    words = [w for w in re.split(r"[\s.\-'’]+", value) if w]
    is_name = (
        bool(value) and value[0].isalpha()
        and all(ch.isalpha() or ch in _NAME_PUNCTUATION for ch in value)
        and any(len(w) >= 2 for w in words)
    )
    if not is_name or _OFFICE_WORDS.match(value):
        raise ValidationError(
            _("Tulis nama orang yang menandatangani (huruf saja, tanpa jabatan, angka atau tanda lain), "
              "misalnya 'Ahmad Ali'; jabatan dan kapasitas diisi di kolomnya sendiri."),
            code="signer_not_a_name",
        )


_SK_NUMBER = re.compile(r"^[0-9A-Za-z.\-]+(/[0-9A-Za-z.\- ]+)+/(19|20)[0-9]{2}$")


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


def validate_kode_barang(value: str) -> None:
    """Kode barang of the BMD classification (Permendagri 108/2016): groups of ASCII digits joined by dots,
    e.g. ``1.3.2.05.01.04.001`` or ``02.06.01.01.001``."""
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,4}){2,7}", value or "", flags=re.ASCII):
        raise ValidationError(
            _("Kode barang harus berupa kelompok angka yang dipisahkan titik, misalnya 02.06.01.01.001."),
            code="invalid_kode_barang",
        )
