"""The register, dashboard, audit, notification and password pages are on the light frame with its menu
("Keluar"), not viewflow's material frontend."""

import pytest
from django.test import Client

from flows.models import Keputusan
from tests.flows.test_light_pages import MATERIAL
from tests.helpers import act, client_for, decision

pytestmark = pytest.mark.django_db


def _light(response, logged_in=True):
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert 'class="sk-lite"' in html and not MATERIAL.search(html), MATERIAL.search(html)
    assert ("Keluar" in html) == logged_in
    return html


def test_every_page_of_the_officials_the_province_and_the_auditor_is_on_the_light_frame(donggala, province, start_proposal):
    process = start_proposal(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision("disetujui"))
    keputusan = Keputusan.objects.filter(process=process).first()
    pages = {
        donggala["pengusul"]: ["/register/", "/notifikasi/preferensi/", "/accounts/password_change/"],
        province["pencatat_provinsi"]: ["/register/", "/register/dasbor/"],
        province["auditor"]: ["/audit/", "/audit/?pengelola=a", f"/audit/usulan/{process.pk}/", "/audit/akses-ditolak/"],
    }
    pages[province["auditor"]].append(f"/audit/usulan/{process.pk}/keputusan/{keputusan.pk}/")
    for user, paths in pages.items():
        client = client_for(user)
        for path in paths:
            _light(client.get(path))
    menu = _light(client_for(province["pencatat_provinsi"]).get("/legalisasi/inbox/"))
    assert 'href="/register/"' in menu and 'href="/register/dasbor/"' in menu


def test_password_reset_pages_are_on_the_light_frame():
    _light(Client().get("/accounts/password_reset/"), logged_in=False)
    _light(Client().get("/accounts/password_reset/done/"), logged_in=False)
