"""Forms of the register's data: a proposal's sentra, pengelola, pengurus, anggota IKM and documents,
the asset check and the SK; and of the register pages: filters, the public lookup, the SK template upload.
They check input; the rules live in ``sentra.services``."""

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from accounts.phone import normalize_phone
from core.errors import RuleViolation
from core.validators import validate_single_line

from . import services
from .choices import BentukHukum, JenisDokumen, RegionKind, SentraState, StatusSK, required_documents
from .models import SK, AnggotaIKM, DakAlokasi, PemeriksaanAset, Pengelola, Pengurus, Region, Sentra, SKTemplate
from .selectors import REGISTER_STATUSES, register_regions
from .validators import ascii_digits, nik_warning


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


# --- a proposal's data -------------------------------------------------------------------------


class SingleLineMixin:
    """Every one-line text field of the form (a name, a title, an address typed on one line: a
    ``CharField`` not drawn as a textarea) refuses CR/LF, tabs and other control characters, which
    would break email subjects and forge lines in documents and exports. On the form rather than the
    model: the register's models are another change's; the admin edits few of these rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                field.validators.append(validate_single_line)


def _checked_pdf(form: forms.Form, name: str, label: str):
    """The upload checked by ``services.pdf_check`` (a readable PDF within the size limit, without
    active content), as a form error when refused."""
    uploaded = form.cleaned_data.get(name)
    if not uploaded:
        return None
    try:
        return services.pdf_check(uploaded, label=label)
    except RuleViolation as exc:
        raise forms.ValidationError(exc.messages[0], code=exc.code) from exc


# The one upload check for other forms (flows' numbering form has more PDFs than the SK's scan).
checked_pdf = _checked_pdf


class _RegisterSentraField(forms.ModelChoiceField):
    """The register's sentra, named with what tells them apart (commodity, place, DAK years)."""

    def label_from_instance(self, obj):
        place = obj.desa or obj.kecamatan
        parts = [obj.name, obj.komoditas] + ([place] if place else [])
        label = " — ".join(parts)
        return label if obj.confirmed else f"{label} ({_g('menunggu konfirmasi provinsi')})"


class SentraForm(SingleLineMixin, forms.Form):
    """The sentra the pengelola will run: one already registered in the region, or a new one."""

    sentra = _RegisterSentraField(
        label=_("Sentra terdaftar"),
        queryset=Sentra.objects.none(),
        required=False,
        empty_label=_("— sentra belum terdaftar: daftarkan dengan data di bawah —"),
        help_text=_("Pilih sentra dari register sentra DAK. Sentra yang belum terdaftar didaftarkan dari usulan ini "
                    "dan menunggu konfirmasi Disperindag Provinsi."),
    )
    name = forms.CharField(label=_("Nama sentra"), max_length=200, required=False)
    komoditas = forms.CharField(label=_("Komoditas / produk utama"), max_length=200, required=False)
    alamat = forms.CharField(label=_("Alamat / lokasi"), max_length=300, required=False)
    desa = forms.CharField(label=_("Desa/kelurahan"), max_length=100, required=False)
    kecamatan = forms.CharField(label=_("Kecamatan"), max_length=100, required=False)
    tahun_dak = forms.IntegerField(label=_("Tahun anggaran DAK"), min_value=2000, max_value=2100, required=False)

    NEW_SENTRA_FIELDS = ("name", "komoditas", "alamat", "desa", "kecamatan", "tahun_dak")

    def __init__(self, *args, region=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The register in the user's scope (the one rule), of the proposal's kab/kota.
        sentra = Sentra.objects.visible_to(user) if user is not None else Sentra.objects.all()
        self.fields["sentra"].queryset = sentra.filter(region=region)

    def clean(self):
        data = super().clean()
        if not data.get("sentra"):
            for required in ("name", "komoditas", "alamat"):
                if not data.get(required):
                    self.add_error(required, _g("Wajib diisi untuk sentra baru."))
        return data

    def sentra_fields(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.NEW_SENTRA_FIELDS}


class PengelolaForm(SingleLineMixin, forms.ModelForm):
    class Meta:
        model = Pengelola
        fields = ["name", "bentuk_hukum", "ppk_blud", "alamat", "masa_bakti_tahun"]


class _IdentifierMixin(SingleLineMixin):
    """Phone numbers normalised; identifiers (NIK, NIB, KBLI) with full-width digits folded to ASCII
    before the model's validators, which take ASCII digits only. ``warnings`` lists what is accepted
    but worth a second look (a NIK from outside Sulawesi Tengah): shown, never blocking."""

    IDENTIFIER_FIELDS: tuple[str, ...] = ()
    NIK_FIELDS: tuple[str, ...] = ()

    def clean_telepon(self):
        return normalize_phone(self.cleaned_data.get("telepon", ""))

    def _clean_identifier(self, name):
        return ascii_digits(self.cleaned_data.get(name, ""))

    def _post_clean(self):
        for name in self.IDENTIFIER_FIELDS:
            if name in self.cleaned_data:
                self.cleaned_data[name] = self._clean_identifier(name)
        super()._post_clean()

    @property
    def warnings(self) -> list[str]:
        if not self.is_bound or self.errors:
            return []
        found = []
        for name in self.NIK_FIELDS:
            message = nik_warning(self.cleaned_data.get(name, ""))
            if message:
                found.append(message)
        return found


# What to type, not how it is stored: a mobile number as officials write it.
PHONE_HINT = _("Nomor HP, mis. 0812 3456 7890 atau +62 812 3456 7890 (boleh dikosongkan).")


class PengurusForm(_IdentifierMixin, forms.ModelForm):
    IDENTIFIER_FIELDS = NIK_FIELDS = ("nik",)

    class Meta:
        model = Pengurus
        fields = ["nama", "jabatan", "nik", "telepon"]
        help_texts = {"telepon": PHONE_HINT}


class AnggotaIKMForm(_IdentifierMixin, forms.ModelForm):
    IDENTIFIER_FIELDS = ("nik_pemilik", "nib", "kbli")
    NIK_FIELDS = ("nik_pemilik",)

    class Meta:
        model = AnggotaIKM
        fields = ["nama_usaha", "pemilik", "nik_pemilik", "nib", "kbli", "produk", "tenaga_kerja", "telepon"]
        help_texts = {"telepon": PHONE_HINT}


class _PeopleFormSet(forms.BaseFormSet):
    """A list of rows: blank new rows are ignored, kept rows can be ticked for removal, and the
    minimum is stated in Indonesian instead of Django's generic message."""

    min_message = ""

    def _construct_form(self, i, **kwargs):
        # Only the rows already on file must be complete; a blank new row is simply not a row.
        kwargs.setdefault("empty_permitted", i >= self.initial_form_count())
        return super()._construct_form(i, **kwargs)

    def _kept_forms(self):
        return [
            form
            for i, form in enumerate(self.forms)
            if (i < self.initial_form_count() or form.has_changed()) and not self._should_delete_form(form)
        ]

    def clean(self):
        if any(self.errors):
            return
        kept = len(self._kept_forms())
        if kept < self.min_num:
            raise forms.ValidationError(self.min_message % {"min": self.min_num, "n": kept}, code="too_few")

    def rows(self) -> list[dict]:
        return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in self._kept_forms()]

    def warnings(self) -> list[str]:
        """Non-blocking remarks of the kept rows (e.g. a NIK from another province), for the page to show."""
        return [message for form in self._kept_forms() for message in getattr(form, "warnings", [])]


class PengurusFormSetBase(_PeopleFormSet):
    min_message = _("Isi sedikitnya %(min)d pengurus; baru %(n)d yang diisi.")


class AnggotaFormSetBase(_PeopleFormSet):
    min_message = _(
        "Sentra IKM harus beranggotakan sedikitnya %(min)d unit IKM (PP 29/2018); baru %(n)d yang diisi."
    )


PengurusFormSet = forms.formset_factory(
    PengurusForm, formset=PengurusFormSetBase, extra=2, min_num=1, validate_min=False, max_num=50, can_delete=True
)
AnggotaFormSet = forms.formset_factory(
    AnggotaIKMForm,
    formset=AnggotaFormSetBase,
    extra=1,
    min_num=services.MIN_ANGGOTA_IKM,
    validate_min=False,
    max_num=500,
    can_delete=True,
)


class DokumenForm(forms.Form):
    """One PDF per document type; the ones required depend on the legal form."""

    def __init__(self, *args, bentuk_hukum=None, **kwargs):
        super().__init__(*args, **kwargs)
        required = set(required_documents(bentuk_hukum))
        if_ppk_blud = set(required_documents(bentuk_hukum, ppk_blud=True)) - required
        for jenis in JenisDokumen:
            # Which legal forms require it, for the page to mark it as soon as the form is chosen.
            required_for = " ".join(b.value for b in BentukHukum if jenis in required_documents(b.value))
            self.fields[jenis.value] = forms.FileField(
                label=jenis.label,
                required=False,
                help_text=_("wajib untuk bentuk ini") if jenis in required
                else _("wajib bila UPTD menerapkan PPK-BLUD") if jenis in if_ppk_blud else "",
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,.pdf", "data-wajib-untuk": required_for}
                ),
            )

    def clean(self):
        data = super().clean()
        for jenis in JenisDokumen:
            try:
                checked = _checked_pdf(self, jenis.value, str(jenis.label))
            except forms.ValidationError as exc:
                self.add_error(jenis.value, exc)
                continue
            data[jenis.value] = checked
        return data

    def checked_documents(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v is not None}


class PemeriksaanAsetForm(SingleLineMixin, forms.ModelForm):
    class Meta:
        model = PemeriksaanAset
        fields = ["kode_kib", "nomor_bast", "status_pemanfaatan", "jangka_waktu_tahun", "catatan"]
        # The decision form beside it has its own "Catatan": each label says what it is for.
        labels = {"catatan": _("Catatan pemeriksaan aset")}


class SKForm(SingleLineMixin, forms.ModelForm):
    signed_pdf = forms.FileField(
        label=_("SK bertanda tangan (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})
    )

    class Meta:
        model = SK
        fields = ["nomor", "tanggal", "penandatangan_nama", "penandatangan_kapasitas", "srikandi_ref"]
        widgets = {"tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_signed_pdf(self):
        return _checked_pdf(self, "signed_pdf", _g("SK bertanda tangan"))

    def sk_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "signed_pdf"}


# --- the DAK sentra register (issue 14) --------------------------------------------------------------


class AsciiNumbersMixin:
    """Number fields take ASCII digits only: Django's number fields read Arabic-Indic, Devanagari or
    other digits through ``int()``/``Decimal()``; those are refused with a clear message."""

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, (forms.IntegerField, forms.DecimalField)) and self.is_bound:
                raw = str(self.data.get(self.add_prefix(name), "") or "")
                if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in raw):
                    self.add_error(name, _g("Gunakan angka 0-9 saja."))
        return data


class SentraRegisterForm(AsciiNumbersMixin, SingleLineMixin, forms.ModelForm):
    """A sentra of the DAK register: where it is and what it makes (its DAK years are a formset)."""

    class Meta:
        model = Sentra
        fields = ["region", "name", "komoditas", "kecamatan", "desa", "alamat", "latitude", "longitude"]
        labels = {"komoditas": _("Komoditas unggulan")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A registered sentra keeps its kab/kota and name (proposals and SKs name it).
            del self.fields["region"]
            self.fields["name"].disabled = True
        else:
            self.fields["region"].queryset = Region.objects.visible_to(user).exclude(kind=RegionKind.PROVINSI)
            self.fields["region"].empty_label = None


class DakAlokasiForm(AsciiNumbersMixin, SingleLineMixin, forms.ModelForm):
    class Meta:
        model = DakAlokasi
        fields = ["tahun", "nilai", "output_bangunan", "output_mesin", "output_peralatan"]


DakAlokasiFormSet = forms.inlineformset_factory(
    Sentra, DakAlokasi, form=DakAlokasiForm, extra=1, can_delete=True, max_num=30, validate_max=True
)


class SentraFilterForm(forms.Form):
    """Filters of the register's list; the kab/kota offered are those the user may see."""

    wilayah = forms.ModelChoiceField(
        label=_("Kabupaten/kota"), queryset=Region.objects.none(), required=False, to_field_name="code",
        empty_label=_("Semua"),
    )
    keadaan = forms.ChoiceField(label=_("Keadaan"), required=False, choices=[("", _("Semua"))] + SentraState.choices)
    indikator = forms.BooleanField(label=_("Hanya sentra DAK tanpa pengelola ber-SK"), required=False)
    belum_dikonfirmasi = forms.BooleanField(label=_("Hanya yang menunggu konfirmasi provinsi"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].queryset = Region.objects.visible_to(user).exclude(kind=RegionKind.PROVINSI)

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class DakImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas daftar sentra DAK (.xlsx)"))


# --- the census of IKM members (sentra.census) ------------------------------------------------------


class ImporAnggotaForm(forms.Form):
    """The census import's upload: one .xlsx filled in from the template."""

    file = forms.FileField(
        label=_("Berkas Excel anggota IKM (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )


class AnggotaExportForm(forms.Form):
    """Which members to export (a kab/kota of the user's scope, or all of it) and in which format."""

    wilayah = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV")], initial="xlsx",
                               required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].choices = [("", _("Semua dalam cakupan saya"))] + [
            (r.code, str(r)) for r in register_regions(user)
        ]
