"""Login throttling: wrong passwords for one username from one IP address lock that pair for a while.

Rules:

- the key is always the pair (username as typed, lower-cased; client IP address). Offices sit behind
  one NAT, so a whole address is never locked: a colleague behind the same address still logs in,
  and the same username typed from another address is not locked either;
- ``SKSENTRA_LOGIN_MAX_FAILURES`` (5) wrong passwords for a pair, each within
  ``SKSENTRA_LOGIN_COOLOFF_MINUTES`` (15) of the first, lock the pair for that cool-off; while it is
  locked even the right password is refused, and attempts do not extend the lock;
- a successful login of the pair forgets its failures;
- every failure and every lock is logged (``sksentra.security``) with the username masked where it
  looks like a phone number, and never with the password.

Enforced for every login form (the site's and the admin's) by ``accounts.backends`` and shown to the
user by ``accounts.forms``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from .models import LoginThrottle
from .redaction import redact

logger = logging.getLogger("sksentra.security")

# Rows untouched for this long are history: deleted while recording a new failure.
_FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class LoginKey:
    """Who tries to log in, as far as throttling is concerned."""

    username: str
    ip_address: str

    def __str__(self):
        return f"user {redact(self.username)!r} from {self.ip_address}"


def max_failures() -> int:
    return settings.SKSENTRA_LOGIN_MAX_FAILURES


def cooloff() -> timedelta:
    return timedelta(minutes=settings.SKSENTRA_LOGIN_COOLOFF_MINUTES)


def client_ip(request) -> str | None:
    """The address of the browser that sent ``request``.

    Behind ``SKSENTRA_TRUSTED_PROXY_COUNT`` reverse proxies that each append to ``X-Forwarded-For``,
    the client is the entry that many places from the right; without proxies it is ``REMOTE_ADDR``.
    Entries a client could have forged (further left) are never used. ``None`` when unknown.
    """
    if request is None:
        return None
    meta = request.META
    candidate = meta.get("REMOTE_ADDR", "")
    proxies = settings.SKSENTRA_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def login_key(username, request) -> LoginKey | None:
    """The throttling key of a login attempt, or ``None`` when it is not a web login (no request/IP)."""
    ip = client_ip(request)
    if ip is None or not isinstance(username, str) or not username.strip():
        return None
    return LoginKey(username=username.strip().lower()[:150], ip_address=ip)


def lock_remaining(key: LoginKey | None, *, now=None) -> timedelta | None:
    """How long ``key`` stays locked, or ``None`` if it may try now."""
    if key is None:
        return None
    now = now or timezone.now()
    locked_until = (
        LoginThrottle.objects.filter(username=key.username, ip_address=key.ip_address, locked_until__gt=now)
        .values_list("locked_until", flat=True)
        .first()
    )
    return None if locked_until is None else locked_until - now


def failure_record(key: LoginKey | None, *, now=None) -> LoginThrottle | None:
    """Count one wrong password for ``key``; lock the pair when it reaches the limit.

    An attempt while the pair is locked is logged but neither counted nor extends the lock, so a
    stranger cannot keep an official locked out by hammering the form.
    """
    if key is None:
        return None
    now = now or timezone.now()
    window = cooloff()
    row = None
    for _attempt in range(2):  # a concurrent first failure may create the row between our read and insert
        try:
            with transaction.atomic():
                row = (
                    LoginThrottle.objects.select_for_update()
                    .filter(username=key.username, ip_address=key.ip_address)
                    .first()
                )
                if row is None:
                    row = LoginThrottle.objects.create(
                        username=key.username, ip_address=key.ip_address, failures=0,
                        first_failure_at=now, last_failure_at=now,
                    )
                if row.locked_until and row.locked_until > now:
                    logger.warning("login refused while locked: %s (until %s)", key, row.locked_until.isoformat())
                    return row
                if row.locked_until or row.first_failure_at + window < now:
                    # The earlier lock or counting window is over: count afresh.
                    row.failures, row.first_failure_at, row.locked_until = 0, now, None
                row.failures += 1
                row.last_failure_at = now
                if row.failures >= max_failures():
                    row.locked_until = now + window
                    logger.warning(
                        "login locked after %d wrong passwords: %s for %d minutes",
                        row.failures, key, settings.SKSENTRA_LOGIN_COOLOFF_MINUTES,
                    )
                else:
                    logger.info("login failed (%d/%d): %s", row.failures, max_failures(), key)
                row.save()
            break
        except IntegrityError:
            continue
    LoginThrottle.objects.filter(
        Q(locked_until__isnull=True) | Q(locked_until__lt=now), last_failure_at__lt=now - _FORGET_AFTER
    ).delete()
    return row


def success_record(key: LoginKey | None) -> None:
    """A successful login forgets the pair's failures."""
    if key is None:
        return
    deleted, _ = LoginThrottle.objects.filter(username=key.username, ip_address=key.ip_address).delete()
    logger.info("login succeeded: %s%s", key, " (earlier failures forgotten)" if deleted else "")


def locked_message(remaining: timedelta) -> str:
    """What the login form says to a locked pair, in whole minutes rounded up."""
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return ngettext(
        "Terlalu banyak percobaan masuk. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak percobaan masuk. Coba lagi dalam %(minutes)d menit.",
        minutes,
    ) % {"minutes": minutes}


# --- password reset requests ------------------------------------------------------------------------
#
# The same store (``LoginThrottle`` rows) counts password-reset requests in a fixed window, under keys
# no login can have (Django usernames carry no ":"): per address asked for (hashed, never stored in
# clear) and per client address. Over either limit the request is answered exactly as any other (the
# "check your email" page) and no email leaves, so the limit tells nobody whether an address exists.

_RESET_ANY_CLIENT = "0.0.0.0"  # the "IP" column of a per-email key: the count is over every client
_RESET_CLIENT_KEY = "pwreset:client"


def _reset_limits() -> tuple[int, int, timedelta]:
    return (
        getattr(settings, "SKSENTRA_PASSWORD_RESET_MAX_PER_ADDRESS", 3),
        getattr(settings, "SKSENTRA_PASSWORD_RESET_MAX_PER_CLIENT", 10),
        timedelta(minutes=getattr(settings, "SKSENTRA_PASSWORD_RESET_WINDOW_MINUTES", 60)),
    )


def _reset_email_key(email: str) -> str:
    return "pwreset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def _window_row(username: str, ip_address: str, now, window: timedelta) -> LoginThrottle:
    """The key's row, locked, its count started afresh when its window is over."""
    row = LoginThrottle.objects.select_for_update().filter(username=username, ip_address=ip_address).first()
    if row is None:
        row = LoginThrottle.objects.create(username=username, ip_address=ip_address, failures=0,
                                           first_failure_at=now, last_failure_at=now)
    if row.first_failure_at + window < now:
        row.failures, row.first_failure_at = 0, now
    return row


def password_reset_allowed(email: str, request, *, now=None) -> bool:
    """Count one password-reset request for ``email`` from ``request``'s client; ``False`` when the
    address (``SKSENTRA_PASSWORD_RESET_MAX_PER_ADDRESS``, 3) or the client
    (``SKSENTRA_PASSWORD_RESET_MAX_PER_CLIENT``, 10) has had its share of the window
    (``SKSENTRA_PASSWORD_RESET_WINDOW_MINUTES``, 60). A refused request is not counted."""
    per_address, per_client, window = _reset_limits()
    now = now or timezone.now()
    ip = client_ip(request)
    for _attempt in range(2):  # a concurrent first request may create a row between our read and insert
        try:
            with transaction.atomic():
                rows = [(_window_row(_reset_email_key(email), _RESET_ANY_CLIENT, now, window), per_address)]
                if ip is not None:
                    rows.append((_window_row(_RESET_CLIENT_KEY, ip, now, window), per_client))
                allowed = all(row.failures < limit for row, limit in rows)
                for row, _limit in rows:
                    if allowed:
                        row.failures += 1
                        row.last_failure_at = now
                    row.save()
            break
        except IntegrityError:
            continue
    else:
        allowed = False
    if not allowed:
        logger.warning("password reset refused (limit reached) for an address from %s", ip or "unknown client")
    return allowed
