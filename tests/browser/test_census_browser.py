"""A pengusul imports the members of a sentra from Excel in a real browser (Debian's Chromium), with a
real Celery worker running the jobs: starts at the site root logged out, finds everything by visible
labels, uploads a file that is not a workbook (refused, 422, message by the field), then a workbook
with one bad row (the report names row and column, nothing saved), then the fixed file, and watches
the progress bar until the members are saved."""

import os
import re

import pytest
from celery.contrib.testing.worker import start_worker

from sentra.models import AnggotaIKM, ImporAnggota, Sentra
from tests.browser.test_legalisasi_browser import (  # noqa: F401 (fixtures)
    SCREENSHOTS,
    Official,
    browser,
    collected_static,
    fits,
)
from tests.sentra.census_files import member_row, xlsx_bytes
from workflow_project.celery import app as celery_app

pytestmark = [
    pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's Chromium at /usr/bin/chromium"),
    pytest.mark.django_db(transaction=True),
]

ROWS = 3000  # enough for the bar to be seen moving on this machine


@pytest.fixture
def celery_worker_thread():
    """A Celery worker in a thread of the test process, on the test settings' in-memory broker."""
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def _watch_progress(page, until: re.Pattern) -> list[int]:
    """The bar's values seen until the page (reloaded by its own script) shows ``until``."""
    seen = []
    for _ in range(600):
        bar = page.get_by_role("progressbar")
        if bar.count():
            try:
                seen.append(int(float(bar.get_attribute("value", timeout=500) or 0)))
            except Exception:  # the page is reloading
                pass
        if page.get_by_role("heading", name=until).count():
            return seen
        page.wait_for_timeout(100)
    raise AssertionError(f"the page never showed {until.pattern}; bar values seen: {seen}")


def test_a_pengusul_imports_members_with_one_bad_row_fixes_it_and_watches_the_progress_bar(
        collected_static, browser, live_server, donggala, celery_worker_thread, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sentra = Sentra.objects.create(region=donggala["pengusul"].region, name="Sentra Bawang Goreng Labuan",
                                   komoditas="bawang goreng", alamat="Desa Labuan")
    rows = [member_row(i) for i in range(1, ROWS + 1)]
    bad = [list(r) for r in rows]
    bad[41][3] = "91200000042"  # row 43 of the sheet: an NIB of 11 digits
    files = {"bad": tmp_path / "anggota-sentra.xlsx", "good": tmp_path / "anggota-sentra-diperbaiki.xlsx",
             "text": tmp_path / "anggota.xlsx"}
    files["bad"].write_bytes(xlsx_bytes(bad))
    files["good"].write_bytes(xlsx_bytes(rows))
    files["text"].write_bytes(b"Nama usaha;NIB\nUsaha 1;9120000000001\n")

    shots = []
    pengusul = Official(browser, live_server, donggala["pengusul"], shots)
    pengusul.arrive_and_log_in()
    page = pengusul.page
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Anggota IKM").click()
    page.get_by_role("heading", name="Anggota IKM per sentra").wait_for()
    fits(page)
    page.get_by_role("link", name=sentra.name).click()
    page.get_by_role("link", name="Impor anggota dari Excel").click()
    page.get_by_role("heading", name="Impor anggota IKM dari Excel").wait_for()
    assert page.get_by_role("link", name="Unduh templat Excel").is_visible()
    upload = page.get_by_label("Berkas Excel anggota IKM (.xlsx)")

    # 1. Not a workbook: refused by the form, the message next to the field.
    upload.set_input_files(str(files["text"]))
    page.get_by_role("button", name="Unggah dan periksa").click()
    error = page.get_by_role("alert").filter(has_text="bukan lembar kerja Excel")
    error.wait_for()
    assert error.is_visible()
    fits(page)
    pengusul.shot("impor-bukan-excel")
    assert not ImporAnggota.objects.exists()

    # 2. One bad row: the report names row 43, column D (NIB); nothing is saved.
    page.get_by_label("Berkas Excel anggota IKM (.xlsx)").set_input_files(str(files["bad"]))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.get_by_role("progressbar").wait_for()  # the job's page, its bar first
    seen_check = _watch_progress(page, re.compile("1 kesalahan"))
    report = page.get_by_role("table", name="Laporan kesalahan")
    assert report.get_by_role("row").filter(has_text="D (NIB)").filter(has_text="43").count() == 1
    assert "13 angka" in report.inner_text()
    fits(page)
    pengusul.shot("impor-laporan-kesalahan")
    assert AnggotaIKM.objects.filter(sentra=sentra).count() == 0

    # 3. The fixed file: checked, confirmed, saved while the bar moves.
    page.get_by_role("link", name="Unggah berkas yang sudah diperbaiki").click()
    page.get_by_label("Berkas Excel anggota IKM (.xlsx)").set_input_files(str(files["good"]))
    page.get_by_role("button", name="Unggah dan periksa").click()
    page.get_by_role("progressbar").wait_for()
    seen_check += _watch_progress(page, re.compile(f"{ROWS} baris siap disimpan"))
    assert AnggotaIKM.objects.filter(sentra=sentra).count() == 0  # nothing before confirmation
    pengusul.shot("impor-siap")
    page.get_by_role("button", name="Simpan semua anggota").click()
    seen_save = _watch_progress(page, re.compile(f"{ROWS} anggota tersimpan"))
    fits(page)
    pengusul.shot("impor-tersimpan")
    assert AnggotaIKM.objects.filter(sentra=sentra).count() == ROWS
    print(f"\n[census browser] bar values seen while checking: {sorted(set(seen_check))}; "
          f"while saving: {sorted(set(seen_save))}")
    assert seen_check and seen_save  # the bar was on the page while the jobs ran

    page.get_by_role("link", name="Lihat anggota sentra").click()
    page.get_by_text(f"{ROWS} anggota IKM.").wait_for()
    pengusul.close()

