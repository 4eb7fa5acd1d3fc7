"""Sessions: a working day at most, an idle timeout, and an immediate end when the account is deactivated;
read from the cache, kept in the database, and still served when the cache is down."""

import logging
import socket
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core import cache as failsafe
from tests.conftest import DONGGALA, PASSWORD

pytestmark = pytest.mark.django_db

INBOX = "/legalisasi/"


def _browser(user, ip="192.0.2.10") -> Client:
    """A browser that logged in through the real login form."""
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and "/accounts/login/" not in response["Location"], response.status_code
    return client


def _is_logged_in(client) -> bool:
    response = client.get(INBOX, follow=True)
    return response.status_code == 200 and not any("/accounts/login/" in url for url, _ in response.redirect_chain)


def _sessions_of(user) -> list[str]:
    return [
        s.session_key for s in Session.objects.all() if str(s.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]


@pytest.fixture
def officials(make_user):
    return {
        "pengusul": make_user(Role.PENGUSUL, DONGGALA),
        "colleague": make_user(Role.VERIFIKATOR_DINAS, DONGGALA),
    }


@pytest.fixture
def clock(time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)

    def advance(**delta):
        time_machine.move_to(start + timedelta(**delta), tick=False)

    return advance


def test_deactivating_an_account_ends_all_its_live_sessions(officials):
    pengusul, colleague = officials["pengusul"], officials["colleague"]
    office, laptop = _browser(pengusul), _browser(pengusul, ip="198.51.100.7")
    other = _browser(colleague)
    assert _is_logged_in(office) and _is_logged_in(laptop) and _is_logged_in(other)
    assert len(_sessions_of(pengusul)) == 2

    # What the admin's change form does when "Aktif" is unticked.
    pengusul.is_active = False
    pengusul.save()

    assert _sessions_of(pengusul) == []
    assert not _is_logged_in(office) and not _is_logged_in(laptop)
    # Other officials keep their sessions.
    assert _is_logged_in(other) and len(_sessions_of(colleague)) == 1
    # Reactivating the account does not bring the old sessions back.
    pengusul.is_active = True
    pengusul.save()
    assert not _is_logged_in(office)


def test_a_deactivated_account_is_refused_even_when_changed_without_signals(officials):
    """A bulk ``update()`` sends no signal; Django's backend still treats the session as anonymous."""
    pengusul = officials["pengusul"]
    browser = _browser(pengusul)
    User.objects.filter(pk=pengusul.pk).update(is_active=False)
    assert not _is_logged_in(browser)


def test_an_account_with_an_audit_trail_cannot_be_deleted_only_deactivated(officials):
    """Logging in is an audit event that names the user: the account stays, deactivation ends its sessions."""
    from django.db.models import ProtectedError

    pengusul = officials["pengusul"]
    _browser(pengusul)
    with pytest.raises(ProtectedError):
        User.objects.get(pk=pengusul.pk).delete()
    pengusul.is_active = False
    pengusul.save()
    assert _sessions_of(pengusul) == []


def test_deleting_an_account_without_history_ends_its_sessions(officials):
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    pengusul = officials["pengusul"]
    session = SessionStore()
    session[SESSION_KEY] = str(pengusul.pk)
    session.create()  # a live session made without a login event (e.g. by an admin tool)
    pk = pengusul.pk
    User.objects.get(pk=pk).delete()
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(pk) for s in Session.objects.all())


def test_an_idle_session_ends_after_30_minutes_with_a_message(officials, clock):
    browser = _browser(officials["pengusul"])
    clock(minutes=29)
    assert _is_logged_in(browser)  # activity resets the idle clock
    clock(minutes=29 + 29)
    assert _is_logged_in(browser)
    clock(minutes=29 + 29 + 31)
    response = browser.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/legalisasi/")
    page = browser.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak ada aktivitas selama 30 menit. Silakan masuk kembali." in page
    assert _sessions_of(officials["pengusul"]) == []


def test_a_session_lasts_one_working_day_however_active(officials, clock):
    browser = _browser(officials["pengusul"])
    for minutes in range(20, 9 * 60, 20):  # busy all day: a page every 20 minutes
        clock(minutes=minutes)
        assert _is_logged_in(browser), minutes
    clock(hours=9, minutes=1)
    response = browser.get(INBOX)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "Sesi Anda berakhir setelah 9 jam." in browser.get(response["Location"]).content.decode()


# --- Sessions read from the cache (accounts.session_store): the database stays the store of record ---


def _key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _cached(client):
    return caches[settings.SESSION_CACHE_ALIAS].get(KEY_PREFIX + _key(client))


@pytest.fixture
def local_cache(settings):
    """A process-local cache whose clock time_machine moves (Redis keeps its own time)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "sessions-test"}}
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def session_cache_down(settings):
    """The sessions' cache is the site's fail-safe Redis cache pointed at a port nobody listens on (as when
    Redis is down); everything else is local."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions-test"},
        "down": {"BACKEND": "core.cache.FailSafeRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
                 "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    }
    settings.SESSION_CACHE_ALIAS = "down"
    failsafe._last_logged = 0.0


def test_sessions_are_read_from_the_cache_and_written_to_the_database(officials):
    assert settings.SESSION_ENGINE == "accounts.session_store"
    browser = _browser(officials["pengusul"])
    assert _is_logged_in(browser)
    assert _cached(browser)["_auth_user_id"] == str(officials["pengusul"].pk)
    row = Session.objects.get(session_key=_key(browser))
    assert row.get_decoded()["_auth_user_id"] == str(officials["pengusul"].pk)
    with CaptureQueriesContext(connection) as ctx:
        assert _is_logged_in(browser)
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]


def test_deactivating_an_account_drops_the_cached_copies_of_its_sessions(officials):
    pengusul, colleague = officials["pengusul"], officials["colleague"]
    office, other = _browser(pengusul), _browser(colleague)
    assert _is_logged_in(office) and _is_logged_in(other)
    assert _cached(office) is not None and _cached(other) is not None

    pengusul.is_active = False
    pengusul.save()

    assert _cached(office) is None  # not only the row: the copy a request would read first
    assert not Session.objects.filter(session_key=_key(office)).exists()
    assert _cached(other) is not None
    pengusul.is_active = True
    pengusul.save()
    assert not _is_logged_in(office)


def test_a_cached_copy_lives_at_most_the_idle_timeout_and_a_live_session_keeps_it(local_cache, officials, clock):
    browser = _browser(officials["pengusul"])
    for minutes in (20, 40, 60):  # in use: every request writes "last seen" back, refreshing the copy
        clock(minutes=minutes)
        assert _cached(browser) is not None, minutes
        assert _is_logged_in(browser)
    clock(minutes=60 + 31)
    assert _cached(browser) is None  # gone from the cache; the row decides (and the idle timeout ends it)
    assert Session.objects.filter(session_key=_key(browser)).exists()
    assert not _is_logged_in(browser)


def test_a_copy_whose_row_is_gone_is_dropped_at_its_first_write(local_cache, officials, clock):
    """A logout while the cache was unreachable (but kept its data) leaves a copy behind: the first write
    finds no row, the request is refused and the copy dropped; the next request is anonymous."""
    browser = _browser(officials["pengusul"])
    assert _is_logged_in(browser)
    Session.objects.filter(session_key=_key(browser)).delete()  # what the failed cache delete left
    clock(minutes=2)  # the next request writes "last seen"
    assert browser.get(INBOX).status_code == 400
    assert _cached(browser) is None
    assert not _is_logged_in(browser)


def test_with_the_session_cache_down_logging_in_browsing_and_logging_out_still_work(
    session_cache_down, officials, caplog
):
    pengusul = officials["pengusul"]
    with caplog.at_level(logging.WARNING, logger="sksentra.cache"):
        browser = _browser(pengusul)
        assert _is_logged_in(browser) and _is_logged_in(browser)
        assert browser.get("/api/v1/kotak-masuk/").status_code == 200
        key = _key(browser)
        assert Session.objects.filter(session_key=key).exists()
        assert browser.post("/accounts/logout/").status_code in (200, 302)
        assert not Session.objects.filter(session_key=key).exists()
        assert not _is_logged_in(browser)
        # Deactivating an account ends its sessions with the cache down too (in the database).
        again = _browser(pengusul)
        pengusul.is_active = False
        pengusul.save()
        assert _sessions_of(pengusul) == [] and not _is_logged_in(again)
    failures = [r.getMessage() for r in caplog.records if r.name == "sksentra.cache"]
    assert failures and "failed, answered as a miss" in failures[0]  # logged at most once a minute
