"""The officials' filters: the search box and the service-level report's period and kab/kota."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.selectors import register_regions

from .search import MAX_LENGTH

DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 366 * 5


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari usulan, sentra, pengelola, nomor SK/register, NIB atau NIK (16 angka)"),
        max_length=MAX_LENGTH * 2,  # query_parse gives the message for what is still too long once normalised
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("mis. tenun, 518/176/2020, 7203…")}),
    )


class ServiceLevelFilterForm(forms.Form):
    """The period (finished tasks, inclusive) and, for the province, one kab/kota."""

    dari = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    wilayah = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in register_regions(user).order_by("code")}
        self.fields["wilayah"].choices = [("", _("Semua"))] + [(code, str(r)) for code, r in self.regions.items()]
        if len(self.regions) <= 1:  # a kab/kota's own report: nothing to choose
            del self.fields["wilayah"]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_to = data.get("sampai") or today
        date_from = data.get("dari") or date_to - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        for name, value in (("dari", date_from), ("sampai", date_to)):
            if not 2000 <= value.year <= 2100:
                self.add_error(name, _("Tahun harus antara 2000 dan 2100."))
        if date_from > date_to:
            self.add_error("dari", _("Tanggal awal tidak boleh setelah tanggal akhir."))
        elif (date_to - date_from).days >= MAX_PERIOD_DAYS:
            self.add_error("dari", _("Periode paling panjang 5 tahun."))
        data["dari"], data["sampai"] = date_from, date_to
        return data

    def period(self) -> dict:
        """``date_from``, ``date_to`` and ``region`` for ``service_level_report`` (the form is valid)."""
        code = self.cleaned_data.get("wilayah") or ""
        return {"date_from": self.cleaned_data["dari"], "date_to": self.cleaned_data["sampai"],
                "region": self.regions.get(code)}
