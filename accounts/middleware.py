"""Request-wide guards that hold whatever view is reached."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .selectors import user_is_read_only

# Logging out is the one write an auditor makes.
_ALLOWED_PATHS = ("/accounts/logout/",)


class ReadOnlyAuditorMiddleware:
    """Refuse every state-changing request of a read-only user (auditor), whatever the URL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD", "OPTIONS")
            and request.path not in _ALLOWED_PATHS
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and user_is_read_only(request.user)
        ):
            raise PermissionDenied(_("Auditor hanya dapat membaca; perubahan tidak diizinkan."))
        return self.get_response(request)
