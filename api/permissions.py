"""Scopes a view needs (``required_scopes``), per method: reads need ``read_scope``, writes ``write_scope``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .tokens import scopes_of


class HasScope(permissions.BasePermission):
    message = _("Token ini tidak memiliki cakupan untuk permintaan ini.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        needed = getattr(view, "read_scope", None) if request.method in permissions.SAFE_METHODS else getattr(
            view, "write_scope", None
        )
        return needed is None or needed in scopes_of(request)
