"""Request-wide guards that hold whatever view is reached."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import sessions
from .selectors import user_is_read_only

logger = logging.getLogger("sksentra.security")

# The writes an auditor makes to their own account, never to the register: logging out and
# changing their own password (read-only is about the register's data, not one's own login).
_ALLOWED_PATHS = ("/accounts/logout/", "/accounts/password_change/")
# ... and their own second factor (enrol, give a code, new backup codes): every page under it.
_ALLOWED_PREFIXES = ("/accounts/2fa/",)


class ReadOnlyAuditorMiddleware:
    """Refuse every state-changing request of a read-only user (auditor), whatever the URL, except
    the few that touch only their own account (``_ALLOWED_PATHS``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and request.path not in _ALLOWED_PATHS
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and user_is_read_only(request.user)
        ):
            raise PermissionDenied(_("Auditor hanya dapat membaca; perubahan tidak diizinkan."))
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """End a login that has been idle too long or has lasted a working day (``accounts.sessions``).

    The official is logged out and sent to the login page with a message saying why; they come back
    to the page they asked for after logging in again (GET only: a form posted after the session ended
    is not replayed).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = sessions.session_check(request.session)
            if reason is not None:
                logger.info("session ended (%s) for user id %s", reason, user.pk)
                logout(request)
                messages.warning(request, sessions.session_end_message(reason))
                safe_to_replay = request.method in ("GET", "HEAD")
                return redirect_to_login(request.get_full_path() if safe_to_replay else settings.LOGIN_REDIRECT_URL)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Send ``Content-Security-Policy`` (``SKSENTRA_CONTENT_SECURITY_POLICY``) on every response.

    Django 5.2 has no CSP support of its own (it arrives in 6.0). The policy allows scripts only from
    this site; inline styles stay allowed because viewflow's templates and web components use them.
    A view that sets its own header keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.SKSENTRA_CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than ``SKSENTRA_MAX_REQUEST_BYTES`` before reading it.

    Each file is also capped while it streams in (``accounts.uploads``), and each document is checked
    against ``SKSENTRA_MAX_UPLOAD_BYTES`` by its form; this bounds the whole request (all the
    documents of one proposal together), whatever proxy sits in front.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.SKSENTRA_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            logger.warning("request refused: %d bytes to %s (limit %d)", length, request.path, limit)
            message = _("Unggahan terlalu besar (%(size)s). Ukuran maksimum seluruh unggahan %(limit)s.") % {
                "size": filesizeformat(length),
                "limit": filesizeformat(limit),
            }
            return HttpResponse(
                f"<!DOCTYPE html><html lang=\"id\"><meta charset=\"utf-8\"><title>413</title>"
                f"<p>{escape(message)}</p></html>",
                status=413,
            )
        return self.get_response(request)
