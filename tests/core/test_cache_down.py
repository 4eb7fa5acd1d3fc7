"""With Redis down the site stays up: the cache answers as a miss (``core.cache.FailSafeRedisCache``).

The cache here is a real Redis client pointed at a loopback port nobody listens on, as when Redis is
down: connections are refused at once."""

import logging
import socket

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import ApiToken, Scope
from api.tokens import token_issue
from core import cache as failsafe
from flows.models import Hasil, Keputusan
from tests.helpers import client_for, decision, task_of, task_url


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nobody listens on it


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": {
        "BACKEND": "core.cache.FailSafeRedisCache", "LOCATION": f"redis://127.0.0.1:{_dead_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    failsafe._last_logged = 0.0
    yield


def test_each_cache_call_answers_as_a_miss_and_the_failure_is_logged_once_a_minute(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="sksentra.cache"):
        assert cache.get("k", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert not cache.has_key("k")
        assert cache.set("k", 1) is False
        assert cache.add("k", 1) is True  # "record this once per window" guards record every time
        with pytest.raises(ValueError):
            cache.incr("k")  # a counter starts again from one, as for a missing key
        assert cache.get_or_set("k", 7) == 7
        assert cache.delete("k") is False
        cache.delete_many(["a"])
        cache.clear()
    warnings = [r for r in caplog.records if r.name == "sksentra.cache"]
    assert len(warnings) == 1 and "failed, answered as a miss" in warnings[0].getMessage()


def test_with_redis_down_an_official_decides_and_a_system_reads_the_api(redis_down, donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    official = client_for(donggala["verifikator_dinas"])
    inbox = official.get("/legalisasi/inbox/")
    assert inbox.status_code == 200
    task = task_of(process, "verifikasi_dinas")
    # the step's deadlines, days off, office hours and names are read from the database instead
    response = official.post(task_url(task), decision(Hasil.DISETUJUI))
    assert response.status_code == 302, response.content[:500]
    assert Keputusan.objects.filter(task=task, hasil=Hasil.DISETUJUI).exists()
    assert sorted(t.flow_task.name for t in process.task_set.filter(finished__isnull=True)) == [
        "harmonisasi_hukum", "verifikasi_aset"]

    token = ApiToken(name="siinas", scopes=[Scope.REGISTER_READ])
    secret = token_issue(token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for _ in range(3):  # the rate limit's counter lives in the cache: not counted, never refused
        assert client.get("/api/v1/register/").status_code == 200
