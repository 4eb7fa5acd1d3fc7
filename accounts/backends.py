"""The authentication backend: Django's own, refusing a (username, IP) pair while it is locked."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from . import throttle
from .models import users_with_roles


class ThrottledModelBackend(ModelBackend):
    """``ModelBackend`` that refuses every attempt of a locked pair, whatever form it comes from.

    Raising ``PermissionDenied`` makes ``django.contrib.auth.authenticate`` give up at once (no other
    backend is asked) and send ``user_login_failed``; ``accounts.throttle.failure_record`` then logs it
    without extending the lock. Calls without a request (management commands, ``Client.login`` in
    tests) are not web logins and are not throttled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        typed = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if throttle.lock_remaining(throttle.login_key(typed, request)) is not None:
            raise PermissionDenied("login locked for this username and address")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        """The request's user with its region, its role names and its Plt./Plh. grants in force, in one
        statement: the region scope and the permission backend read them on every page."""
        UserModel = get_user_model()
        user = users_with_roles(UserModel._default_manager.select_related("region").filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
