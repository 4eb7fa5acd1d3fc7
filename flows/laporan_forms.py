"""Forms of the periodic report: its numbers, asset lines, photos and the review's decision.

Numbers are typed as people in Indonesia write them ("1.250.000", "12,5", "1500"): ASCII digits
only (full-width digits folded, any other digit refused: ``int("٣")`` would take it), at most 15
digits before the decimal separator, at most two after. Text carries no control character.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import RuleViolation
from core.images import image_reencode
from core.validators import control_characters, validate_single_line
from sentra.models import Sentra
from sentra.validators import ascii_digits

from .models import REPORT_MAX_NUMBER, Hasil, KondisiAset, PemanfaatanAset

_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+", flags=re.ASCII)
_PLAIN = re.compile(r"[0-9]+([.,][0-9]{1,2})?", flags=re.ASCII)


def parse_number(value: str, *, decimals: bool = True) -> Decimal | None:
    """``value`` as a ``Decimal``; ``ValidationError`` with an Indonesian message otherwise."""
    text = ascii_digits(value).replace(" ", "")
    if not text:
        return None
    if "," in text:  # decimal comma: the dots before it group thousands
        whole, _sep, frac = text.rpartition(",")
        if whole and _THOUSANDS.fullmatch(whole):
            whole = whole.replace(".", "")
        text = f"{whole}.{frac}"
    elif _THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    if not _PLAIN.fullmatch(text.replace(",", ".")):
        raise ValidationError(_("Tulis angka dengan digit 0-9 saja, mis. 1.250.000 atau 12,5 (paling banyak dua angka di belakang koma)."),
                              code="invalid_number")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("Angka tidak dapat dibaca."), code="invalid_number") from exc
    if number > REPORT_MAX_NUMBER:
        raise ValidationError(_("Angka terlalu besar (paling banyak 15 digit sebelum koma)."), code="too_large")
    if not decimals and number != number.to_integral_value():
        raise ValidationError(_("Isi bilangan bulat."), code="invalid_number")
    return number


class NumberField(forms.CharField):
    def __init__(self, *args, decimals=True, max_value=None, **kwargs):
        self.decimals = decimals
        self.max_number = max_value
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal" if decimals else "numeric", "autocomplete": "off",
                                  "maxlength": "40"})

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > 40:
            raise ValidationError(_("Angka terlalu panjang."), code="too_large")
        number = parse_number(value, decimals=self.decimals)
        if number is not None and self.max_number is not None and number > self.max_number:
            raise ValidationError(_("Angka terlalu besar (paling banyak %(max)s).") % {"max": f"{self.max_number:,}".replace(",", ".")},
                                  code="too_large")
        if number is not None and not self.decimals:
            return int(number)
        return number


def _validate_text(value):
    found = [c for c in control_characters(value) if c not in ("U+000A", "U+000D", "U+0009")]
    if found:
        raise ValidationError(_("Hapus karakter kendali dari isian ini (%(found)s).") % {"found": ", ".join(found[:5])},
                              code="control_characters")


class LaporanForm(forms.Form):
    produksi_jumlah = NumberField(label=_("Jumlah produksi selama periode"))
    produksi_satuan = forms.CharField(label=_("Satuan produksi"), max_length=30, required=False,
                                      validators=[validate_single_line], help_text=_("Mis. kg, potong, liter"))
    penjualan_jumlah = NumberField(label=_("Jumlah terjual (dalam satuan yang sama)"))
    penjualan_nilai = NumberField(label=_("Nilai penjualan (Rp)"))
    anggota_aktif = NumberField(label=_("Anggota IKM yang aktif"), decimals=False, max_value=100_000, required=True)
    kegiatan = forms.CharField(label=_("Kegiatan selama periode"), widget=forms.Textarea(attrs={"rows": 4}),
                               max_length=5000, validators=[_validate_text])
    masalah = forms.CharField(label=_("Masalah dan kendala"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000, required=False, validators=[_validate_text])
    catatan = forms.CharField(label=_("Catatan untuk Disperindag (bila ada)"), widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=2000, required=False, validators=[_validate_text])

    def clean(self):
        data = super().clean()
        produksi, terjual = data.get("produksi_jumlah"), data.get("penjualan_jumlah")
        if produksi is not None and not data.get("produksi_satuan"):
            self.add_error("produksi_satuan", _("Isi satuan jumlah produksi."))
        if produksi is not None and terjual is not None and terjual > produksi:
            # Sales from earlier stock are possible: allowed, but said plainly.
            self.warnings = [_("Jumlah terjual melebihi jumlah produksi periode ini (penjualan dari stok sebelumnya?).")]
        return data


class AsetLineForm(forms.Form):
    kode = forms.CharField(label=_("Kode barang / NUP"), max_length=60, validators=[validate_single_line])
    uraian = forms.CharField(label=_("Uraian aset"), max_length=200, validators=[validate_single_line])
    # A blank first choice: an untouched spare row stays empty (and is skipped), a listed asset must be answered.
    pemanfaatan = forms.ChoiceField(label=_("Pemanfaatan"), choices=[("", "—"), *PemanfaatanAset.choices])
    kondisi = forms.ChoiceField(label=_("Kondisi"), choices=[("", "—"), *KondisiAset.choices])


class _AsetFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            kode = getattr(form, "cleaned_data", {}).get("kode")
            if kode and kode in seen:
                form.add_error("kode", _("Kode aset ini sudah diisi di baris lain."))
            seen.add(kode)

    def rows(self) -> list[dict]:
        return [dict(f.cleaned_data) for f in self.forms if getattr(f, "cleaned_data", None) and f.cleaned_data.get("kode")]


AsetFormSet = forms.formset_factory(AsetLineForm, formset=_AsetFormSet, extra=1, max_num=100, absolute_max=100,
                                    validate_max=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): the list of uploads."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class FotoForm(forms.Form):
    foto = MultipleFileField(label=_("Foto kegiatan / aset (JPEG, PNG atau WebP)"), required=False,
                           widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True}))
    keterangan = forms.CharField(label=_("Keterangan foto"), max_length=200, required=False,
                                 validators=[validate_single_line])

    def clean_foto(self):
        files = [f for f in self.cleaned_data.get("foto") or [] if f]
        if len(files) > settings.SKSENTRA_REPORT_MAX_PHOTOS:
            raise ValidationError(_("Paling banyak %(n)d foto per laporan.") % {"n": settings.SKSENTRA_REPORT_MAX_PHOTOS})
        checked = []
        for upload in files:
            try:
                checked.append(image_reencode(upload, max_bytes=settings.SKSENTRA_REPORT_PHOTO_MAX_BYTES,
                                              max_pixels=settings.SKSENTRA_REPORT_PHOTO_MAX_PIXELS,
                                              label=_("Foto “%(name)s”") % {"name": upload.name[:80]}))
            except RuleViolation as exc:
                raise ValidationError(exc.messages[0]) from exc
        return checked

    def photos(self) -> list:
        keterangan = self.cleaned_data.get("keterangan", "")
        return [(image, keterangan) for image in self.cleaned_data.get("foto") or []]


class ReviuForm(forms.Form):
    hasil = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect,
                              choices=[(Hasil.DITERIMA, _("Terima laporan")),
                                       (Hasil.DIKEMBALIKAN, _("Kembalikan untuk perbaikan"))])
    catatan = forms.CharField(label=_("Catatan (wajib bila dikembalikan)"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000, required=False, validators=[_validate_text])


class PeriodeForm(forms.Form):
    periode = forms.CharField(label=_("Periode"), max_length=10, required=False, validators=[validate_single_line],
                              help_text=_("Mis. 2026-S1"))


class PengelolaAccountForm(forms.Form):
    sentra = forms.ModelChoiceField(label=_("Sentra"), queryset=Sentra.objects.none())
    username = forms.CharField(label=_("Nama pengguna"), max_length=150, validators=[validate_single_line],
                               help_text=_("Huruf, angka dan . _ - saja"))
    first_name = forms.CharField(label=_("Nama depan"), max_length=150, validators=[validate_single_line])
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False, validators=[validate_single_line])
    jabatan = forms.CharField(label=_("Jabatan di pengelola"), max_length=150, required=False,
                              validators=[validate_single_line], help_text=_("Mis. Ketua, Sekretaris"))
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Nomor WhatsApp"), max_length=20, required=False, validators=[validate_single_line])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sentra"].queryset = Sentra.objects.visible_to(user).filter(region_id=user.region_id).order_by("name")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not re.fullmatch(r"[A-Za-z0-9._-]{3,150}", username, flags=re.ASCII):
            raise ValidationError(_("Nama pengguna 3-150 karakter: huruf, angka dan . _ - saja."))
        return username

    def clean_phone(self):
        phone = ascii_digits(self.cleaned_data.get("phone", ""))
        if phone and not re.fullmatch(r"\+?[0-9]{9,15}", phone, flags=re.ASCII):
            raise ValidationError(_("Nomor WhatsApp 9-15 angka, mis. 081234567890."))
        return phone
