"""Refused requests in the audit trail (issue 18.11): who, what, when, from where; folded so that a
sweep cannot flood the chain; shown to auditors."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import chain_verify
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

ACCESS_DENIED = "access_denied"


@pytest.fixture(autouse=True)
def local_cache(settings):
    # A process-local cache whose clock time_machine moves (Redis keeps its own time).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "access-denied-tests"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def refusals(**filters):
    return list(AuditEvent.objects.filter(action=ACCESS_DENIED, **filters).order_by("seq"))


def test_a_refused_request_is_recorded_with_who_what_when_and_where(donggala):
    pengusul = donggala["pengusul"]
    client = Client(REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="probe/1.0")
    client.force_login(pengusul)
    assert client.get("/audit/").status_code == 403  # not an auditor
    [event] = refusals()
    assert event.actor == pengusul and event.actor_username == pengusul.username
    assert event.details["method"] == "GET" and event.details["path"] == "/audit/"
    assert event.details["status"] == 403 and event.details["refusals"] == 1
    assert event.ip == "203.0.113.5" and event.user_agent == "probe/1.0"
    assert event.region == "72.03" and "pengusul" in event.role
    assert chain_verify().ok


def test_repeated_refusals_of_one_url_fold_into_one_event_per_window_with_a_count(donggala):
    client = client_for(donggala["verifikator_dinas"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(25):
            assert client.get("/register/dasbor/").status_code == 403
    assert len(refusals()) == 1
    with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
        assert client.get("/register/dasbor/").status_code == 403
    events = refusals()
    assert len(events) == 2
    assert events[1].details["refusals"] == 25  # the 24 folded into the first window, and this one


def test_a_sweep_over_many_urls_costs_the_chain_a_bounded_number_of_events(donggala):
    client = client_for(donggala["pengusul"])
    for i in range(60):
        assert client.get(f"/audit/usulan/{i + 1}/").status_code in (403, 404)
    assert len(refusals()) == 20  # SKSENTRA_ACCESS_DENIED_MAX_EVENTS per user per window


def test_an_auditors_refused_write_is_recorded(province):
    client = client_for(province["auditor"])
    assert client.post("/notifikasi/preferensi/", {}).status_code == 403
    [event] = refusals()
    assert event.details["method"] == "POST" and event.actor == province["auditor"]


def test_a_successful_or_anonymous_request_records_nothing(donggala):
    assert client_for(donggala["pengusul"]).get("/legalisasi/").status_code in (200, 302)
    Client().get("/audit/")
    assert refusals() == []


def test_auditors_see_the_refusals_others_do_not(donggala, province):
    client_for(donggala["pengusul"]).get("/audit/")
    page = client_for(province["auditor"]).get("/audit/akses-ditolak/")
    assert page.status_code == 200
    html = page.content.decode()
    assert donggala["pengusul"].username in html and "GET /audit/" in html
    filtered = client_for(province["auditor"]).get("/audit/akses-ditolak/", {"username": "orang.lain"})
    assert donggala["pengusul"].username not in filtered.content.decode()
    assert client_for(donggala["verifikator_dinas"]).get("/audit/akses-ditolak/").status_code == 403
    assert client_for(province["auditor"]).get("/audit/akses-ditolak/", {"halaman": "99999999999999999999"}).status_code == 200
