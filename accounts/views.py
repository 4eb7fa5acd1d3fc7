"""The login pages: viewflow's auth viewset with the throttled login form."""

from viewflow.contrib.auth import AuthViewset

from .forms import LoginForm
from .password_reset import ThrottledPasswordResetForm


class SentraAuthViewset(AuthViewset):
    """/accounts/: login (throttled per username and address), logout, password change and reset
    (reset requests limited per address asked for and per client)."""

    def get_login_view_kwargs(self, **kwargs):
        return super().get_login_view_kwargs(form_class=LoginForm, **kwargs)

    def get_pass_reset_view_kwargs(self, **kwargs):
        return super().get_pass_reset_view_kwargs(form_class=ThrottledPasswordResetForm, **kwargs)
