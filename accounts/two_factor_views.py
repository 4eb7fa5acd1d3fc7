"""The two-factor pages under /accounts/2fa/: overview, enrolment, the code page, backup codes, turning
it off (optional users only). Thin: the rules are in ``accounts.two_factor``.

Every form page answers with a ``TemplateResponse`` so that a refused code is answered 422
(``core.middleware.RefusedFormStatusMiddleware``).
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import two_factor as tf
from .throttle import locked_message


class CodeForm(forms.Form):
    kode = forms.CharField(
        label=gettext_lazy("Kode"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["kode"].help_text = help_text


def _locked_message(remaining) -> str:
    return _("Terlalu banyak kode salah. %(message)s") % {"message": locked_message(remaining)}


def _wrong_or_locked(form, user, request) -> None:
    """Count the wrong code and say so (or that the second step is now locked)."""
    remaining = tf.failure_record(user, request)
    if remaining is not None:
        form.add_error(None, _locked_message(remaining))
    else:
        form.add_error("kode", _("Kode salah atau sudah kedaluwarsa. Periksa aplikasi autentikator Anda dan coba lagi."))


def _go(url: str, next_url: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(tf.with_next(url, next_url))


def _code_page(view):
    """A page of the second step: signed in, GET/HEAD/POST only; the view is given the ``next`` URL
    (``tf.safe_next``, "" when there is none) to carry on to."""

    @login_required
    @require_http_methods(["GET", "HEAD", "POST"])
    @functools.wraps(view)
    def page(request):
        return view(request, tf.safe_next(request, ""))

    return page


def _code_accepted(request, form, user, check):
    """On a valid POST of ``form`` (a ``CodeForm``), unless wrong codes have locked the second step,
    ``check(code)``: its answer when it accepts the code (the wrong-code count is cleared), else None
    and the form says why (a wrong code is counted)."""
    if not (request.method == "POST" and form.is_valid()):
        return None
    remaining = tf.lock_remaining(user)
    if remaining is not None:
        form.add_error(None, _locked_message(remaining))
        return None
    accepted = check(form.cleaned_data["kode"])
    if accepted is None:
        _wrong_or_locked(form, user, request)
        return None
    tf.success_record(user)
    return accepted


@login_required
def overview(request):
    user = request.user
    return TemplateResponse(request, "accounts/two_factor/overview.html", {
        "title": _("Verifikasi dua langkah"),
        "device": tf.totp_device(user),
        "backup_left": tf.backup_codes_left(user),
        "required": tf.two_factor_required(user),
        "verified": user.is_verified(),
    })


@_code_page
def setup(request, next_url):
    user = request.user
    if tf.has_device(user):
        if user.is_verified():
            return _go(reverse("two_factor:overview"))
        return _go(reverse("two_factor:verify"), next_url)
    device = tf.pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None, help_text=_("Enam angka yang ditampilkan aplikasi autentikator."))
    codes = _code_accepted(request, form, user,
                           lambda kode: tf.enrolment_confirm(request, device, tf.normalize_code(kode)))
    if codes is not None:
        request.session[tf.SESSION_BACKUP_CODES] = codes
        messages.success(request, _("Verifikasi dua langkah aktif."))
        return _go(reverse("two_factor:backup_codes"), next_url)
    return TemplateResponse(request, "accounts/two_factor/setup.html", {
        "title": _("Aktifkan verifikasi dua langkah"),
        "form": form,
        "qr_svg": tf.qr_svg(device),
        "secret": tf.secret_text(device),
        "required": tf.two_factor_required(user),
        "next": next_url,
    })


@_code_page
def verify(request, next_url):
    user = request.user
    if not tf.has_device(user):
        # No device (never enrolled, or reset by an admin): enrol if required, else nothing to ask.
        request.session[tf.SESSION_HAS_DEVICE] = False
        if tf.two_factor_required(user):
            return _go(reverse("two_factor:setup"), next_url)
        return HttpResponseRedirect(next_url or tf.safe_next(request))
    if user.is_verified():
        return HttpResponseRedirect(next_url or tf.safe_next(request))
    form = CodeForm(request.POST if request.method == "POST" else None,
                    help_text=_("Enam angka dari aplikasi autentikator, atau salah satu kode cadangan Anda."))
    device = _code_accepted(request, form, user, lambda kode: tf.code_check(user, kode))
    if device is not None:
        tf.verified_login(request, device)
        if device.persistent_id.startswith("otp_static."):
            left = tf.backup_codes_left(user)
            messages.warning(request, _("Kode cadangan dipakai; sisa %(left)d kode.") % {"left": left})
        return HttpResponseRedirect(next_url or tf.safe_next(request))
    return TemplateResponse(request, "accounts/two_factor/verify.html", {
        "title": _("Verifikasi dua langkah"),
        "form": form,
        "next": next_url,
    })


@_code_page
def backup_codes(request, next_url):
    """GET: the codes just made, shown once. POST: make a new set (the old ones stop working)."""
    user = request.user
    if request.method == "POST":
        if not (user.is_verified() and tf.has_device(user)):
            messages.error(request, _("Kode cadangan baru hanya dapat dibuat setelah verifikasi dua langkah."))
            return _go(reverse("two_factor:overview"))
        request.session[tf.SESSION_BACKUP_CODES] = tf.backup_codes_new(user)
        return _go(reverse("two_factor:backup_codes"))
    codes = request.session.pop(tf.SESSION_BACKUP_CODES, None)
    if not codes:
        return _go(reverse("two_factor:overview"))
    response = TemplateResponse(request, "accounts/two_factor/backup_codes.html", {
        "title": _("Kode cadangan"),
        "codes": codes,
        "next": next_url or tf.safe_next(request),
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def disable(request):
    """An optional user turns two-factor sign-in off (a user who must keep it asks an admin to reset it)."""
    user = request.user
    if tf.two_factor_required(user):
        messages.error(request, _("Peran Anda wajib memakai verifikasi dua langkah; tidak dapat dinonaktifkan."))
    elif not (user.is_verified() and tf.has_device(user)):
        messages.error(request, _("Verifikasi dua langkah hanya dapat dinonaktifkan setelah Anda memasukkan kode."))
    else:
        tf.two_factor_reset(user=user, actor=user)
        request.session[tf.SESSION_HAS_DEVICE] = False
        messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
    return _go(reverse("two_factor:overview"))


app_name = "two_factor"
urlpatterns = [
    path("", overview, name="overview"),
    path("aktifkan/", setup, name="setup"),
    path("verifikasi/", verify, name="verify"),
    path("kode-cadangan/", backup_codes, name="backup_codes"),
    path("nonaktifkan/", disable, name="disable"),
]
