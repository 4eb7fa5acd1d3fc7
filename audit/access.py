"""Refused requests in the audit trail: who was refused what (method, URL), when, from where.

A request answered 403 (another region's object, a role without the step's permission, an auditor's
write) becomes an ``ACCESS_DENIED`` event, written by ``audit.context.AuditContextMiddleware``. A sweep
must not flood the chain, so refusals are folded, counted in the cache (Redis in production):

- one event per user, method and path per window (``SKSENTRA_ACCESS_DENIED_FOLD_MINUTES``, 10);
  the next event of that user and URL says how many refusals it stands for (``details["refusals"]``:
  this one and those folded since the previous event);
- at most ``SKSENTRA_ACCESS_DENIED_MAX_EVENTS`` (20) events per user per window, whatever the URLs: a
  walk over every URL of the site costs the chain 20 events per user per window, and the refusals
  beyond are counted into the next event of each URL.

Only signed-in users are recorded (an anonymous visitor is sent to the login page). A 404 for an
object out of scope stays a 404 and is not recorded (it cannot be told from a mistyped address).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache

from .models import Action

logger = logging.getLogger("sksentra.security")

_PREFIX = "sksentra:access-denied"
_TALLY_SECONDS = 7 * 24 * 3600


def fold_seconds() -> int:
    return int(getattr(settings, "SKSENTRA_ACCESS_DENIED_FOLD_MINUTES", 10)) * 60


def max_events_per_window() -> int:
    return int(getattr(settings, "SKSENTRA_ACCESS_DENIED_MAX_EVENTS", 20))


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def access_denied_record(request, response):
    """Record (or fold) the refusal ``response`` (a 403) gave to ``request``; never raises."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    try:
        return _record(request, response, user)
    except Exception:  # noqa: BLE001 - recording a refusal must never turn it into a 500
        logger.exception("access refusal not recorded: %s %s for %s", request.method, request.path, user)
        return None


def _record(request, response, user):
    from . import services  # services imports this app's models; kept local to avoid a cycle at import

    path = request.path[:300]
    url = hashlib.sha256(f"{request.method} {path}".encode()).hexdigest()[:32]
    # A service-account token (api.tokens.ServicePrincipal) is no user row: it is recorded by its name
    # ("token:<id>") with no actor, and folded under that name.
    is_user = isinstance(user, AbstractBaseUser) and user.pk is not None
    who = user.pk if is_user else str(user)
    window = fold_seconds()
    tally = _incr(f"{_PREFIX}:tally:{who}:{url}", _TALLY_SECONDS)
    logger.warning("access refused: %s %s for %s (%s)", request.method, path, who, response.status_code)
    if not cache.add(f"{_PREFIX}:window:{who}:{url}", 1, timeout=window):
        return None  # folded into the next event of this URL
    if _incr(f"{_PREFIX}:user:{who}", window) > max_events_per_window():
        cache.delete(f"{_PREFIX}:window:{who}:{url}")  # this URL's next refusal may still be recorded
        return None
    try:
        cache.decr(f"{_PREFIX}:tally:{who}:{url}", tally)
    except ValueError:
        pass
    match = getattr(request, "resolver_match", None)
    details = {
        "method": request.method,
        "path": path,
        "status": response.status_code,
        "refusals": tally,
        "fold_minutes": window // 60,
    }
    if match is not None:
        details["view"] = match.view_name or ""
        details["kwargs"] = {k: str(v)[:64] for k, v in match.kwargs.items()}
    if not is_user:
        details["region"] = getattr(user, "region_id", "") or ""
        return services.event_record(action=Action.ACCESS_DENIED, actor_username=str(user), details=details,
                                     note=f"{request.method} {path}")
    return services.event_record(action=Action.ACCESS_DENIED, actor=user, details=details,
                                 note=f"{request.method} {path}")
