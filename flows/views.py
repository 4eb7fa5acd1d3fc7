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
from sentra.services import UsulanData

from . import delegation, forms, selectors, services
from .models import LegalisasiProcess
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
    def data_forms(self, data=None, files=None):
        return {"aset_form": sentra_forms.PemeriksaanAsetForm(data, prefix="aset")}

    def decide(self, data_forms, **decision):
        aset = data_forms.get("aset_form")
        services.verifikasi_aset_decide(
            activation=self.activation, user=self.request.user,
            pemeriksaan=aset.cleaned_data if aset is not None else None, **decision,
        )


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
    return sk_draft_render(pengelola=process.pengelola, fmt=fmt,
                           signer_kapasitas=delegation.signer_kapasitas(process)).http_response()
