"""One proposal through the whole legalisation in a real browser (Debian's Chromium driven by
Playwright), on a phone-sized viewport, one official per role logging in with the login form.

Screenshots of each step are saved under ``test-artifacts/screenshots/``. The proposal is started by
the ``start_proposal`` fixture (the start form has its own HTTP tests); every decision after it is
made in the browser: log in, open the queue, claim, open the task, fill in the form, submit.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from flows.demo import pdf_bytes
from flows.models import LegalisasiProcess, Tahap
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}
# What sticks out of a phone's screen (for the message when a page scrolls sideways).
WIDE_JS = """Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('.sk-table-wrap')
  && e.getBoundingClientRect().right > 361).slice(-8).map(e => e.tagName + '.' + e.className + ' '
  + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 40))"""

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian's Chromium at /usr/bin/chromium (.ci/run installs it)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="session")
def collected_static():
    """The static files where WhiteNoise serves them from; before the live server starts (it reads
    STATIC_ROOT when its middleware is built)."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes between
    # browser steps are synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright  # requirements/test.txt

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


class Official:
    """One official's phone: a fresh browser context, logged in through the login form."""

    def __init__(self, browser, live_server, user, shots):
        self.context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        self.page = self.context.new_page()
        self.base = live_server.url
        self.user = user
        self.shots = shots

    def wait_leaving(self, fragment, timeout_ms=15_000):
        """Wait until the page (a full load or a Turbo visit) is no longer at ``fragment``."""
        try:
            self.page.wait_for_url(lambda url: fragment not in url, timeout=timeout_ms)
        except Exception:  # noqa: BLE001 - the caller's assertion says what went wrong
            pass
        self.page.wait_for_load_state()

    def shot(self, name):
        self.shots.append(name)
        self.page.screenshot(path=str(SCREENSHOTS / f"{len(self.shots):02d}-{self.user.username}-{name}.png"), full_page=True)

    def login(self):
        page = self.page
        page.goto(f"{self.base}/accounts/login/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.evaluate(WIDE_JS)
        if not self.shots:
            self.shot("masuk")  # the login page, once
        page.fill("input[name=username]", self.user.username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form").filter(has=page.locator("input[name=password]")).locator("[type=submit]").first.click()
        self.wait_leaving("/accounts/login/")
        assert "/accounts/login/" not in page.url, f"login failed for {self.user.username}"
        assert page.url.endswith("/legalisasi/inbox/"), page.url

    def claim_and_open(self, process):
        page = self.page
        page.goto(f"{self.base}/legalisasi/queue/")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the queue scrolls sideways"
        row = page.locator("li.sk-task", has_text=f"#{process.pk}/")
        assert row.count() == 1, page.content()[:2000]
        self.shot("antrean")
        row.get_by_role("button", name="Ambil").click()
        page.wait_for_load_state()
        page.goto(f"{self.base}/legalisasi/inbox/")
        row = page.locator("li.sk-task", has_text=f"#{process.pk}/")
        assert row.count() == 1
        self.shot("kotak-masuk")
        row.locator("a.sk-task__title").click()
        page.wait_for_url("**/execute/")
        page.wait_for_load_state()
        assert "/execute/" in page.url, page.url
        self.shot("tugas")

    def decide(self, hasil, fields=None, files=None, selects=None):
        page = self.page
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.evaluate(WIDE_JS)
        page.locator(f"input[name='keputusan-hasil'][value='{hasil}']").check()
        for name, value in (fields or {}).items():
            page.fill(f"[name='{name}']", value)
        for name, value in (selects or {}).items():
            element = page.locator(f"[name='{name}']")
            if element.first.evaluate("e => e.tagName") == "SELECT":
                element.select_option(value)
            else:
                page.locator(f"input[name='{name}'][value='{value}']").check()
        for name, path in (files or {}).items():
            page.set_input_files(f"input[name='{name}']", str(path))
        self.shot("diisi")
        page.get_by_role("button", name="Simpan keputusan").click()  # a real tap: scrolled into view, then clicked
        self.wait_leaving("/execute/")
        assert "/execute/" not in page.url, page.locator(".sk-error, .errorlist, .sk-msg--error").all_inner_texts()
        assert page.url.endswith("/legalisasi/inbox/"), page.url
        assert "Keputusan Anda telah dicatat." in page.locator(".sk-messages").inner_text()
        self.shot("tersimpan")

    def fits_and_shot(self, name):
        assert self.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], self.page.evaluate(WIDE_JS)
        self.shot(name)

    def close(self):
        self.context.close()


def test_a_proposal_goes_through_the_whole_legalisation_in_the_browser_on_a_phone(
    collected_static, browser, live_server, donggala, province, start_proposal, tmp_path
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    process = start_proposal(donggala["pengusul"])
    sk_pdf = tmp_path / "sk-ttd.pdf"
    sk_pdf.write_bytes(pdf_bytes("Keputusan Bupati Donggala"))
    shots = []

    steps = [
        (donggala["verifikator_dinas"], dict(hasil="disetujui")),
        (donggala["verifikator_aset"], dict(
            hasil="disetujui",
            fields={"aset-kode_kib": "KIB-C/2022/017", "aset-nomor_bast": "027/118/BAST/2022", "aset-jangka_waktu_tahun": "5"},
            selects={"aset-status_pemanfaatan": "pinjam_pakai"},
        )),
        (donggala["bagian_hukum"], dict(hasil="disetujui")),
        (donggala["kepala_daerah"], dict(
            hasil="ditetapkan",
            fields={"sk-nomor": "100.3.3.2/45/DISPERINDAG/2026",
                    "sk-tanggal": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
                    "sk-penandatangan_nama": "Vera Elena Laruni"},
            selects={"sk-penandatangan_kapasitas": "definitif"},
            files={"sk-signed_pdf": sk_pdf},
        )),
        (province["pencatat_provinsi"], dict(hasil="dicatat")),
    ]
    for user, decision in steps:
        official = Official(browser, live_server, user, shots)
        try:
            official.login()
            official.claim_and_open(process)
            official.decide(**decision)
        finally:
            official.close()

    process = LegalisasiProcess.objects.get(pk=process.pk)
    assert process.tahap == Tahap.TERCATAT

    # The pengusul follows the proposal on a phone: the proposals page, the proposal, a new proposal's form.
    pengusul = Official(browser, live_server, donggala["pengusul"], shots)
    try:
        pengusul.login()
        page = pengusul.page
        page.get_by_role("link", name="Usulan", exact=True).click()
        page.wait_for_url("**/legalisasi/flows/")
        row = page.locator("li.sk-task", has_text=f"#{process.pk} ")
        assert "SK tercatat di register provinsi" in row.inner_text()
        pengusul.fits_and_shot("usulan")
        row.locator("a.sk-task__title").click()
        page.wait_for_url(f"**/legalisasi/{process.pk}/")
        pengusul.fits_and_shot("usulan-detail")
        page.goto(f"{pengusul.base}/legalisasi/flows/")
        page.get_by_role("link", name="Usulan baru").click()
        page.wait_for_url("**/legalisasi/usulan/")
        page.get_by_role("button", name="Tambah baris").first.click()
        pengusul.fits_and_shot("usulan-baru")
    finally:
        pengusul.close()
    assert len(list(SCREENSHOTS.glob("*.png"))) == len(shots) == 1 + 5 * 5 + 3
    assert all(re.match(r"\d\d-", p.name) for p in SCREENSHOTS.glob("*.png"))
