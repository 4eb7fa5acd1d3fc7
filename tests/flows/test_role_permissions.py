"""The flow permissions follow from the step table (``flows.auth``), and the role groups mirror it."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from flows.auth import flow_permissions
from flows.steps import STEP, VIEW_PERMISSION

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_the_role_groups_hold_exactly_the_permissions_the_backend_grants(role, make_user):
    user = make_user(role, "72" if role in (Role.PENCATAT_PROVINSI, Role.AUDITOR) else "72.03")
    in_tables = {p for p in ModelBackend().get_all_permissions(user) if p.startswith("flows.")}
    assert in_tables == flow_permissions({role.value})
    assert VIEW_PERMISSION in in_tables


def test_a_flow_permission_is_answered_from_the_role_names_without_reading_the_permission_tables(donggala):
    user = donggala["verifikator_dinas"]
    user.role_names  # read once per request, with the user
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm(f"flows.{STEP['verifikasi_dinas'].codename}")
        assert user.has_perm(VIEW_PERMISSION)
    assert len(queries) == 0
    # not the role's: the tables are asked, and say no
    assert not user.has_perm(f"flows.{STEP['verifikasi_aset'].codename}")
    user.is_active = False
    assert not user.has_perm(VIEW_PERMISSION)
