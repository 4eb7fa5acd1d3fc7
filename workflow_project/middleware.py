"""Middleware of the assembled site (the viewflow ``Site`` of ``workflow_project.urls``)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login


class LoginFirstMiddleware:
    """An anonymous visitor of a page of the viewflow site (the root ``/`` included) is sent to the login
    page, and back to that page after logging in, instead of viewflow's "403 Anda belum masuk".

    Placed before ``viewflow.middleware.SiteMiddleware``, which refuses anonymous visitors outright.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        extra = getattr(getattr(match, "url_name", None), "extra", {}) if match else {}
        if extra.get("site") is not None and not request.user.is_authenticated:
            safe_to_replay = request.method in ("GET", "HEAD")
            return redirect_to_login(request.get_full_path() if safe_to_replay else settings.LOGIN_REDIRECT_URL)
        return None
