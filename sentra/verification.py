"""Public verification of register entries: how often one address may ask.

The pages need no login, so they are bounded per client address (``SKSENTRA_VERIFY_MAX_PER_MINUTE``
requests a minute) through the shared cache: Redis in production, so the bound holds across all web
processes. The address is the one ``accounts.throttle.client_ip`` trusts behind the configured proxies.
"""

import time

from django.conf import settings
from django.core.cache import cache

from accounts.throttle import client_ip

WINDOW_SECONDS = 60


def verification_rate_exceeded(request) -> bool:
    """Count this request for its client address; ``True`` once the address is over the limit."""
    limit = settings.SKSENTRA_VERIFY_MAX_PER_MINUTE
    if limit <= 0:
        return False
    window = int(time.time() // WINDOW_SECONDS)
    key = f"sksentra:verifikasi:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count > limit
