"""Sessions: a working day at most, an idle timeout, and an immediate end when the account is deactivated."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
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
