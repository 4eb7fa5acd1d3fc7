"""An auditor changes their own password (issue 18.10): read-only is about the register, not one's login."""

import pytest

from tests.conftest import PASSWORD
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kata-sandi-baru-auditor-2026"


def test_an_auditor_can_change_their_own_password(province):
    auditor = province["auditor"]
    client = client_for(auditor)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content[:300]
    auditor.refresh_from_db()
    assert auditor.check_password(NEW_PASSWORD)


def test_an_auditor_still_cannot_write_anything_else(province):
    client = client_for(province["auditor"])
    for path in ("/accounts/password_change/done/", "/notifikasi/preferensi/", "/legalisasi/usulan/",
                 "/accounts/password_change/x/", "/register/"):
        assert client.post(path, {}).status_code in (403, 404, 405), path
