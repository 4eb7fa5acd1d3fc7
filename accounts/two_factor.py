"""Two-factor sign-in: a TOTP app code (or a single-use backup code) after the password.

Rules:

- **who must**: holders of the roles that sign, number or record an SK (``kepala_daerah``,
  ``bagian_hukum``, ``pencatat_provinsi``: ``REQUIRED_ROLES``), staff and superusers, while
  ``SKSENTRA_2FA_REQUIRED`` is on (production default; off in the embedded demo and in the tests).
  Every other user may enrol from ``/accounts/2fa/``; once enrolled, they too are asked for a code;
- **until verified** a user who must, or who has a device, reaches only the two-factor pages and
  logout (``TwoFactorMiddleware``); anonymous requests and the exempt paths are untouched;
- **enrolment**: an unconfirmed TOTP device (QR code + the secret as text), confirmed by one right
  code; ten backup codes (django-otp's static device) are then shown once; each works once;
- **wrong codes** are counted in the login throttle's store (``accounts.throttle``) per user, over
  every address (the one typing already holds the password): ``SKSENTRA_LOGIN_MAX_FAILURES`` wrong
  codes within ``SKSENTRA_LOGIN_COOLOFF_MINUTES`` lock the second step for that long. django-otp's own
  per-device delays are switched off in the settings, so one rule speaks, in Indonesian;
- **reset**: an admin removes a user's devices (``two_factor_reset``); the audit trail records it
  (``audit.signals`` listens to ``two_factor_reset_done`` and ``two_factor_enrolled``: accounts sits
  below audit and imports nothing of it).
"""

from __future__ import annotations

import logging
from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import throttle
from .roles import Role

logger = logging.getLogger("sksentra.security")

REQUIRED_ROLES = frozenset({Role.KEPALA_DAERAH.value, Role.BAGIAN_HUKUM.value, Role.PENCATAT_PROVINSI.value})
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Aplikasi autentikator"
BACKUP_DEVICE_NAME = "Kode cadangan"

# Set at login: whether the user had a confirmed device then (so that the middleware needs no query
# for users without one). The backup codes just made wait here until their one showing.
SESSION_HAS_DEVICE = "_sksentra_2fa_device"
SESSION_BACKUP_CODES = "_sksentra_2fa_backup_codes"

# Paths a signed-in, not yet verified user may still reach (besides the two-factor pages).
EXEMPT_PREFIXES = ("/accounts/logout/", "/static/", "/healthz/", "/verifikasi/", "/notifikasi/whatsapp/webhook/")

# Sent with the acting admin (``actor``) and the user whose devices went (``user``); and with the user
# who has just confirmed a device (``user``). Receivers record them (``audit.signals``).
two_factor_reset_done = Signal()
two_factor_enrolled = Signal()


# --- who must, who has ------------------------------------------------------------------------------

def requirement_on() -> bool:
    return bool(getattr(settings, "SKSENTRA_2FA_REQUIRED", False))


def role_requires(user) -> bool:
    """Whether ``user``'s roles (their own, and those they act in as Plt./Plh.) or flags call for a second
    factor (whatever the setting says)."""
    roles = set(user.role_names) | {role for role, _ in getattr(user, "acting_roles", ())}
    return bool(user.is_staff or user.is_superuser or REQUIRED_ROLES & roles)


def two_factor_required(user) -> bool:
    """Whether ``user`` must enrol and verify before reaching anything."""
    return requirement_on() and role_requires(user)


def has_device(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def session_mark(request, user) -> None:
    """Remember in the session whether ``user`` has a confirmed device (called at every login)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_HAS_DEVICE] = has_device(user)


def on_logged_in(sender, request, user, **kwargs):
    session_mark(request, user)


# --- enrolment --------------------------------------------------------------------------------------

def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (one, kept across reloads so the QR code stays the same)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it typed in: base32, in groups of four."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The ``otpauth://`` URI of ``device`` as an inline SVG (no script, no external file)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, title="QR code")


def backup_codes_new(user) -> list[str]:
    """Replace the user's backup codes with ``BACKUP_CODE_COUNT`` new ones; return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True})
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def enrolment_confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with ``code``: the device counts from now on, the session is verified, the
    backup codes are made. Returns them, or ``None`` when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator per user: an earlier app (after a reset it is gone anyway) stops counting.
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    codes = backup_codes_new(request.user)
    verified_login(request, device)
    two_factor_enrolled.send(sender=TOTPDevice, user=request.user)
    logger.info("second factor enrolled for user id %s", request.user.pk)
    return codes


# --- verification -----------------------------------------------------------------------------------

def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


def code_check(user, code: str):
    """The confirmed device (authenticator or backup codes) that accepts ``code``, or ``None``.

    A backup code is deleted as it is used, so it works once.
    """
    code = normalize_code(code)
    if not code:
        return None
    return django_otp.match_token(user, code)


def verified_login(request, device) -> None:
    """Mark the session as verified by ``device`` (a new session key: nothing from before carries over)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[SESSION_HAS_DEVICE] = True


# --- throttling of wrong codes ----------------------------------------------------------------------

def throttle_key(user) -> throttle.LoginKey:
    """Wrong codes are counted per user over every address (``pwreset:`` keys use the same "any" IP)."""
    return throttle.LoginKey(username=f"2fa:{user.pk}", ip_address="0.0.0.0")


def lock_remaining(user) -> timedelta | None:
    return throttle.lock_remaining(throttle_key(user))


def failure_record(user, request) -> timedelta | None:
    """Count one wrong code; return how long the second step is now locked (``None`` if not)."""
    throttle.failure_record(throttle_key(user))
    logger.warning("wrong second-factor code for user id %s from %s", user.pk, throttle.client_ip(request) or "unknown")
    return lock_remaining(user)


def success_record(user) -> None:
    throttle.success_record(throttle_key(user))


# --- reset ------------------------------------------------------------------------------------------

@transaction.atomic
def two_factor_reset(*, user, actor) -> int:
    """Remove every device of ``user`` (authenticator and backup codes); return how many went.

    The user's verified sessions stop being verified on their next request (their device is gone);
    a user who must use two factors is then sent to enrol again.
    """
    removed = 0
    for device in list(django_otp.devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    throttle.success_record(throttle_key(user))
    two_factor_reset_done.send(sender=type(user), user=user, actor=actor, devices=removed)
    logger.warning("second factor reset for user id %s by user id %s (%d device(s))", user.pk, getattr(actor, "pk", None), removed)
    return removed


# --- the request guard ------------------------------------------------------------------------------

def safe_next(request, fallback: str | None = None) -> str:
    """The ``next`` parameter when it points into this site, else ``fallback`` (the inbox)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback or settings.LOGIN_REDIRECT_URL


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class TwoFactorMiddleware:
    """Keep a signed-in user who must give a second factor (or has one) on the two-factor pages until
    the session is verified: enrolment when they have no device yet, the code page otherwise.

    Placed after ``django_otp.middleware.OTPMiddleware`` (which tells whether the session is verified)
    and the session-timeout middleware. Anonymous requests and ``EXEMPT_PREFIXES`` pass untouched. A
    user with nothing to give and no duty costs no query: whether they have a device is read from the
    session mark set at login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect(request)
        return redirect if redirect is not None else self.get_response(request)

    def _redirect(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path
        prefix = reverse("two_factor:overview")
        if path.startswith(prefix) or path.startswith(EXEMPT_PREFIXES):
            return None
        marked = request.session.get(SESSION_HAS_DEVICE)
        if marked is None:  # a session from before two-factor sign-in existed
            marked = request.session[SESSION_HAS_DEVICE] = has_device(user)
        must = two_factor_required(user)
        if not (marked or must):
            return None
        if user.is_verified():
            return None
        next_url = request.get_full_path() if request.method in ("GET", "HEAD") else ""
        if marked:
            return HttpResponseRedirect(with_next(reverse("two_factor:verify"), next_url))
        return HttpResponseRedirect(with_next(reverse("two_factor:setup"), next_url))
