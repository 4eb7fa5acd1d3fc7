"""Forms of the legalisation steps' decisions. They check input; the rules live in the services.

The forms of the register's data (sentra, pengelola, pengurus, anggota IKM, documents, asset check,
SK) are the register's own: ``sentra.forms``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import RuleViolation

from . import services
from .models import Hasil
from .steps import STEP


class KeputusanForm(forms.Form):
    """An official's decision on a step, with the note and the capacity they act in."""

    hasil = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect)
    catatan = forms.CharField(
        label=_("Catatan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib saat mengembalikan atau menolak."),
    )
    kapasitas = forms.CharField(
        label=_("Bertindak sebagai"),
        required=False,
        max_length=100,
        help_text=_("Isi bila bertindak sebagai Plt./Plh., mis. 'Plt. Kepala Dinas'."),
    )

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["hasil"].choices = [(h, Hasil(h).label) for h in STEP[step].outcomes]

    def clean(self):
        data = super().clean()
        if "hasil" in data:
            try:
                services.decision_check(self.step, data["hasil"], data.get("catatan", ""))
            except RuleViolation as exc:
                self.add_error(exc.field, exc.messages[0])
        return data


class PerbaikanForm(forms.Form):
    catatan = forms.CharField(
        label=_("Catatan perbaikan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Apa yang telah diperbaiki (akan dibaca verifikator)."),
    )
