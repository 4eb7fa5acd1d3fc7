"""Fixtures of the API's tests: tokens, API clients, and recorded proposals in Donggala and Poso."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import ApiToken, Scope
from api.tokens import token_issue
from flows.demo import advance
from tests.flows.test_region_scope import _demo_users


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # rate-limit counters of an earlier test must not count against this one
    yield


@pytest.fixture
def users(donggala, poso, province):
    return _demo_users(donggala, poso, province)


@pytest.fixture
def make_token(regions):
    def make(*, user=None, region=None, scopes=(Scope.REGISTER_READ,), name="uji"):
        token = ApiToken(name=name, user=user, region=regions[region] if region else None, scopes=list(scopes))
        secret = token_issue(token)
        return token, secret

    return make


@pytest.fixture
def api_client():
    def client(secret=None, user=None):
        c = APIClient()
        if secret:
            c.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        if user is not None:
            c.force_login(user)
        return c

    return client


@pytest.fixture
def recorded(users, start_proposal, donggala, poso, regions):
    """A recorded SK in Donggala and one in Poso, and a Poso proposal still waiting."""
    mine = start_proposal(donggala["pengusul"])
    advance(mine, users, regions["72.03"], "tercatat", seed=11)
    theirs = start_proposal(poso["pengusul"])
    advance(theirs, users, regions["72.02"], "tercatat", seed=12)
    waiting = start_proposal(poso["pengusul"])
    return {"donggala": mine, "poso": theirs, "poso_waiting": waiting}
