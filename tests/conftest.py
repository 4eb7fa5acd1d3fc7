"""Shared fixtures: the regions, one user per role in Donggala, Poso and the province, and helpers
that carry a proposal through the flow over HTTP like an official would."""

import pytest

from accounts.roles import Role
from accounts.services import user_create
from flows.roles import roles_sync
from flows.demo import usulan_data
from flows.operations import process_start
from produk_hukum.models import DasarHukum, KantorDaerah
from produk_hukum.seed import seed_defaults
from sentra.models import Region
from sentra.regions import SULTENG_CSV, read_region_rows, regions_load

PASSWORD = "test-password-123"
DONGGALA, POSO, PALU, PROVINSI = "72.03", "72.02", "72.71", "72"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: reference data cached by an earlier test (step deadlines,
    days off, office hours, office names) belongs to rows its rollback took away."""
    from django.core.cache import cache

    cache.clear()
    yield

@pytest.fixture
def regions(db):
    # Transactional tests flush the tables the data migration filled; load them again (idempotent).
    regions_load(read_region_rows(SULTENG_CSV), Region)
    seed_defaults(region_model=Region, dasar_hukum_model=DasarHukum, kantor_model=KantorDaerah)  # likewise
    roles_sync()
    return {r.code: r for r in Region.objects.all()}


@pytest.fixture
def make_user(regions):
    def make(role: Role, region_code: str, username: str | None = None):
        return user_create(
            username=username or f"{role.value}.{region_code}",
            password=PASSWORD,
            roles=[role],
            region=regions[region_code],
            first_name=role.label.split(" (")[0],
            last_name=regions[region_code].name,
            email=f"{role.value}.{region_code}@example.test",
        )

    return make


KAB_ROLES = (
    Role.PENGUSUL,
    Role.VERIFIKATOR_DINAS,
    Role.VERIFIKATOR_ASET,
    Role.BAGIAN_HUKUM,
    Role.SEKRETARIAT_DAERAH,
    Role.KEPALA_DAERAH,
    Role.PIMPINAN,
)


@pytest.fixture
def donggala(make_user):
    """One official per role in Donggala."""
    return {role.value: make_user(role, DONGGALA) for role in KAB_ROLES}


@pytest.fixture
def poso(make_user):
    return {role.value: make_user(role, POSO) for role in KAB_ROLES}


@pytest.fixture
def province(make_user):
    return {
        "pencatat_provinsi": make_user(Role.PENCATAT_PROVINSI, PROVINSI),
        "pimpinan": make_user(Role.PIMPINAN, PROVINSI, username="pimpinan.provinsi"),
        "auditor": make_user(Role.AUDITOR, PROVINSI),
    }


@pytest.fixture
def start_proposal(regions):
    """Start a proposal in the region of ``pengusul`` without going through the web form."""
    counter = iter(range(1, 10_000))

    def start(pengusul, **kwargs):
        return process_start(user=pengusul, data=usulan_data(pengusul.region, seed=next(counter), **kwargs))

    return start


@pytest.fixture
def two_officials(make_user, regions):
    """A second official for every role in Donggala and Poso: a task goes to the queue of both instead
    of straight to a region's sole official (``flows.services.sole_official``)."""
    for code in (DONGGALA, POSO):
        for role in KAB_ROLES:
            make_user(role, code, username=f"{role.value}.2.{code}")
