"""The login pages: viewflow's auth viewset with the throttled login form."""

from viewflow.contrib.auth import AuthViewset

from .forms import LoginForm


class SentraAuthViewset(AuthViewset):
    """/accounts/: login (throttled per username and address), logout, password change and reset."""

    def get_login_view_kwargs(self, **kwargs):
        return super().get_login_view_kwargs(form_class=LoginForm, **kwargs)
