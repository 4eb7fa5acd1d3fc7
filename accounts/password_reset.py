"""The password-reset request form: limited per address and per client (``accounts.throttle``).

Django's view answers every valid request with the same "check your email" page, whether the address
belongs to an account or not; over a limit the same page is answered and simply no email leaves.
"""

from django.contrib.auth.forms import PasswordResetForm

from . import throttle


class ThrottledPasswordResetForm(PasswordResetForm):
    def save(self, *args, request=None, **kwargs):
        if not throttle.password_reset_allowed(self.cleaned_data["email"], request):
            return None
        return super().save(*args, request=request, **kwargs)
