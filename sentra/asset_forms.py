"""BPKAD's forms for a sentra's DAK asset lines: one line, and an Excel import."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .asset_services import IMPORT_MAX_BYTES, LINE_FIELDS
from .forms import SingleLineMixin
from .models import AsetDAK
from .validators import ascii_digits

_NOT_A_NUMBER = _("Isi dengan angka 0-9 saja.")


class AsciiIntegerField(forms.IntegerField):
    """An integer typed with ASCII digits (full-width folded); Arabic-Indic and other digits are refused."""

    def to_python(self, value):
        text = ascii_digits(value)
        if text and not re.fullmatch(r"[0-9]{1,9}", text, flags=re.ASCII):
            raise forms.ValidationError(_NOT_A_NUMBER, code="invalid")
        return super().to_python(text)


class RupiahField(forms.DecimalField):
    """A rupiah amount as officials type it: "150000000", "150.000.000" or "150.000.000,50" (a text box:
    a number box would refuse the thousands' dots)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def widget_attrs(self, widget):
        return {}

    def to_python(self, value):
        text = ascii_digits(value).replace(" ", "").removeprefix("Rp").removeprefix("rp")
        if not text:
            return super().to_python(text)
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", text, flags=re.ASCII):
            text = text.replace(".", "")
        if not re.fullmatch(r"[0-9]{1,15}(\.[0-9]{1,2})?", text, flags=re.ASCII):
            raise forms.ValidationError(
                _("Nilai perolehan: angka rupiah sampai 15 digit, mis. 150.000.000 atau 150000000,50."), code="invalid"
            )
        return super().to_python(text)


class AsetDAKForm(SingleLineMixin, forms.ModelForm):
    nup = AsciiIntegerField(label=_("NUP"), min_value=1, max_value=999_999)
    tahun_perolehan = AsciiIntegerField(label=_("Tahun perolehan"), min_value=1945, max_value=2100)
    nilai_perolehan = RupiahField(label=_("Nilai perolehan (Rp)"), min_value=0, max_digits=17, decimal_places=2)
    jangka_waktu_tahun = AsciiIntegerField(label=_("Jangka waktu (tahun)"), min_value=1, max_value=99, required=False)
    perpanjangan_ke = AsciiIntegerField(
        label=_("Perpanjangan ke-"), min_value=0, max_value=99, required=False,
        help_text=_("Kosong atau 0 untuk perjanjian pertama."),
    )

    class Meta:
        model = AsetDAK
        fields = list(LINE_FIELDS)
        widgets = {
            "tanggal_bast": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "tanggal_perjanjian": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_perpanjangan_ke(self):
        return self.cleaned_data.get("perpanjangan_ke") or 0

    def clean_kode_barang(self):
        return ascii_digits(self.cleaned_data.get("kode_barang"))

    def fields_for_service(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in LINE_FIELDS}


class AsetImportForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def clean_berkas(self):
        uploaded = self.cleaned_data["berkas"]
        if uploaded.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Berkas lebih dari 2 MB."))
        return uploaded
