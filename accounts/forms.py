"""Login forms that tell a locked official, in Indonesian, how long to wait."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from viewflow.contrib.auth import AuthenticationForm as ViewflowAuthenticationForm

from . import throttle


class ThrottledLoginFormMixin:
    """Say why a login failed when the (username, IP) pair is locked.

    The lock itself is enforced by ``accounts.backends.ThrottledModelBackend`` (every attempt goes
    through it and is counted or logged by ``accounts.throttle``); when authentication fails and the
    pair is now locked, the form shows "Terlalu banyak percobaan masuk. Coba lagi dalam N menit."
    instead of the generic wrong-password error.
    """

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            key = throttle.login_key(self.cleaned_data.get("username"), self.request)
            remaining = throttle.lock_remaining(key)
            if remaining is not None:
                raise forms.ValidationError(throttle.locked_message(remaining), code="login_locked") from None
            raise


class LoginForm(ThrottledLoginFormMixin, ViewflowAuthenticationForm):
    """The site's login form (/accounts/login/)."""


class AdminLoginForm(ThrottledLoginFormMixin, AdminAuthenticationForm):
    """The admin's login form (/admin/login/): staff accounts only, same throttling."""
