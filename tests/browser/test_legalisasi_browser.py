"""A newcomer's journey in a real browser (Debian's Chromium driven by Playwright) on a 360 px phone:
every official starts at the site root logged out, finds things by what the page shows (labels, roles,
text; no CSS selectors, no typed URLs) and carries a new proposal through every step of the flow.

Login, the proposal form and a decision form are first submitted with something the server refuses:
the message must be visible next to the field and the typed values still there (viewflow's Turbo
drops a refused form answered 200; SK Sentra answers 422). The walk follows the open task of the
process, whatever steps the flow has: each step's form is one small helper in ``STEP_FORMS``.
Screenshots are saved under ``test-artifacts/screenshots/``.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from flows import forms as flow_forms
from flows.demo import pdf_bytes, usulan_data
from flows.models import Hasil, LegalisasiProcess, LegalisasiTask, Tahap
from flows.steps import STEP
from sentra import asset_forms
from sentra import forms as sentra_forms
from sentra.choices import JenisDokumen
from sentra.models import SK
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



def label(form_class, name: str) -> re.Pattern:
    """A field's visible label as the page shows it (a required field's label ends with " *")."""
    return re.compile(rf"^{re.escape(str(form_class.base_fields[name].label))}( \*)?$")


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.evaluate(WIDE_JS)


class Official:
    """One official's phone: a fresh browser context that starts at the site root, logged out."""

    def __init__(self, browser, live_server, user, shots):
        self.context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        self.page = self.context.new_page()
        self.base = live_server.url
        self.user = user
        self.shots = shots

    def shot(self, name):
        self.shots.append(name)
        self.page.screenshot(path=str(SCREENSHOTS / f"{len(self.shots):02d}-{self.user.username}-{name}.png"), full_page=True)

    def arrive_and_log_in(self, wrong_password_first=False):
        page = self.page
        page.goto(f"{self.base}/")
        page.get_by_role("heading", name="Masuk ke SK Sentra").wait_for()
        fits(page)
        username, password = page.get_by_label("Nama pengguna"), page.get_by_label("Sandi")
        if wrong_password_first:
            username.fill(self.user.username)
            password.fill("bukan-sandinya")
            page.get_by_role("button", name="Masuk", exact=True).click()
            error = page.get_by_role("alert").filter(has_text="Masukkan nama pengguna dan kata sandi yang benar.")
            error.wait_for()
            assert error.is_visible()
            assert username.input_value() == self.user.username  # typed value kept
            self.shot("masuk-ditolak")
        username.fill(self.user.username)
        password.fill(PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        page.get_by_role("heading", name="Kotak masuk").wait_for()
        assert page.url.endswith("/legalisasi/inbox/"), page.url
        fits(page)

    def open_task_from_inbox(self, process):
        """The task is in the inbox: the official's own ("Kotak masuk") or beside it ("Siap diambil"), where
        "Ambil" claims it and opens its form."""
        page = self.page
        row = page.get_by_role("listitem").filter(has_text=process.pengelola.name)
        row.first.wait_for()
        self.shot("kotak-masuk")
        claim = row.get_by_role("button", name="Ambil")
        if claim.count():
            claim.first.click()
        else:
            row.get_by_role("link", name=re.compile(".")).first.click()
        page.wait_for_url("**/execute/")
        page.get_by_role("button", name="Simpan keputusan").wait_for()
        fits(page)
        self.shot("tugas")

    def save_decision(self):
        page = self.page
        page.get_by_role("button", name="Simpan keputusan").click()
        message = page.get_by_text("Keputusan Anda telah dicatat.")
        message.wait_for()
        assert page.url.endswith("/legalisasi/inbox/"), page.url
        self.shot("tersimpan")

    def close(self):
        self.context.close()


# --- one helper per step form: fill it in as the official would, then save ---------------------------


def decide_outcome(outcome):
    def fill(official, process, files):
        official.page.get_by_label(str(Hasil(outcome).label), exact=True).check()
        official.save_decision()
    return fill


def verifikasi_dinas_refused_then_approved(official, process, files):
    """The decision form refused: returning without a note. The error shows next to the note, the
    capacity typed stays; then the approval goes through."""
    page = official.page
    keputusan = flow_forms.KeputusanForm
    page.get_by_label(str(Hasil.DIKEMBALIKAN.label), exact=True).check()
    page.get_by_label(label(keputusan, "kapasitas")).fill("Plt. Kepala Bidang Industri")
    page.get_by_role("button", name="Simpan keputusan").click()
    note_field = page.locator(".sk-field").filter(has=page.get_by_label(label(keputusan, "catatan")))
    error = note_field.get_by_role("alert")
    error.wait_for()
    assert error.is_visible() and error.inner_text().strip(), "the refusal says nothing next to the note"
    assert page.get_by_label(label(keputusan, "kapasitas")).input_value() == "Plt. Kepala Bidang Industri"
    fits(page)
    official.shot("keputusan-ditolak")
    page.get_by_label(str(Hasil.DISETUJUI.label), exact=True).check()
    official.save_decision()


def verifikasi_aset_approved(official, process, files):
    """BPKAD first tries to approve with no asset line: refused, naming why. It follows the link to the
    sentra's DAK assets, records a machine lent by pinjam pakai to the koperasi (refused: between
    governments only, the typed values kept), then on sewa with its agreement; back at the task, approves."""
    page = official.page
    page.get_by_label(str(Hasil.DISETUJUI.label), exact=True).check()
    page.get_by_role("button", name="Simpan keputusan").click()
    refusal = page.get_by_role("alert").filter(has_text="belum ada aset DAK yang dicatat BPKAD untuk sentra ini")
    refusal.first.wait_for()
    official.shot("aset-persetujuan-ditolak")
    page.get_by_role("link", name="Catat atau ubah aset DAK sentra ini").click()
    page.get_by_role("button", name="Simpan baris aset").wait_for()
    fits(page)
    aset = asset_forms.AsetDAKForm
    for name, value in (("kode_barang", "1.3.2.05.01.04.001"), ("nup", "3"), ("nama", "Mesin pengupas kelapa"),
                        ("tahun_perolehan", "2022"), ("nilai_perolehan", "185.000.000"),
                        ("nomor_bast", "027/118/BAST/2022"), ("tanggal_bast", "2022-12-15"),
                        ("opd_pemilik", "Dinas Perindustrian dan Perdagangan Kabupaten Donggala"),
                        ("nomor_perjanjian", "030/17/PERJ/BPKAD/2026"), ("tanggal_perjanjian", "2026-01-05"),
                        ("jangka_waktu_tahun", "5")):
        page.get_by_label(label(aset, name)).fill(value)
    page.get_by_label(label(aset, "jenis_kib")).select_option("B")
    page.get_by_label(label(aset, "dasar_pemanfaatan")).select_option("pinjam_pakai")
    page.get_by_role("button", name="Simpan baris aset").click()
    basis_field = page.locator(".sk-field").filter(has=page.get_by_label(label(aset, "dasar_pemanfaatan")))
    error = basis_field.get_by_role("alert")
    error.wait_for()
    assert "antarpemerintah" in error.inner_text()
    assert page.get_by_label(label(aset, "nama")).input_value() == "Mesin pengupas kelapa"
    fits(page)
    official.shot("aset-pinjam-pakai-ditolak")
    page.get_by_label(label(aset, "dasar_pemanfaatan")).select_option("sewa")
    page.get_by_role("button", name="Simpan baris aset").click()
    page.get_by_text("Baris aset disimpan.").wait_for()
    assert page.get_by_text("Sewa berdasarkan Perjanjian Nomor 030/17/PERJ/BPKAD/2026").first.is_visible()
    official.shot("aset-tersimpan")
    page.get_by_role("link", name="Kotak masuk").click()
    page.get_by_role("heading", name="Kotak masuk").wait_for()
    official.open_task_from_inbox(process)
    page.get_by_label(str(Hasil.DISETUJUI.label), exact=True).check()
    official.save_decision()


def penomoran_sk_numbered(official, process, files):
    page = official.page
    sk = flow_forms.PenomoranSKForm
    page.get_by_label(str(Hasil.DINOMORI.label), exact=True).check()
    page.get_by_label(label(sk, "nomor")).fill(f"100.3.3.2/{process.pk}/HUK/{timezone.localdate().year}")
    page.get_by_label(label(sk, "tanggal")).fill(timezone.localdate().isoformat())
    page.get_by_label(label(sk, "penandatangan_nama")).fill("Vera Elena Laruni")
    page.get_by_label(label(sk, "penandatangan_kapasitas")).select_option("definitif")
    page.get_by_label(label(sk, "signed_pdf")).set_input_files(str(files["sk"]))
    page.get_by_label(label(sk, "salinan_pdf")).set_input_files(str(files["salinan"]))
    official.save_decision()


STEP_FORMS = {
    "verifikasi_dinas": verifikasi_dinas_refused_then_approved,
    "verifikasi_aset": verifikasi_aset_approved,
    "harmonisasi_hukum": decide_outcome(Hasil.DISETUJUI),
    "paraf_koordinasi": decide_outcome(Hasil.DIPARAF),
    "penetapan_sk": decide_outcome(Hasil.DITANDATANGANI),
    "penomoran_sk": penomoran_sk_numbered,
    "pencatatan_provinsi": decide_outcome(Hasil.DICATAT),
}


# --- the proposal form --------------------------------------------------------------------------------


def fill_proposal(page, data):
    for form_class, values in ((sentra_forms.SentraForm, data.sentra_fields), (sentra_forms.PengelolaForm, data.pengelola_fields)):
        for name, value in values.items():
            field = page.get_by_label(label(form_class, name))
            if isinstance(value, bool):
                field.set_checked(value)
            elif name == "bentuk_hukum":
                field.select_option(str(value))
            else:
                field.fill(str(value))
    for legend, form_class, rows in (("Pengurus", sentra_forms.PengurusForm, data.pengurus),
                                     ("Anggota", sentra_forms.AnggotaIKMForm, data.anggota)):
        for i, row in enumerate(rows):
            group = page.get_by_role("group", name=f"{legend} {i + 1}", exact=True)
            for name, value in row.items():
                if value != "":
                    group.get_by_label(label(form_class, name)).fill(str(value))


def submit_proposal_refused_then_complete(official, tmp_path):
    """The pengusul's first submit lacks the documents: refused, the message in the documents' section,
    everything typed still there; with the documents it goes."""
    page = official.page
    page.get_by_role("link", name="Usulan baru").click()
    page.get_by_role("button", name="Ajukan").wait_for()
    fits(page)
    data = usulan_data(official.user.region, seed=7)
    fill_proposal(page, data)
    # The documents the chosen legal form requires are marked before the first submit.
    for jenis in data.documents:
        document = page.get_by_label(re.compile(rf"^{re.escape(str(JenisDokumen(jenis).label))}( \*)?$"))
        field = page.locator(".sk-field").filter(has=document)
        assert field.get_by_text("wajib untuk bentuk ini").is_visible(), jenis
    official.shot("usulan-diisi")
    page.get_by_role("button", name="Ajukan").click()
    error = page.get_by_role("alert").filter(has_text="Dokumen wajib untuk bentuk kelembagaan ini belum diunggah")
    error.wait_for()
    assert error.is_visible()
    assert page.get_by_text("Usulan belum dapat disimpan. Periksa isian yang ditandai.").is_visible()
    pengelola_name = page.get_by_label(label(sentra_forms.PengelolaForm, "name"))
    assert pengelola_name.input_value() == data.pengelola_fields["name"]
    anggota_6 = page.get_by_role("group", name="Anggota 6", exact=True)
    assert anggota_6.get_by_label(label(sentra_forms.AnggotaIKMForm, "nib")).input_value() == data.anggota[5]["nib"]
    fits(page)
    official.shot("usulan-ditolak")
    for jenis, pdf in data.documents.items():
        path = tmp_path / f"{jenis}.pdf"
        path.write_bytes(pdf_bytes(str(JenisDokumen(jenis).label)))
        page.get_by_label(re.compile(rf"^{re.escape(str(JenisDokumen(jenis).label))}( \*)?$")).set_input_files(str(path))
    page.get_by_role("button", name="Ajukan").click()
    page.get_by_text("Usulan telah diajukan").wait_for()
    official.shot("usulan-terkirim")
    return LegalisasiProcess.objects.get(pengelola__name=data.pengelola_fields["name"])


def _open_task(process):
    return (
        LegalisasiTask.objects.filter(process=process, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
        .order_by("pk").first()
    )


def test_a_newcomer_carries_a_new_proposal_through_every_step_from_the_site_root_on_a_phone(
    collected_static, browser, live_server, donggala, province, tmp_path
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    shots = []
    files = {"sk": tmp_path / "sk-ttd.pdf", "salinan": tmp_path / "sk-salinan.pdf"}
    files["sk"].write_bytes(pdf_bytes("Keputusan Bupati Donggala"))
    files["salinan"].write_bytes(pdf_bytes("Salinan sesuai dengan aslinya"))
    officials = {**donggala, **province}

    pengusul = Official(browser, live_server, donggala["pengusul"], shots)
    try:
        pengusul.arrive_and_log_in(wrong_password_first=True)
        process = submit_proposal_refused_then_complete(pengusul, tmp_path)
    finally:
        pengusul.close()

    walked = walk(browser, live_server, officials, shots, process, files)
    assert walked[0] == "verifikasi_dinas" and walked[-1] == "pencatatan_provinsi"

    # Issue 15: the ketua changes. The pengusul finds the SK in the register, proposes the amendment
    # (refused once: the new ketua's name left empty), and it is carried through every step.
    old_sk = SK.objects.get(pengelola=process.pengelola)
    pengusul = Official(browser, live_server, donggala["pengusul"], shots)
    try:
        pengusul.arrive_and_log_in()
        amendment = propose_amendment_refused_then_sent(pengusul, old_sk)
    finally:
        pengusul.close()
    walked = walk(browser, live_server, officials, shots, amendment, files)
    assert "verifikasi_aset" not in walked, walked  # a change of pengurus has no asset effect: BPKAD skipped
    new_sk = SK.objects.get(mengubah=old_sk)
    old_sk.refresh_from_db()
    assert (old_sk.status, new_sk.status, new_sk.jenis) == ("diubah", "berlaku", "perubahan") and new_sk.nomor_register

    # Anyone checks the new SK's number on the public page: in force, amending the old one; the old
    # one's page names the SK that amended it.
    visitor = browser.new_context(viewport=PHONE, is_mobile=True)
    try:
        page = visitor.new_page()
        page.goto(f"{live_server.url}/verifikasi/")
        page.get_by_label(re.compile("nomor", re.I)).first.fill(new_sk.nomor)
        page.get_by_role("button", name="Periksa").click()  # one match: straight to its page
        page.get_by_text("SK ini tercatat dalam register provinsi dan BERLAKU.").wait_for()
        assert page.get_by_text(re.compile(f"mengubah SK Nomor {re.escape(old_sk.nomor)}")).first.is_visible()
        fits(page)
        page.screenshot(path=str(SCREENSHOTS / f"{len(shots) + 1:02d}-publik-sk-perubahan.png"), full_page=True)
        page.get_by_role("link", name=old_sk.nomor).click()
        page.get_by_text(f"SK ini DIUBAH dengan SK Nomor {new_sk.nomor}", exact=False).wait_for()
        page.screenshot(path=str(SCREENSHOTS / f"{len(shots) + 2:02d}-publik-sk-lama.png"), full_page=True)
    finally:
        visitor.close()
    assert all(re.match(r"\d\d-", p.name) for p in SCREENSHOTS.glob("*.png"))


def walk(browser, live_server, officials, shots, process, files) -> list[str]:
    """Every official in turn opens the process's open task from their inbox and decides it."""
    walked = []
    while (task := _open_task(process)) is not None:
        step = STEP[task.flow_task.name]
        assert step.name in STEP_FORMS, f"no browser helper for the step {step.name} ({step.title})"
        assert len(walked) < 20, walked
        official = Official(browser, live_server, officials[step.role.value], shots)
        try:
            official.arrive_and_log_in()
            official.open_task_from_inbox(process)
            STEP_FORMS[step.name](official, process, files)
        finally:
            official.close()
        walked.append(step.name)
    process = LegalisasiProcess.objects.get(pk=process.pk)
    assert process.tahap == Tahap.TERCATAT, walked
    return walked


def propose_amendment_refused_then_sent(official, sk):
    page = official.page
    page.get_by_role("link", name="Register", exact=True).click()
    row = page.get_by_role("row").filter(has_text=sk.nomor_register)
    row.get_by_role("link", name="Ajukan perubahan").click()
    page.get_by_role("button", name="Ajukan").wait_for()
    fits(page)
    ketua = page.get_by_role("group", name="Pengurus 1", exact=True).get_by_label(label(sentra_forms.PengurusForm, "nama"))
    old_name = ketua.input_value()
    assert old_name  # pre-filled from the SK in force
    ketua.fill("")
    page.get_by_label(label(flow_forms.PerubahanForm, "catatan")).fill("Penggantian ketua pengurus")
    page.get_by_role("button", name="Ajukan").click()
    page.get_by_text("Usulan belum dapat disimpan. Periksa isian yang ditandai.").wait_for()
    assert page.get_by_label(label(flow_forms.PerubahanForm, "catatan")).input_value() == "Penggantian ketua pengurus"
    official.shot("perubahan-ditolak")
    page.get_by_role("group", name="Pengurus 1", exact=True).get_by_label(
        label(sentra_forms.PengurusForm, "nama")).fill("Nurhayati Lamakarate")
    page.get_by_role("button", name="Ajukan").click()
    page.get_by_text("Usulan perubahan SK telah diajukan").wait_for()
    official.shot("perubahan-terkirim")
    process = LegalisasiProcess.objects.get(target_sk=sk)
    assert process.pengelola.pengurus_set.filter(nama="Nurhayati Lamakarate").exists()
    return process
