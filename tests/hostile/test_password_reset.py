"""Password reset (issue 18.8): limited per address and per client, the same answer whether or not
the address belongs to an account."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.roles import Role

pytestmark = pytest.mark.django_db

URL = "/accounts/password_reset/"


def _ask(email: str, ip: str = "203.0.113.7"):
    return Client(REMOTE_ADDR=ip).post(URL, {"email": email})


@pytest.fixture
def official(make_user):
    return make_user(Role.VERIFIKATOR_DINAS, "72.03")


def test_three_requests_per_address_an_hour_then_the_same_page_and_no_email(official):
    answers = [_ask(official.email) for _ in range(6)]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/accounts/password_reset/done/")}
    assert len(mail.outbox) == 3
    # from another client too: the limit is the address's
    assert _ask(official.email, ip="198.51.100.9").status_code == 302
    assert len(mail.outbox) == 3


def test_the_limit_lifts_after_the_window(official):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            _ask(official.email)
    assert len(mail.outbox) == 3
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        _ask(official.email)
    assert len(mail.outbox) == 4


def test_ten_requests_per_client_an_hour(official):
    for i in range(10):
        assert _ask(f"tidak-ada-{i}@example.test").status_code == 302
    assert _ask(official.email).status_code == 302
    assert mail.outbox == []  # the client has had its ten
    assert _ask(official.email, ip="198.51.100.9").status_code == 302
    assert len(mail.outbox) == 1  # another client (another office) is not held back


def test_the_answer_is_the_same_whether_or_not_the_address_exists(official):
    known, unknown = _ask(official.email), _ask("bukan-pengguna@example.test", ip="198.51.100.20")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    done_known = Client().get(known["Location"]).content
    done_unknown = Client().get(unknown["Location"]).content
    assert done_known == done_unknown
