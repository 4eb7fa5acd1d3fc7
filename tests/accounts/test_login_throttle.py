"""Login throttling: wrong passwords lock one username from one address, never a whole office's NAT."""

import logging
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import LoginThrottle
from accounts.roles import Role
from tests.conftest import DONGGALA, PASSWORD
from tests.helpers import needs_postgres

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
# Documentation address ranges (RFC 5737): only written into the request, never contacted.
OFFICE_NAT = "192.0.2.10"  # the whole Disperindag office behind one public address
HOME = "198.51.100.7"
LOCKED = "Terlalu banyak percobaan masuk. Coba lagi dalam"


def _login(client, username, password, ip, url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


@pytest.fixture
def officials(make_user):
    return {
        "pengusul": make_user(Role.PENGUSUL, DONGGALA),
        "colleague": make_user(Role.VERIFIKATOR_DINAS, DONGGALA),
    }


@pytest.fixture
def clock(time_machine):
    """Frozen time that a test moves forward."""
    start = timezone.now()
    time_machine.move_to(start, tick=False)

    def advance(**delta):
        time_machine.move_to(start + timedelta(**delta), tick=False)

    return advance


def test_five_wrong_passwords_lock_that_username_from_that_ip_for_the_cooloff(client, officials, clock):
    pengusul, colleague = officials["pengusul"].username, officials["colleague"].username

    for attempt in range(1, 5):
        response = _login(client, pengusul, "salah-sandi", OFFICE_NAT)
        assert response.status_code == 422 and LOCKED not in response.content.decode(), attempt  # a refused form
    fifth = _login(client, pengusul, "salah-sandi", OFFICE_NAT)
    assert "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit." in fifth.content.decode()

    # Locked: even the right password is refused from that address, with the Indonesian message.
    refused = _login(client, pengusul, PASSWORD, OFFICE_NAT)
    assert refused.status_code == 422
    assert "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit." in refused.content.decode()
    assert "_auth_user_id" not in client.session

    # A colleague behind the same office NAT logs in normally: the address itself is never locked.
    assert _logged_in(_login(client.__class__(), colleague, PASSWORD, OFFICE_NAT))
    # The same official from another address (home, mobile data) is not locked either.
    assert _logged_in(_login(client.__class__(), pengusul, PASSWORD, HOME))

    # Still locked near the end of the cool-off; attempts meanwhile do not extend it.
    clock(minutes=14)
    late = _login(client, pengusul, PASSWORD, OFFICE_NAT)
    assert "Terlalu banyak percobaan masuk. Coba lagi dalam 1 menit." in late.content.decode()

    # After the cool-off the right password works again, and the failures are forgotten.
    clock(minutes=15, seconds=1)
    assert _logged_in(_login(client, pengusul, PASSWORD, OFFICE_NAT))
    assert not LoginThrottle.objects.filter(username=pengusul).exists()


def test_the_lock_holds_on_the_admin_login_too(client, officials, make_user):
    staff = make_user(Role.PIMPINAN, DONGGALA, username="admin.donggala")
    staff.is_staff = True
    staff.save()
    for _ in range(5):
        _login(client, staff.username, "salah-sandi", OFFICE_NAT, url=ADMIN_LOGIN)
    refused = _login(client, staff.username, PASSWORD, OFFICE_NAT, url=ADMIN_LOGIN)
    assert refused.status_code == 422
    assert LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # ... and on the site's login page, since it is the same (username, address) pair.
    assert LOCKED in _login(client, staff.username, PASSWORD, OFFICE_NAT).content.decode()


def test_failures_spread_over_more_than_the_cooloff_do_not_lock(client, officials, clock):
    pengusul = officials["pengusul"].username
    for _ in range(4):
        _login(client, pengusul, "salah-sandi", OFFICE_NAT)
    clock(minutes=16)
    for _ in range(4):
        assert LOCKED not in _login(client, pengusul, "salah-sandi", OFFICE_NAT).content.decode()
    assert _logged_in(_login(client, pengusul, PASSWORD, OFFICE_NAT))


def test_a_successful_login_forgets_earlier_failures(client, officials):
    pengusul = officials["pengusul"].username
    for _ in range(4):
        _login(client, pengusul, "salah-sandi", OFFICE_NAT)
    assert _logged_in(_login(client, pengusul, PASSWORD, OFFICE_NAT))
    other = client.__class__()
    for _ in range(4):
        assert LOCKED not in _login(other, pengusul, "salah-sandi", OFFICE_NAT).content.decode()


def test_unknown_usernames_and_letter_case_count_against_the_same_pair(client, officials):
    for typed in ("Pengusul.72.03", "PENGUSUL.72.03", "pengusul.72.03 ", "pengusul.72.03", "Pengusul.72.03"):
        _login(client, typed, "salah-sandi", OFFICE_NAT)
    assert LOCKED in _login(client, "pengusul.72.03", PASSWORD, OFFICE_NAT).content.decode()
    for _ in range(5):
        _login(client, "tidak.ada", "salah-sandi", OFFICE_NAT)
    assert LOCKED in _login(client, "tidak.ada", "apa-saja", OFFICE_NAT).content.decode()


def test_behind_a_reverse_proxy_the_forwarded_client_address_is_the_key(client, officials, settings):
    """With one trusted proxy, the address it appends is used; what a client forges before it is ignored."""
    settings.SKSENTRA_TRUSTED_PROXY_COUNT = 1
    proxy = "172.18.0.1"
    pengusul, colleague = officials["pengusul"].username, officials["colleague"].username
    for n in range(5):
        # The attacker varies a forged X-Forwarded-For entry; the proxy appends the real address.
        _login(client, pengusul, "salah-sandi", proxy, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, {OFFICE_NAT}")
    assert LOCKED in _login(client, pengusul, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE_NAT).content.decode()
    assert LoginThrottle.objects.get(username=pengusul).ip_address == OFFICE_NAT
    # Everyone else reaches the app from the same proxy address, and still logs in.
    assert _logged_in(_login(client.__class__(), pengusul, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=HOME))
    assert _logged_in(_login(client.__class__(), colleague, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE_NAT))


def test_attempts_are_logged_without_passwords_or_full_phone_numbers(client, officials, caplog):
    caplog.set_level(logging.INFO, logger="sksentra.security")
    for _ in range(6):
        _login(client, "081234567890", "sandi-rahasia-123", OFFICE_NAT)
    _login(client, officials["pengusul"].username, PASSWORD, OFFICE_NAT)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "login failed (1/5)" in text and "login locked after 5 wrong passwords" in text
    assert "login refused while locked: user '62812****7890' from 192.0.2.10" in text
    assert "login succeeded: user 'pengusul.72.03' from 192.0.2.10" in text
    assert OFFICE_NAT in text and "62812****7890" in text
    assert "081234567890" not in text and "6281234567890" not in text
    assert "sandi-rahasia-123" not in text and PASSWORD not in text


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_wrong_passwords_are_all_counted_once(officials):
    """Eight wrong passwords at the same moment (a script): five counted, the pair locked, one row."""
    n = 8
    barrier = threading.Barrier(n)
    username = officials["pengusul"].username

    def attempt():
        try:
            barrier.wait()
            _login(Client(), username, "salah-sandi", OFFICE_NAT)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    row = LoginThrottle.objects.get(username=username, ip_address=OFFICE_NAT)
    assert row.failures == 5 and row.locked_until is not None
    assert LOCKED in _login(Client(), username, PASSWORD, OFFICE_NAT).content.decode()
