"""Fixtures of the register tests: proposals carried to a recorded SK, and a clean rate-limit cache."""

import pytest
from django.core.cache import cache

from flows.demo import advance


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The verification rate limit counts in the cache: every test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_users(donggala, poso, province):
    """The users ``flows.demo.advance`` acts as, keyed by (role, region code)."""
    users = {(role, "72.03"): user for role, user in donggala.items()}
    users.update({(role, "72.02"): user for role, user in poso.items()})
    users[("pencatat_provinsi", "72")] = province["pencatat_provinsi"]
    return users


@pytest.fixture
def recorded(start_proposal, demo_users, regions):
    """Start a proposal of ``pengusul`` and carry it to ``until`` (default: recorded in the register)."""
    counter = iter(range(100, 10_000))

    def make(pengusul, until: str = "tercatat", **kwargs):
        process = start_proposal(pengusul, **kwargs)
        advance(process, demo_users, pengusul.region, until, seed=next(counter))
        process.refresh_from_db()
        return process

    return make
