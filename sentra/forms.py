"""Forms of the register pages: the register's filters, the public lookup, the SK template upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow_project.errors import RuleViolation

from .choices import BentukHukum, StatusSK
from .models import SKTemplate
from .selectors import REGISTER_STATUSES, register_regions


class RegisterFilterForm(forms.Form):
    """Narrow the register by kab/kota, status, legal form and the register's year."""

    wilayah = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua"))] + [(s.value, s.label) for s in StatusSK if s in REGISTER_STATUSES],
    )
    bentuk_hukum = forms.ChoiceField(
        label=_("Bentuk kelembagaan"), required=False, choices=[("", _("Semua")), *BentukHukum.choices]
    )
    tahun = forms.IntegerField(label=_("Tahun register"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].choices = [("", _("Semua"))] + [(r.code, str(r)) for r in register_regions(user)]

    def filters(self) -> dict:
        """The filters as ``selectors.register_entries`` takes them; invalid ones are left out."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "region_code": data.get("wilayah") or None,
            "status": data.get("status") or None,
            "bentuk_hukum": data.get("bentuk_hukum") or None,
            "tahun": data.get("tahun") or None,
        }


class VerifikasiForm(forms.Form):
    """The public lookup: a register number or an SK number, exactly as printed."""

    q = forms.CharField(
        label=_("Nomor register atau nomor SK"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "72/REG-SENTRA/2026/0001", "autocomplete": "off"}),
    )


class SKTemplateForm(forms.ModelForm):
    """The admin's upload of a kab/kota's template: refused unless it is a .docx that fills in."""

    class Meta:
        model = SKTemplate
        fields = ["region", "file", "catatan"]

    def clean_file(self):
        from .documents.docx import sk_template_check
        from .documents.samples import sample_context

        uploaded = self.cleaned_data.get("file")
        if uploaded is None or not hasattr(uploaded, "content_type"):  # unchanged on edit
            return uploaded
        try:
            self.checked = sk_template_check(uploaded, sample_context=sample_context())
        except RuleViolation as exc:
            raise forms.ValidationError(exc.messages[0]) from exc
        return uploaded
