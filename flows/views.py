"""Task pages of the legalisation flow: show the official what they need, collect the decision, call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_safe

from core.errors import RuleViolation
from produk_hukum.selectors import kantor_wilayah
from sentra import forms as sentra_forms
from sentra.documents import sk_draft_render
from sentra.choices import JenisKeputusan
from sentra.services import UsulanData

from . import delegation, forms, selectors, services
from .models import LegalisasiProcess
from sentra.models import SK
from sentra.selectors import facts_changes, pengelola_facts, proposal_facts
from .steps import STEP, step_title


def _add_rule_error(form_list, exc: RuleViolation) -> None:
    """Show a rule violation next to its field when one of the forms has it, else at the top."""
    for form in form_list:
        if exc.field and exc.field in getattr(form, "fields", {}):
            form.add_error(exc.field, exc.messages[0])
            return
    form_list[0].add_error(None, exc.messages[0])


class TaskPageMixin:
    """Common to every task page: the proposal's data and documents, and where to go when done."""

    @property
    def activation(self):
        return self.request.activation

    def get_success_url(self):
        """Back to the inbox, where the official works through their tasks (the message says what
        was done); the pengusul goes to the proposal they just sent."""
        if STEP[self.activation.flow_task.name].by_pengusul:
            return reverse("legalisasi:process_detail", args=[self.activation.process.pk])
        return reverse("legalisasi:inbox")

    def proposal_context(self) -> dict:
        process = self.activation.process
        if process.pk is None:  # the start: nothing submitted yet
            return {}
        step = STEP[self.activation.flow_task.name]
        return {
            "step_title": step_title(step, kantor_wilayah(process.region) if step.office else None),
            "proposal": selectors.proposal_summary(process),
            "deadline": selectors.task_deadline_label(self.activation.task, process),
        }

    def done(self, message: str):
        messages.success(self.request, message, fail_silently=True)
        return HttpResponseRedirect(self.get_success_url())


class UsulanFormsMixin(TaskPageMixin):
    """The proposal's forms: sentra, pengelola, pengurus, anggota IKM and documents."""

    template_name = "flows/usulan_form.html"

    def existing_pengelola(self):
        return None

    def build_forms(self, data=None, files=None):
        pengelola = self.existing_pengelola()
        region = self.request.user.region if pengelola is None else pengelola.sentra.region
        initial_sentra = {"sentra": pengelola.sentra_id} if pengelola else None
        # Initial rows only fill the page; a submitted list is judged on what was submitted.
        people = selectors.usulan_initial(pengelola) if pengelola and data is None else {"pengurus": [], "anggota": []}
        pengelola_form = sentra_forms.PengelolaForm(data, instance=None, prefix="pengelola", initial=_model_initial(pengelola))
        bentuk = (data or {}).get("pengelola-bentuk_hukum") or (pengelola.bentuk_hukum if pengelola else None)
        return {
            "sentra_form": sentra_forms.SentraForm(
                data, region=region, user=self.request.user, prefix="sentra", initial=initial_sentra
            ),
            "pengelola_form": pengelola_form,
            "pengurus_formset": sentra_forms.PengurusFormSet(data, prefix="pengurus", initial=people["pengurus"]),
            "anggota_formset": sentra_forms.AnggotaFormSet(data, prefix="anggota", initial=people["anggota"]),
            "dokumen_form": sentra_forms.DokumenForm(data, files, prefix="dokumen", bentuk_hukum=bentuk),
        }

    def extra_forms(self, data=None):
        return {}

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.build_forms(), **self.extra_forms()))

    def post(self, request, *args, **kwargs):
        form_map = self.build_forms(request.POST, request.FILES)
        extra = self.extra_forms(request.POST)
        all_forms = list(form_map.values()) + list(extra.values())
        if all(f.is_valid() for f in all_forms):
            data = UsulanData(
                sentra=form_map["sentra_form"].cleaned_data.get("sentra"),
                sentra_fields=form_map["sentra_form"].sentra_fields(),
                pengelola_fields=form_map["pengelola_form"].cleaned_data,
                pengurus=form_map["pengurus_formset"].rows(),
                anggota=form_map["anggota_formset"].rows(),
                documents=form_map["dokumen_form"].checked_documents(),
            )
            # Accepted but worth a second look (a NIK issued outside Sulawesi Tengah): said, never blocking.
            for warning in form_map["pengurus_formset"].warnings() + form_map["anggota_formset"].warnings():
                messages.warning(request, warning, fail_silently=True)
            if "pratinjau" in request.POST and hasattr(self, "preview"):
                return self.preview(data, {**form_map, **extra})
            try:
                return self.submit(data, extra)
            except RuleViolation as exc:
                _add_rule_error(
                    [form_map["pengelola_form"], form_map["sentra_form"], *extra.values()], exc
                )
        messages.error(request, _("Usulan belum dapat disimpan. Periksa isian yang ditandai."), fail_silently=True)
        return self.render_to_response(self.get_context_data(**form_map, **extra), status=200)


def _model_initial(instance) -> dict:
    if instance is None:
        return {}
    return {f: getattr(instance, f) for f in sentra_forms.PengelolaForm.Meta.fields}


class UsulanView(UsulanFormsMixin, generic.TemplateView):
    """The pengusul fills in a new proposal."""

    def submit(self, data, extra):
        services.usulan_submit(activation=self.activation, user=self.request.user, data=data)
        return self.done(_("Usulan telah diajukan dan masuk antrean verifikasi Disperindag."))


def _target_sk(request, sk_pk: int) -> SK:
    """The SK a start acts on, in the user's region scope (another region's SK does not exist here)."""
    return get_object_or_404(
        SK.objects.visible_to(request.user).select_related("region", "pengelola__sentra").exclude(nomor_register=""),
        pk=sk_pk,
    )


class PerubahanView(UsulanFormsMixin, generic.TemplateView):
    """The pengusul proposes to amend a recorded SK: the forms start from the SK's data, and the page
    shows what the proposal changes (old → new) next to the current data."""

    jenis = JenisKeputusan.PERUBAHAN
    message = _("Usulan perubahan SK telah diajukan dan masuk antrean verifikasi Disperindag.")

    def dispatch(self, request, *args, **kwargs):
        self.target = _target_sk(request, kwargs["sk_pk"])
        return super().dispatch(request, *args, **kwargs)

    def existing_pengelola(self):
        return self.target.pengelola

    def extra_forms(self, data=None):
        return {"perubahan_form": forms.PerubahanForm(data, prefix="perubahan")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target_sk"] = self.target
        context["jenis_label"] = JenisKeputusan(self.jenis).label
        return context

    def preview(self, data, forms_and_extra):
        """"Pratinjau perubahan": the form as typed with what it changes, old -> new; nothing is saved."""
        changes = facts_changes(
            pengelola_facts(self.target.pengelola),
            proposal_facts(data.pengelola_fields, data.pengurus, data.anggota),
        )
        return self.render_to_response(self.get_context_data(**forms_and_extra, changes=changes))

    def submit(self, data, extra):
        form = extra["perubahan_form"]
        services.perubahan_submit(
            activation=self.activation, user=self.request.user, target=self.target, jenis=self.jenis, data=data,
            asset_change=form.cleaned_data.get("asset_change", False), catatan=form.cleaned_data.get("catatan", ""),
        )
        return self.done(str(self.message))


class PerpanjanganView(PerubahanView):
    """The pengusul proposes to renew the pengurus' term of a recorded SK, pre-filled from it."""

    jenis = JenisKeputusan.PERPANJANGAN
    message = _("Usulan perpanjangan masa bakti telah diajukan dan masuk antrean verifikasi Disperindag.")


class PencabutanView(TaskPageMixin, generic.TemplateView):
    """The kab/kota Disperindag proposes to revoke a recorded SK after its evaluation."""

    template_name = "flows/pencabutan_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.target = _target_sk(request, kwargs["sk_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("legalisasi:process_detail", args=[self.activation.process.pk])

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=forms.PencabutanForm(prefix="pencabutan"),
                                                             target_sk=self.target))

    def post(self, request, *args, **kwargs):
        form = forms.PencabutanForm(request.POST, request.FILES, prefix="pencabutan")
        if form.is_valid():
            try:
                services.pencabutan_submit(
                    activation=self.activation, user=request.user, target=self.target,
                    reason=form.cleaned_data["alasan"], grounds=form.cleaned_data["uraian"],
                    evidence=form.cleaned_data["bukti"],
                )
                return self.done(_("Usulan pencabutan SK telah diajukan ke Bagian Hukum."))
            except RuleViolation as exc:
                _add_rule_error([form], exc)
        return self.render_to_response(self.get_context_data(form=form, target_sk=self.target))


class PerbaikanPencabutanView(TaskPageMixin, generic.TemplateView):
    """The Disperindag revises a revocation Bagian Hukum returned, with the notes in view."""

    template_name = "flows/pencabutan_form.html"

    def get_success_url(self):
        return reverse("legalisasi:inbox")

    def _form(self, data=None, files=None):
        process = self.activation.process
        initial = {"alasan": process.revocation_reason, "uraian": process.revocation_grounds}
        return forms.PerbaikanPencabutanForm(data, files, prefix="pencabutan", initial=initial)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.proposal_context())
        context["target_sk"] = self.activation.process.target_sk
        context["revision_notes"] = services.revision_notes(self.activation.process)
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.pencabutan_revise(
                    activation=self.activation, user=request.user, reason=form.cleaned_data["alasan"],
                    grounds=form.cleaned_data["uraian"], evidence=form.cleaned_data.get("bukti"),
                    catatan=form.cleaned_data.get("catatan", ""),
                )
                return self.done(_("Perbaikan usulan pencabutan telah dikirim kembali ke Bagian Hukum."))
            except RuleViolation as exc:
                _add_rule_error([form], exc)
        return self.render_to_response(self.get_context_data(form=form))


class PerbaikanView(UsulanFormsMixin, generic.TemplateView):
    """The pengusul revises a returned proposal, with the officials' notes in view."""

    def existing_pengelola(self):
        return self.activation.process.pengelola

    def extra_forms(self, data=None):
        return {"perbaikan_form": forms.PerbaikanForm(data, prefix="perbaikan")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.proposal_context())
        context["revision_notes"] = services.revision_notes(self.activation.process)
        return context

    def submit(self, data, extra):
        services.perbaikan_submit(
            activation=self.activation,
            user=self.request.user,
            data=data,
            catatan=extra["perbaikan_form"].cleaned_data.get("catatan", ""),
        )
        return self.done(_("Perbaikan telah dikirim dan kembali ke verifikasi Disperindag."))


class DecisionView(TaskPageMixin, generic.TemplateView):
    """A verification step: the proposal on the left, the decision form on the right.

    A step with data of its own (``data_forms``) validates it only for the outcome that needs it
    (``steps.Step.data_required_for``): returning a proposal needs a note, not an asset check.
    """

    template_name = "flows/task_decide.html"

    @property
    def step_rules(self):
        return STEP[self.activation.flow_task.name]

    def data_forms(self, data=None, files=None) -> dict:
        return {}

    def build_forms(self, data=None, files=None) -> dict:
        keputusan = forms.KeputusanForm(data, prefix="keputusan", step=self.step_rules.name)
        return {"keputusan_form": keputusan, **self.data_forms(data, files)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.proposal_context())
        if self.step_rules.shows_sk_draft:
            process_pk = self.activation.process.pk
            context["sk_draft_urls"] = {
                "docx": reverse("rancangan:sk_draft_docx", args=[process_pk]),
                "pdf": reverse("rancangan:sk_draft_pdf", args=[process_pk]),
            }
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.build_forms()))

    def post(self, request, *args, **kwargs):
        form_map = self.build_forms(request.POST, request.FILES)
        keputusan = form_map["keputusan_form"]
        with_data = keputusan.data.get("keputusan-hasil") == self.step_rules.data_required_for
        if all(f.is_valid() for f in (form_map.values() if with_data else [keputusan])):
            try:
                self.decide(form_map if with_data else {}, **keputusan.cleaned_data)
                return self.done(_("Keputusan Anda telah dicatat."))
            except RuleViolation as exc:
                _add_rule_error(list(form_map.values()), exc)
        return self.render_to_response(self.get_context_data(**form_map))

    def decide(self, data_forms: dict, **decision):
        services.step_decide(activation=self.activation, user=self.request.user, **decision)


class VerifikasiDinasView(DecisionView):
    pass


class HarmonisasiHukumView(DecisionView):
    pass


class VerifikasiAsetView(DecisionView):
    """BPKAD decides on the asset lines it recorded on the sentra's asset page (linked from here)."""

    def decide(self, data_forms, **decision):
        services.verifikasi_aset_decide(activation=self.activation, user=self.request.user, **decision)


class ParafKoordinasiView(DecisionView):
    pass


class RevisiRancanganView(DecisionView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["revision_notes"] = services.draft_return_notes(self.activation.process)
        return context


class PenetapanSKView(DecisionView):
    """The kepala daerah signs the paraf'd draft (or their office records it on their behalf), returns
    it for revision, or declines. No number is typed here."""


class PenomoranSKView(DecisionView):
    def data_forms(self, data=None, files=None):
        # The signer as recorded at the signature (a Plt./Plh.'s surat perintah): read for the page only.
        initial = delegation.signer_initial(self.activation.process) if data is None else None
        return {"sk_form": forms.PenomoranSKForm(data, files, prefix="sk", initial=initial)}

    def decide(self, data_forms, **decision):
        sk_form = data_forms.get("sk_form")
        services.penomoran_sk_decide(
            activation=self.activation, user=self.request.user,
            sk_fields=sk_form.sk_fields() if sk_form is not None else None,
            pdf=sk_form.cleaned_data.get("signed_pdf") if sk_form is not None else None,
            salinan=sk_form.cleaned_data.get("salinan_pdf") if sk_form is not None else None,
            dasar=sk_form.cleaned_data.get("dasar_pdf") if sk_form is not None else None,
            **decision,
        )


class PencatatanProvinsiView(DecisionView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sk_awaiting"] = services.sk_awaiting_record(self.activation.process)
        return context

    def decide(self, data_forms, **decision):
        services.pencatatan_provinsi_decide(activation=self.activation, user=self.request.user, **decision)


class TanggapanCatatanView(DecisionView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sk_notes"] = services.sk_with_open_notes(self.activation.process)
        return context

    def decide(self, data_forms, **decision):
        services.tanggapan_catatan_decide(activation=self.activation, user=self.request.user, **decision)


@require_safe
@login_required
def sk_draft_download(request, process_pk: int, fmt: str):
    """The draft SK of a proposal (DOCX or PDF), for those who may view the proposal."""
    process = get_object_or_404(
        LegalisasiProcess.objects.visible_to(request.user).select_related("pengelola__sentra__region"), pk=process_pk
    )
    if not process.flow_class.instance.has_view_permission(request.user, obj=process):
        raise PermissionDenied
    return sk_draft_render(pengelola=process.pengelola, fmt=fmt, perihal=selectors.draft_perihal(process),
                           signer_kapasitas=delegation.signer_kapasitas(process)).http_response()
