"""Sessions read from the cache, kept in the database: Django's ``cached_db`` that survives the cache going down.

Every request reads its session. From the cache (Redis in production and CI, the process's own memory in
the embedded mode) that costs no SQL statement; the database stays the store of record: every write goes
there first, a cache miss is answered from it, and ``accounts.sessions.user_sessions_end`` finds a user's
sessions there (and drops their cached copies too).

Django's own ``cached_db`` lets a cache failure through in three places (5.2): the ``set`` after a cache
miss in ``load``, the ``delete`` (logout, a new key at login) and ``exists`` (a new session key). With
Redis down every page would then answer 500. Here every cache operation of the store goes through
``_FailSafeCache``: a failure is logged and taken as "not in the cache", so the request is served from
the database as before this store existed.

What a failed cache write may leave behind is bounded:

- a cached copy lives at most ``SKSENTRA_SESSION_IDLE_MINUTES`` (30), never the session's whole life: a
  session in use is written back at least once a minute (``accounts.sessions`` notes "last seen"), which
  refreshes its copy, and one idle that long has ended anyway, so the cap costs no read of a live
  session;
- a copy the cache kept when its delete failed (a logout while Redis was unreachable but kept its
  data) still carries the "last seen" of its last request, so the idle timeout ends it within 30
  minutes; and its first write (within a minute) finds no row in the database: the copy is dropped then
  (``save``) and the request is refused as Django refuses a session ended meanwhile;
- a password change ends other sessions whatever their copy says: Django checks the session's password
  hash against the user row on every request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.core.cache import caches

logger = logging.getLogger("sksentra.sessions")

KEY_PREFIX = cached_db.KEY_PREFIX


def cache_timeout_cap() -> int:
    """The longest a session's cached copy lives (seconds): the idle timeout (see the module's docstring)."""
    return settings.SKSENTRA_SESSION_IDLE_MINUTES * 60


class _FailSafeCache:
    """The session cache as ``cached_db`` uses it, answering "not there" instead of raising when the
    cache cannot be reached (and capping how long a copy lives)."""

    def __init__(self, cache):
        self._cache = cache

    @staticmethod
    def _failed(operation: str, exc: Exception) -> None:
        logger.warning("session cache %s failed, the database answers: %s: %s", operation, type(exc).__name__, exc)

    @staticmethod
    def _timeout(timeout):
        cap = cache_timeout_cap()
        return cap if timeout is None else min(timeout, cap)

    def get(self, key, default=None):
        try:
            return self._cache.get(key, default)
        except Exception as exc:
            self._failed("read", exc)
            return default

    def set(self, key, value, timeout=None):
        try:
            self._cache.set(key, value, self._timeout(timeout))
        except Exception as exc:
            self._failed("write", exc)

    def delete(self, key):
        try:
            self._cache.delete(key)
        except Exception as exc:
            self._failed("delete", exc)

    def delete_many(self, keys):
        try:
            self._cache.delete_many(keys)
        except Exception as exc:
            self._failed("delete", exc)

    def __contains__(self, key):
        try:
            return key in self._cache
        except Exception as exc:
            self._failed("read", exc)
            return False

    async def aget(self, key, default=None):
        try:
            return await self._cache.aget(key, default)
        except Exception as exc:
            self._failed("read", exc)
            return default

    async def aset(self, key, value, timeout=None):
        try:
            await self._cache.aset(key, value, self._timeout(timeout))
        except Exception as exc:
            self._failed("write", exc)

    async def adelete(self, key):
        try:
            await self._cache.adelete(key)
        except Exception as exc:
            self._failed("delete", exc)


def session_cache() -> _FailSafeCache:
    return _FailSafeCache(caches[settings.SESSION_CACHE_ALIAS])


def cached_copies_drop(session_keys) -> None:
    """Drop the cached copies of these sessions (their rows are being deleted by the caller)."""
    keys = [KEY_PREFIX + key for key in session_keys]
    if keys:
        session_cache().delete_many(keys)


class SessionStore(cached_db.SessionStore):
    """``SESSION_ENGINE = "accounts.session_store"``: ``cached_db`` whose cache never fails a request."""

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = session_cache()

    def save(self, must_create=False):
        try:
            super().save(must_create)
        except UpdateError:
            # The row is gone (logged out or ended elsewhere): never serve its cached copy again.
            if self.session_key:
                self._cache.delete(self.cache_key_prefix + self.session_key)
            raise

    async def asave(self, must_create=False):
        try:
            await super().asave(must_create)
        except UpdateError:
            if self.session_key:
                await self._cache.adelete(self.cache_key_prefix + self.session_key)
            raise
