"""Every page in the menu of each role fits a 360 px phone (no sideways scroll) and carries the light
frame's "Keluar"; the auditor's proposal timeline and "data saat diputuskan" too."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_legalisasi_browser import PHONE, WIDE_JS, browser, collected_static  # noqa: F401 (fixtures)
from tests.helpers import act, decision

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {}  # role -> {path: scrollWidth}, printed for the record


def _logged_in_context(browser, live_server, user):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context


def _check(page, role, path):
    assert page.get_by_role("button", name="Keluar").is_visible(), (role, path)
    width = page.evaluate("document.documentElement.scrollWidth")
    WIDTHS.setdefault(role, {})[path] = width
    assert width <= PHONE["width"], (role, path, width, page.evaluate(WIDE_JS))


def test_every_menu_page_of_every_role_fits_a_phone_and_carries_keluar(
    collected_static, browser, live_server, donggala, province, start_proposal, make_user  # noqa: F811
):
    from accounts.roles import Role

    process = start_proposal(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision("disetujui"))
    pengelola = make_user(Role.PENGELOLA, "72.03", username="pengelola.donggala")
    pengelola.sentra = process.pengelola.sentra
    pengelola.save(update_fields=["sentra"])
    users = [(f"{role}.donggala", user) for role, user in donggala.items()] + list(province.items())
    users.append(("pengelola.donggala", pengelola))
    for role, user in users:
        context = _logged_in_context(browser, live_server, user)
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/")
            menu = page.get_by_role("navigation", name="Menu utama").get_by_role("link")
            hrefs = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
            assert len(hrefs) >= 3, (role, hrefs)
            for href in hrefs:
                response = page.goto(f"{live_server.url}{href}")
                assert response.status == 200, (role, href, response.status)
                _check(page, role, href)
            if role in ("pencatat_provinsi", "pimpinan"):
                labels = menu.all_inner_texts()
                assert "Register" in labels and "Dasbor" in labels, labels
            if role == "auditor":
                for path in (f"/audit/?q=&wilayah=", f"/audit/usulan/{process.pk}/"):
                    page.goto(f"{live_server.url}{path}")
                    _check(page, role, path)
                page.get_by_role("link", name="data saat diputuskan").first.click()
                page.wait_for_url("**/keputusan/**")
                _check(page, role, page.url.replace(live_server.url, ""))
        finally:
            context.close()
    print("\n".join(f"{role}: {widths}" for role, widths in WIDTHS.items()))
