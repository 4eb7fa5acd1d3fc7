"""The site's cache (Redis) that never takes a page down with it.

Everything the site keeps in the cache can be lost or read again: reference data (step deadlines, days
off, office hours and names, the province's kab/kota), the census import's progress, the counters of
the public verification page's and the API's rate limits, the windows that keep refused-access records
from flooding the audit trail, and copies of sessions (whose store of record is the database:
``accounts.session_store``). Django's ``RedisCache`` raises when Redis cannot be reached, so with Redis
down every page reading reference data would answer 500. ``FailSafeRedisCache`` answers as if the key
were not there instead, and logs it (at most once a minute per process):

- a read is a miss (``get`` returns the default; the caller reads the database, as on a cold cache);
- a write or a delete does nothing (``set`` and ``delete`` say it did not happen);
- ``add`` says it happened: the callers that ask it are the "record this refusal once per window"
  guards, which then record every refusal (too many audit rows rather than none) and the counters,
  whose next ``incr`` finds no key (``ValueError``, as Django's contract says for a missing key) and
  start again from one. Rate limits therefore do not hold while Redis is down: they are there against
  abuse, and the site stays up rather than refusing everyone.

Calls wait at most ``SKSENTRA_CACHE_TIMEOUT_SECONDS`` (socket connect and read timeouts in
``settings.CACHES``), so a Redis that hangs costs a request that long, not forever.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("sksentra.cache")

_LOG_EVERY_SECONDS = 60.0
_last_logged = 0.0


def _failed(operation: str, exc: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("cache %s failed, answered as a miss: %s: %s", operation, type(exc).__name__, exc)


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache, answering "not there" when Redis cannot be reached (module docstring)."""

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception as exc:
            _failed("read", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception as exc:
            _failed("read", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except Exception as exc:
            _failed("read", exc)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except Exception as exc:
            _failed("write", exc)
            return False

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except Exception as exc:
            _failed("write", exc)
            return list(data)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception as exc:
            _failed("write", exc)
            return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except Exception as exc:
            _failed("write", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise
        except Exception as exc:
            _failed("write", exc)
            raise ValueError(f"Key {key!r} not found (the cache is unreachable)") from exc

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception as exc:
            _failed("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except Exception as exc:
            _failed("delete", exc)
            return None

    def clear(self):
        try:
            return super().clear()
        except Exception as exc:
            _failed("clear", exc)
            return False
