"""Public verification of the register (no login): anyone holding an SK can check it is genuine.

Mounted outside the viewflow site (whose middleware refuses anonymous users) and rendered with a
plain page of its own. Only ``selectors.register_entry_public`` reaches the templates, and every
request counts against the client's rate limit.
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import selectors
from ..forms import VerifikasiForm
from ..verification import WINDOW_SECONDS, verification_rate_exceeded


def _page(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def _too_many(request):
    response = _page(
        request,
        "sentra/verifikasi_limit.html",
        {"message": _("Terlalu banyak permintaan verifikasi dari alamat Anda. Coba lagi dalam satu menit.")},
        status=429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


@require_safe
def verifikasi_lookup(request):
    """The lookup form; one match goes straight to its page, several are listed."""
    if verification_rate_exceeded(request):
        return _too_many(request)
    form = VerifikasiForm(request.GET or None)
    results = None
    if form.is_valid():
        found = selectors.verification_lookup(form.cleaned_data["q"])
        if len(found) == 1:
            return redirect("verifikasi:detail", token=found[0].verification_token)
        results = [(sk.verification_token, selectors.register_entry_public(sk)) for sk in found]
    return _page(request, "sentra/verifikasi.html", {"form": form, "results": results})


@require_safe
def verifikasi_detail(request, token: str):
    """One register entry, as its QR code points to it."""
    if verification_rate_exceeded(request):
        return _too_many(request)
    sk = selectors.verification_entry(token)
    if sk is None:
        return _page(request, "sentra/verifikasi.html", {"form": VerifikasiForm(), "not_found": True}, status=404)
    return _page(
        request,
        "sentra/verifikasi_detail.html",
        {"entry": selectors.register_entry_public(sk), "form": VerifikasiForm()},
    )
