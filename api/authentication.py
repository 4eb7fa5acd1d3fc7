"""How a request to the API says who it is: a token (``Authorization: Bearer sks_…``) or the site's session."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .tokens import ServicePrincipal, token_for_secret


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Header Authorization harus berbentuk 'Bearer <token>'."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token tidak valid.")) from None
        token = token_for_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token tidak valid, sudah dicabut, atau kedaluwarsa."))
        if token.user_id is not None:
            if not token.user.is_active:
                raise exceptions.AuthenticationFailed(_("Pengguna token ini tidak aktif."))
            return token.user, token
        return ServicePrincipal(token), token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's own session (the documentation page, the site's own scripts), CSRF enforced on writes."""
