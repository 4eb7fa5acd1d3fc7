"""Forms of the legalisation steps' decisions. They check input; the rules live in the services.

The forms of the register's data (sentra, pengelola, pengurus, anggota IKM, documents, asset check,
SK) are the register's own: ``sentra.forms``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Kapasitas
from accounts.roles import Role
from core.errors import RuleViolation
from sentra import forms as sentra_forms
from sentra import services as sentra_services

from . import services
from .models import AlasanPencabutan, Hasil
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


class PenomoranSKForm(sentra_forms.SKForm):
    """Bagian Hukum numbers and authenticates the signed SK: the number from the register of
    Keputusan, the signing date, the signer and the basis of a Plt./Plh./Pj./a.n. signature, the
    signed scan and the authenticated copy, the SRIKANDI reference. The rules are the service's
    (``sentra.services.sk_create``); this form reads and checks the files."""

    salinan_pdf = forms.FileField(
        label=_("Salinan autentik \u201csalinan sesuai dengan aslinya\u201d (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    dasar_pdf = forms.FileField(
        label=_("Pindaian surat perintah/pelimpahan (PDF)"),
        required=False,
        help_text=_("Wajib bila ditandatangani Plt., Plh., Pj. atau a.n."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta(sentra_forms.SKForm.Meta):
        fields = [
            "nomor", "tanggal", "penandatangan_nama", "penandatangan_kapasitas", "dasar_nomor", "dasar_tanggal",
            "dasar_berlaku_sampai", "plh_peringatan_diakui", "srikandi_ref",
        ]
        widgets = {
            **sentra_forms.SKForm.Meta.widgets,
            "dasar_tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "dasar_berlaku_sampai": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "nomor": _("Nomor dari buku register Keputusan Bagian Hukum."),
            "tanggal": _("Tanggal kepala daerah menandatangani."),
            "plh_peringatan_diakui": _(
                "Plh. tidak berwenang mengambil keputusan yang berdampak strategis (UU 30/2014 pasal 14 ayat 7). "
                "Centang bila penetapan pengelola ini telah dinilai tidak berdampak strategis."
            ),
        }

    def _pdf(self, name: str, label: str):
        uploaded = self.cleaned_data.get(name)
        if not uploaded:
            return None
        try:
            return sentra_services.pdf_check(uploaded, label=str(label))
        except RuleViolation as exc:
            raise forms.ValidationError(exc.messages[0], code=exc.code) from exc

    def clean_salinan_pdf(self):
        return self._pdf("salinan_pdf", _("Salinan autentik SK"))

    def clean_dasar_pdf(self):
        return self._pdf("dasar_pdf", _("Pindaian surat perintah/pelimpahan"))

    def sk_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("signed_pdf", "salinan_pdf", "dasar_pdf")}


# --- acting officials, absences, moving tasks (``flows.delegation``) ------------------------------


class _DateRangeMixin:
    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.jabatan})" if obj.jabatan else name


class ActingGrantForm(_DateRangeMixin, sentra_forms.SingleLineMixin, forms.Form):
    """A Plt./Plh.: who, in which role and region, in which capacity, on which surat perintah, from when to when."""

    user = _UserChoiceField(label=_("Pejabat yang ditunjuk"), queryset=None)
    role = forms.ChoiceField(label=_("Menjalankan peran"))
    region = forms.ModelChoiceField(label=_("Wilayah"), queryset=None)
    kapasitas = forms.ChoiceField(label=_("Kapasitas"), widget=forms.RadioSelect)
    basis_number = forms.CharField(label=_("Nomor surat perintah"), max_length=100)
    basis_date = _date_field(_("Tanggal surat perintah"))
    basis_scan = forms.FileField(label=_("Pindaian surat perintah (PDF)"),
                                 widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))
    starts_on = _date_field(_("Mulai"))
    ends_on = _date_field(_("Sampai (termasuk hari ini)"))

    def __init__(self, *args, users, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users.filter(is_active=True).order_by("first_name", "username")
        self.fields["region"].queryset = regions
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r != Role.AUDITOR]
        self.fields["kapasitas"].choices = [(k.value, k.label) for k in Kapasitas]

    def clean_basis_scan(self):
        return sentra_forms.checked_pdf(self, "basis_scan", _("Pindaian surat perintah"))


class AbsenceForm(_DateRangeMixin, forms.Form):
    """An absence: from when to when, who takes the new tasks and the reminders meanwhile."""

    user = _UserChoiceField(label=_("Pegawai yang tidak hadir"), queryset=None, required=False)
    starts_on = _date_field(_("Mulai"))
    ends_on = _date_field(_("Sampai (termasuk hari ini)"))
    substitute = _UserChoiceField(label=_("Pengganti"), queryset=None)
    note = forms.CharField(label=_("Keterangan (cuti, dinas luar …)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, users=None, substitutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = substitutes.order_by("first_name", "username")
        if users is None:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = users.filter(is_active=True).order_by("first_name", "username")
            self.fields["user"].required = True


class ReassignForm(forms.Form):
    """Move the ticked tasks of one official to another, with the reason."""

    tasks = forms.MultipleChoiceField(label=_("Tugas yang dialihkan"), widget=forms.CheckboxSelectMultiple)
    to_user = _UserChoiceField(label=_("Dialihkan kepada"), queryset=None)
    note = forms.CharField(label=_("Catatan (alasan pengalihan)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tasks, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = tasks
        self.fields["tasks"].initial = [value for value, _label in tasks]
        self.fields["to_user"].queryset = targets


class EndEarlyForm(forms.Form):
    """End a Plt./Plh. or an absence now: why (required for a grant, optional for an absence)."""

    alasan = forms.CharField(label=_("Alasan mengakhiri"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["alasan"]
        field.required = reason_required
        field.error_messages["required"] = _("Alasan wajib diisi: tuliskan mengapa Plt./Plh. diakhiri lebih awal.")
        if not reason_required:
            field.label = _("Alasan mengakhiri (tidak wajib)")


# --- amendment, renewal and revocation ---------------------------------------------------------


class PerubahanForm(forms.Form):
    """What an amendment or renewal is about, beside the pre-filled proposal forms."""

    asset_change = forms.BooleanField(
        label=_("Perubahan ini menyangkut aset sentra (perlu verifikasi aset BPKAD)"),
        required=False,
        help_text=_("Centang bila daftar atau dasar pemanfaatan aset berubah. Perubahan bentuk kelembagaan "
                    "selalu diverifikasi BPKAD."),
    )
    catatan = forms.CharField(
        label=_("Pokok perubahan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mis. 'Penggantian bendahara karena pindah domisili'."),
    )


class _PencabutanFields(forms.Form):
    alasan = forms.ChoiceField(label=_("Alasan pencabutan"), choices=AlasanPencabutan.choices, widget=forms.RadioSelect)
    uraian = forms.CharField(
        label=_("Uraian hasil evaluasi"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Apa yang ditemukan dalam evaluasi, kapan, oleh siapa; dikutip dalam konsiderans SK pencabutan."),
    )
    bukti = forms.FileField(
        label=_("Bukti hasil evaluasi (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_uraian(self):
        value = self.cleaned_data["uraian"]
        try:
            services.revocation_check(self.cleaned_data.get("alasan") or AlasanPencabutan.TIDAK_AKTIF, value)
        except RuleViolation as exc:
            raise forms.ValidationError(exc.messages[0]) from exc
        return value

    def clean_bukti(self):
        uploaded = self.cleaned_data.get("bukti")
        if not uploaded:
            return None
        try:
            return sentra_services.pdf_check(uploaded, label=str(_("Bukti hasil evaluasi")))
        except RuleViolation as exc:
            raise forms.ValidationError(exc.messages[0], code=exc.code) from exc


class PencabutanForm(_PencabutanFields):
    """The Disperindag's proposal to revoke an SK: the reason, the evaluation's account and its evidence."""


class PerbaikanPencabutanForm(_PencabutanFields):
    """The Disperindag revises a returned revocation: a new evidence file is optional."""

    catatan = forms.CharField(
        label=_("Catatan perbaikan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bukti"].required = False
        self.fields["bukti"].help_text = _("Unggah hanya bila bukti diganti atau ditambah.")
