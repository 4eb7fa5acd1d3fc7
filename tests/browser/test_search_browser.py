"""A Kepala Dinas (Donggala's pimpinan) on a phone, from the site root logged out: finds a member's proposal
with the search in the menu (a partial NIK first: refused with its message, the typed value kept), then
reads the service-level report (a period ending before it starts first: refused; then the default)."""

import pytest

from sentra.models import AnggotaIKM
from tests.browser.test_legalisasi_browser import Official, browser, collected_static, fits  # noqa: F401 (fixtures)
from tests.helpers import act, decision

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_kepala_dinas_searches_by_nik_and_reads_the_service_levels(
    collected_static, browser, live_server, donggala, start_proposal  # noqa: F811
):
    process = start_proposal(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision("disetujui"))
    from oversight.service_levels import durations_record

    durations_record()
    nik = AnggotaIKM.objects.filter(pengelola=process.pengelola).first().nik_pemilik
    official = Official(browser, live_server, donggala["pimpinan"], shots=[])
    try:
        page = official.page
        page.goto(f"{live_server.url}/")
        page.get_by_label("Nama pengguna").fill(official.user.username)
        page.get_by_label("Sandi").fill("test-password-123")
        page.get_by_role("button", name="Masuk", exact=True).click()
        menu = page.get_by_role("navigation", name="Menu utama")
        menu.get_by_role("link", name="Cari").click()
        page.get_by_role("heading", name="Pencarian").wait_for()
        box = page.get_by_role("searchbox")
        box.fill(nik[:12])
        page.get_by_role("button", name="Cari", exact=True).click()
        error = page.get_by_role("alert").filter(has_text="NIK hanya dicari dengan 16 angkanya")
        error.wait_for()
        assert page.get_by_role("searchbox").input_value() == nik[:12]
        fits(page)
        page.get_by_role("searchbox").fill(nik)
        page.get_by_role("button", name="Cari", exact=True).click()
        page.get_by_role("link", name=process.pengelola.name).wait_for()
        assert nik not in page.locator("main table").inner_text()  # shown masked
        assert nik[-4:] in page.locator("main table").inner_text()
        fits(page)
        menu.get_by_role("link", name="Kinerja").click()
        page.get_by_role("heading", name="Kinerja layanan per langkah").wait_for()
        page.get_by_label("Dari tanggal").fill("2026-09-01")
        page.get_by_label("Sampai tanggal").fill("2026-08-01")
        page.get_by_role("button", name="Tampilkan").click()
        page.get_by_role("alert").filter(has_text="Tanggal awal tidak boleh setelah tanggal akhir.").wait_for()
        page.get_by_label("Dari tanggal").fill("")
        page.get_by_label("Sampai tanggal").fill("")
        page.get_by_role("button", name="Tampilkan").click()
        page.get_by_role("heading", name="Per langkah", exact=True).wait_for()
        row = page.get_by_role("row").filter(has_text="Verifikasi Disperindag")
        assert row.get_by_role("cell").nth(1).inner_text() == "1"  # finished in the period
        assert page.get_by_role("link", name="Unduh Excel (.xlsx)").is_visible()
        fits(page)
    finally:
        official.context.close()
