"""A signed-in request reads its session from the cache and its user, region, role names and Plt./Plh.
grants in force in one statement (issue 11), with the same answers as a user loaded anywhere else,
read afresh by every request."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import ThrottledModelBackend
from accounts.models import ActingGrant, User, users_with_roles
from accounts.roles import Role
from tests.conftest import DONGGALA, POSO, PROVINSI
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def _grant(user, role: Role, region_code: str, *, starts_on: dt.date, days: int = 3, ended: bool = False):
    return ActingGrant.objects.create(
        user=user, role=role.value, region_id=region_code, kapasitas="plt", basis_number="800/1/2026",
        basis_date=starts_on, basis_scan="surat-perintah/x.pdf", basis_sha256="0" * 64, starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days), granted_by=user,
        ended_at=timezone.now() if ended else None,
    )


def _request_user(user):
    """The user as the authentication backend loads it for a request."""
    return ThrottledModelBackend().get_user(user.pk)


def _roles_of(user) -> tuple:
    return user.role_names, user.acting_roles


def _plain(user):
    """The user loaded elsewhere (no annotations): its roles come from the query of old."""
    plain = User.objects.get(pk=user.pk)
    assert "_role_names_joined" not in plain.__dict__
    return plain


def test_the_request_user_carries_its_roles_and_grants_in_its_own_row(make_user, regions):
    official = make_user(Role.VERIFIKATOR_ASET, DONGGALA)
    official.groups.add(Group.objects.get(name=Role.PENGUSUL.value))
    today = timezone.localdate()
    _grant(official, Role.VERIFIKATOR_DINAS, DONGGALA, starts_on=today)
    _grant(official, Role.KEPALA_DAERAH, POSO, starts_on=today - dt.timedelta(days=1))
    _grant(official, Role.BAGIAN_HUKUM, DONGGALA, starts_on=today + dt.timedelta(days=1))  # not yet
    _grant(official, Role.SEKRETARIAT_DAERAH, DONGGALA, starts_on=today, ended=True)  # ended early
    _grant(official, Role.PIMPINAN, DONGGALA, starts_on=today - dt.timedelta(days=5), days=2)  # over

    with CaptureQueriesContext(connection) as ctx:
        user = _request_user(official)
        roles = _roles_of(user)
        region_name = user.region.name
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]
    assert region_name == regions[DONGGALA].name
    assert roles == (
        {Role.VERIFIKATOR_ASET.value, Role.PENGUSUL.value},
        {(Role.VERIFIKATOR_DINAS.value, DONGGALA), (Role.KEPALA_DAERAH.value, POSO)},
    )
    assert roles == _roles_of(_plain(official))


def test_a_user_without_roles_or_grants_and_odd_group_names(make_user):
    official = make_user(Role.PENGUSUL, DONGGALA)
    official.groups.clear()
    assert _roles_of(_request_user(official)) == (frozenset(), frozenset()) == _roles_of(_plain(official))
    # A group the admin named freely: separators of a CSV or of a "role:region" pair are kept as typed.
    odd = Group.objects.create(name="tim, khusus: 72.03 | a;b")
    official.groups.add(odd)
    assert _roles_of(_request_user(official)) == ({odd.name}, frozenset()) == _roles_of(_plain(official))


def test_grants_in_force_are_those_of_today_in_makassar(make_user):
    """17:30 UTC is already the next day in Palu: a grant starting that day is in force."""
    official = make_user(Role.PENGUSUL, DONGGALA)
    with time_machine.travel(dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC), tick=False):
        tomorrow_utc = dt.date(2026, 12, 1)
        assert timezone.localdate() == tomorrow_utc
        _grant(official, Role.VERIFIKATOR_DINAS, DONGGALA, starts_on=tomorrow_utc)
        _grant(official, Role.PENCATAT_PROVINSI, PROVINSI, starts_on=dt.date(2026, 11, 27), days=3)  # ended on the 30th
        expected = ({Role.PENGUSUL.value}, {(Role.VERIFIKATOR_DINAS.value, DONGGALA)})
        assert _roles_of(_request_user(official)) == expected == _roles_of(_plain(official))
        assert _roles_of(users_with_roles(User.objects.filter(pk=official.pk), dt.date(2026, 11, 30)).get()) == (
            {Role.PENGUSUL.value}, {(Role.PENCATAT_PROVINSI.value, PROVINSI)})


def test_roles_are_read_afresh_by_every_request(make_user):
    official = make_user(Role.PENGUSUL, DONGGALA)
    client = client_for(official)
    assert client.get("/legalisasi/queue/").status_code == 200
    assert _roles_of(_request_user(official)) == ({Role.PENGUSUL.value}, frozenset())

    official.groups.add(Group.objects.get(name=Role.VERIFIKATOR_DINAS.value))
    grant = _grant(official, Role.KEPALA_DAERAH, DONGGALA, starts_on=timezone.localdate())
    assert _roles_of(_request_user(official)) == (
        {Role.PENGUSUL.value, Role.VERIFIKATOR_DINAS.value}, {(Role.KEPALA_DAERAH.value, DONGGALA)})

    official.groups.clear()
    ActingGrant.objects.filter(pk=grant.pk).update(ended_at=timezone.now())
    assert _roles_of(_request_user(official)) == (frozenset(), frozenset())


def test_a_signed_in_page_reads_no_session_row_and_no_role_table_of_its_own(make_user):
    """Session, user, region, role names and grants: one statement (the session comes from the cache)."""
    official = make_user(Role.VERIFIKATOR_DINAS, DONGGALA)
    client = client_for(official)
    client.get("/legalisasi/inbox/")  # warm
    for url in ("/legalisasi/inbox/", "/api/v1/kotak-masuk/"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        sqls = [q["sql"] for q in ctx.captured_queries]
        assert not [s for s in sqls if "django_session" in s], url
        user_reads = [s for s in sqls if s.lstrip().startswith('SELECT "accounts_user"."id"')]
        assert len(user_reads) == 1 and "_role_names_joined" in user_reads[0] and "sentra_region" in user_reads[0], url
        assert sqls[0] == user_reads[0], url
        assert not [s for s in sqls[1:] if "accounts_actinggrant" in s or "UNION ALL" in s], url  # the old roles query
