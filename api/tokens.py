"""Token secrets (made, hashed, checked) and the principal a service-account token acts as."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from .models import ApiToken, Scope

SECRET_PREFIX = "sks_"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # last-used time is written at most once a minute per token


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_issue(token: ApiToken, *, created_by=None) -> str:
    """Give ``token`` a fresh secret, store its hash, and return the secret (shown once, never stored)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token.prefix = secret[: len(SECRET_PREFIX) + 6]
    token.key_hash = secret_hash(secret)
    if created_by is not None and token.created_by_id is None:
        token.created_by = created_by
    token.save()
    return secret


def token_revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token whose secret is ``secret`` (looked up by its hash), its last-used time kept."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.select_related("user__region", "region").filter(key_hash=secret_hash(secret)).first()
    if token is None or not token.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ServicePrincipal:
    """What a service-account token acts as: an authenticated non-user attached to the token's region.

    It carries what the scope rule (``accounts.selectors.user_visible_region_codes``) reads of a user,
    so ``Model.objects.visible_to(principal)`` is the one rule, not a second copy of it. It holds no
    role and no permission: it reads, and acts on no task.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    role_names = frozenset()

    def __init__(self, token: ApiToken):
        self.token = token
        self.pk = self.id = None
        self.region = token.region
        self.region_id = token.region_id
        self.username = f"token:{token.pk}"

    def __str__(self):
        return self.username

    def has_perm(self, perm, obj=None):
        return False

    def has_perms(self, perms, obj=None):
        return False

    def get_all_permissions(self, obj=None):
        return set()


def scopes_of(request) -> frozenset[str]:
    """The scopes of the request: a token's own, every scope for the site's session."""
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken):
        return frozenset(token.scopes or [])
    if request.user.is_authenticated:
        return frozenset(Scope.values)
    return frozenset()


def principal_key(request) -> str:
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken):
        return f"token:{token.pk}"
    return f"user:{request.user.pk}"
