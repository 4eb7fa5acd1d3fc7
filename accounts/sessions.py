"""How long a login lasts, and ending every login of a user at once.

Rules:

- a session lasts at most a working day from the moment of login (``SESSION_COOKIE_AGE``, 9 hours),
  however active the official is: the next morning they log in again;
- a session left untouched for ``SKSENTRA_SESSION_IDLE_MINUTES`` (30) ends: a screen left open in a
  shared office does not stay logged in;
- deactivating an account (``is_active`` off) or deleting it ends all its live sessions at once.
  Django would already treat such a session as anonymous (``ModelBackend.get_user``); deleting the
  rows makes the end explicit and final, even if the account is activated again later.

The request side is ``accounts.middleware.SessionTimeoutMiddleware``; the account side is wired to
the user model's signals in ``accounts.apps``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import ngettext

from .session_store import cached_copies_drop

logger = logging.getLogger("sksentra.security")

LOGIN_AT_KEY = "_sksentra_login_at"
SEEN_AT_KEY = "_sksentra_seen_at"
# Refresh the "last seen" mark at most this often, so a busy page does not write the session every time.
_TOUCH_EVERY = timedelta(seconds=60)

IDLE, LIFETIME = "idle", "lifetime"


def idle_timeout() -> timedelta:
    return timedelta(minutes=settings.SKSENTRA_SESSION_IDLE_MINUTES)


def max_lifetime() -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


def session_start(session, *, now: datetime | None = None) -> None:
    """Mark a session as logged in now (called on every login)."""
    stamp = (now or timezone.now()).timestamp()
    session[LOGIN_AT_KEY] = stamp
    session[SEEN_AT_KEY] = stamp


def session_check(session, *, now: datetime | None = None) -> str | None:
    """Why an authenticated session has ended (``IDLE`` or ``LIFETIME``), or ``None`` if it goes on.

    A session that goes on is marked as seen now (at most once a minute).
    """
    now_ts = (now or timezone.now()).timestamp()
    login_at = session.get(LOGIN_AT_KEY)
    seen_at = session.get(SEEN_AT_KEY)
    if login_at is None or seen_at is None:
        # Logged in before these marks existed: start counting from now.
        session.setdefault(LOGIN_AT_KEY, now_ts)
        session[SEEN_AT_KEY] = now_ts
        return None
    if now_ts - login_at > max_lifetime().total_seconds():
        return LIFETIME
    if now_ts - seen_at > idle_timeout().total_seconds():
        return IDLE
    if now_ts - seen_at >= _TOUCH_EVERY.total_seconds():
        session[SEEN_AT_KEY] = now_ts
    return None


def session_end_message(reason: str) -> str:
    """What the login page tells an official whose session has just ended."""
    if reason == IDLE:
        minutes = settings.SKSENTRA_SESSION_IDLE_MINUTES
        return ngettext(
            "Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)d menit. Silakan masuk kembali.",
            "Sesi Anda berakhir karena tidak ada aktivitas selama %(minutes)d menit. Silakan masuk kembali.",
            minutes,
        ) % {"minutes": minutes}
    hours = round(settings.SESSION_COOKIE_AGE / 3600)
    return ngettext(
        "Sesi Anda berakhir setelah %(hours)d jam. Silakan masuk kembali.",
        "Sesi Anda berakhir setelah %(hours)d jam. Silakan masuk kembali.",
        hours,
    ) % {"hours": hours}


def user_sessions_end(user) -> int:
    """Delete every live session of ``user``, its row and its cached copy; return how many ended.

    The database is the sessions' store of record (``accounts.session_store``: every write goes there,
    the cache holds copies for reading). Rows carry the user id only inside their encoded data, so the
    live ones are decoded one by one: a few thousand rows at most for the officials of a province, and
    this runs only when an account is deactivated or deleted. The cached copies go too, or a request
    would still find the session there (and, after a reactivation, be logged in again).
    """
    user_id = str(user.pk)
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    for session in live.iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            ended.append(session.session_key)
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
        cached_copies_drop(ended)
    logger.info("ended %d session(s) of user id %s", len(ended), user_id)
    return len(ended)
