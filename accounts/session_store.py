"""Sessions read from the cache, kept in the database: Django's ``cached_db`` with a cap on a cached copy's life.

Every request reads its session. From the cache (Redis in production and CI, the process's own memory in
the embedded mode) that costs no SQL statement; the database stays the store of record: every write goes
there first, a cache miss is answered from it, and ``accounts.sessions.user_sessions_end`` finds a user's
sessions there (and drops their cached copies too).

With Redis down, Django's own ``cached_db`` would let the cache's error through (the ``set`` after a
miss in ``load``, the ``delete`` at logout, ``exists`` for a new key) and every page would answer 500.
It does not here because the cache itself never fails a call: ``core.cache.FailSafeRedisCache``, the
cache the settings configure whenever ``REDIS_URL`` is set, answers a failed call as a miss and logs it.
The session cache must be that one (``SESSION_CACHE_ALIAS``); the failure handling has one home.

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

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.core.cache import caches

KEY_PREFIX = cached_db.KEY_PREFIX


def cache_timeout_cap() -> int:
    """The longest a session's cached copy lives (seconds): the idle timeout (see the module's docstring)."""
    return settings.SKSENTRA_SESSION_IDLE_MINUTES * 60


class _CappedCache:
    """The session cache as ``cached_db`` uses it, with each copy's life capped (the module's docstring)."""

    def __init__(self, cache):
        self._cache = cache

    @staticmethod
    def _timeout(timeout):
        cap = cache_timeout_cap()
        return cap if timeout is None else min(timeout, cap)

    def set(self, key, value, timeout=None):
        self._cache.set(key, value, self._timeout(timeout))

    async def aset(self, key, value, timeout=None):
        await self._cache.aset(key, value, self._timeout(timeout))

    def __getattr__(self, name):  # get, delete, delete_many and their async twins, as the cache has them
        return getattr(self._cache, name)

    def __contains__(self, key):
        return key in self._cache


def session_cache() -> _CappedCache:
    return _CappedCache(caches[settings.SESSION_CACHE_ALIAS])


def cached_copies_drop(session_keys) -> None:
    """Drop the cached copies of these sessions (their rows are being deleted by the caller)."""
    keys = [KEY_PREFIX + key for key in session_keys]
    if keys:
        session_cache().delete_many(keys)


class SessionStore(cached_db.SessionStore):
    """``SESSION_ENGINE = "accounts.session_store"``: ``cached_db`` whose cached copies live at most the idle timeout."""

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
