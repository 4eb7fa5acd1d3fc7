"""Operators create tokens in the admin (secret shown once, stored hashed) and revoke them; rate limits."""

import hashlib
import re

import pytest
from django.contrib.auth import get_user_model

from api.models import ApiToken
from api.throttling import TokenRateThrottle
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_an_operator_creates_a_token_sees_its_secret_once_and_revokes_it(regions, api_client):
    admin = get_user_model().objects.create_superuser("operator", "op@example.test", "x-very-long-pass-123")
    client = client_for(admin)
    response = client.post("/admin/api/apitoken/add/", {
        "name": "SIINas", "region": "72", "scopes": ["register:read"], "user": ""}, follow=True)
    assert response.status_code == 200
    secrets = re.findall(r"sks_[A-Za-z0-9_-]{20,}", response.content.decode())
    assert len(secrets) == 1, response.content.decode()[:2000]
    token = ApiToken.objects.get(name="SIINas")
    assert token.key_hash == hashlib.sha256(secrets[0].encode()).hexdigest() and token.created_by == admin
    assert secrets[0] not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert api_client(secrets[0]).get("/api/v1/register/").status_code == 200
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_client(secrets[0]).get("/api/v1/register/").status_code == 401
    # the admin's index links the documentation page
    index = client.get("/admin/").content.decode()
    assert "/admin/api/apidocs/" in index
    assert client.get("/admin/api/apidocs/")["Location"] == "/api/v1/docs/"


def test_a_service_token_needs_a_region_and_may_not_write(regions):
    with pytest.raises(Exception):  # noqa: B017 - ValidationError from full_clean
        ApiToken(name="x", scopes=["register:read"]).full_clean()
    with pytest.raises(Exception):  # noqa: B017
        ApiToken(name="x", region=regions["72"], scopes=["inbox:write"]).full_clean()


def test_rate_limit_per_token_answers_429_problem(regions, make_token, api_client, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/min"})
    _, first = make_token(region="72.03")
    _, second = make_token(region="72.03")
    client = api_client(first)
    assert [client.get("/api/v1/sentra/").status_code for _ in range(3)] == [200, 200, 429]
    limited = client.get("/api/v1/sentra/")
    assert limited["Content-Type"] == "application/problem+json" and "Retry-After" in limited
    assert api_client(second).get("/api/v1/sentra/").status_code == 200  # another token has its own count


def test_the_site_session_reads_its_own_region(donggala, api_client):
    response = api_client(user=donggala["verifikator_dinas"]).get("/api/v1/usulan/")
    assert response.status_code == 200 and response.json()["results"] == []
