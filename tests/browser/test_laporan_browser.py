"""The pengelola's periodic report in a real browser on a 360 px phone: the pengelola's officer starts
at the site root logged out, finds the report through the menu, submits it with a photo (first
refused: a digit that is not 0-9), the Disperindag returns it once (first refused: no note), the
pengelola revises it and the Disperindag accepts it. Screenshots under ``test-artifacts/screenshots/``."""

import datetime as dt
import io
import re

import pytest
from PIL import Image

from accounts.roles import Role
from audit.models import Action, AuditEvent
from flows import laporan
from flows.demo import advance
from flows.models import LaporanProcess, StatusLaporan
from tests.browser.test_legalisasi_browser import SCREENSHOTS, Official, browser, collected_static, fits  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]


def _photo(path):
    image = Image.new("RGB", (640, 480), (180, 120, 40))
    out = io.BytesIO()
    image.save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def _every_asset_line(page) -> None:
    """Each DAK asset line of the sentra (BPKAD's, offered by the form) is reported: used, in good order."""
    kodes = page.get_by_label("Kode barang / NUP").all()
    for kode, use, state in zip(kodes, page.get_by_label("Pemanfaatan").all(), page.get_by_label("Kondisi").all()):
        if kode.input_value():  # the spare row for a line BPKAD has not recorded stays empty
            use.select_option("digunakan")
            state.select_option("baik")


def _open_report_from_menu(official, report):
    page = official.page
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Laporan", exact=True).click()
    page.get_by_role("heading", name="Laporan berkala pengelola").wait_for()
    fits(page)
    page.get_by_role("link", name=f"{report.sentra.name} — {report.periode}").click()
    page.wait_for_url(f"**/laporan/{report.pk}/")
    fits(page)


def test_a_pengelola_submits_a_report_with_a_photo_returned_once_then_accepted(
    collected_static, browser, live_server, donggala, province, make_user, regions, start_proposal, tmp_path  # noqa: F811
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    users = {(role, "72.03"): u for role, u in donggala.items()}
    users[("pencatat_provinsi", "72")] = province["pencatat_provinsi"]
    process = start_proposal(donggala["pengusul"])
    advance(process, users, regions["72.03"], "tercatat", seed=21)
    assert laporan.periods_open(today=dt.date(2027, 1, 4)) == 1
    report = LaporanProcess.objects.get()
    officer = make_user(Role.PENGELOLA, "72.03", username="ketua.pengelola")
    officer.sentra = report.sentra
    officer.save(update_fields=["sentra"])
    photo = _photo(tmp_path / "produksi.png")
    shots = []

    pengelola = Official(browser, live_server, officer, shots)
    try:
        pengelola.arrive_and_log_in()
        _open_report_from_menu(pengelola, report)
        page = pengelola.page
        page.get_by_label("Jumlah produksi selama periode").fill("1.250")
        page.get_by_label("Satuan produksi").fill("kg")
        page.get_by_label("Nilai penjualan (Rp)").fill("25.000.000")
        page.get_by_label("Anggota IKM yang aktif *").fill("٦")  # an Arabic-Indic six: refused
        page.get_by_label("Kegiatan selama periode *").fill("Pelatihan pengemasan dan pameran.")
        _every_asset_line(page)
        page.get_by_label("Foto kegiatan / aset (JPEG, PNG atau WebP)").set_input_files(str(photo))
        page.get_by_role("button", name="Ajukan laporan").click()
        error = page.get_by_role("alert").filter(has_text="digit 0-9")
        error.wait_for()
        assert page.get_by_label("Kegiatan selama periode *").input_value() == "Pelatihan pengemasan dan pameran."
        pengelola.shot("laporan-ditolak")
        page.get_by_label("Anggota IKM yang aktif *").fill("6")
        assert page.get_by_label("Pemanfaatan").first.input_value() == "digunakan"  # kept from the refused form
        _every_asset_line(page)
        page.get_by_label("Foto kegiatan / aset (JPEG, PNG atau WebP)").set_input_files(str(photo))
        page.get_by_role("button", name="Ajukan laporan").click()
        page.get_by_text("Laporan diajukan ke Disperindag.").wait_for()
        assert page.locator("#status-laporan").inner_text() == "Diajukan, menunggu reviu"
        assert page.get_by_role("img", name="Foto laporan").count() == 1
        pengelola.shot("laporan-diajukan")
    finally:
        pengelola.close()

    def review(outcome_label, note=""):
        official = Official(browser, live_server, donggala["verifikator_dinas"], shots)
        try:
            official.arrive_and_log_in()
            _open_report_from_menu(official, report)
            page = official.page
            page.get_by_label(outcome_label).check()
            if outcome_label.startswith("Kembalikan"):
                page.get_by_role("button", name="Simpan keputusan").click()  # no note: refused
                page.get_by_role("alert").filter(has_text="Catatan wajib diisi").wait_for()
                official.shot("reviu-ditolak")
                page.get_by_label(outcome_label).check()
                page.get_by_label("Catatan (wajib bila dikembalikan)").fill(note)
            page.get_by_role("button", name="Simpan keputusan").click()
            page.get_by_text("Keputusan reviu disimpan.").wait_for()
            official.shot("reviu")
        finally:
            official.close()

    review("Kembalikan untuk perbaikan", "Tambahkan nilai penjualan per produk.")
    report.refresh_from_db()
    assert report.status_laporan == StatusLaporan.DIKEMBALIKAN

    pengelola = Official(browser, live_server, officer, shots)
    try:
        pengelola.arrive_and_log_in()
        _open_report_from_menu(pengelola, report)
        page = pengelola.page
        assert "Tambahkan nilai penjualan per produk." in page.locator("#catatan-reviu").inner_text()
        assert page.get_by_label("Jumlah produksi selama periode").input_value() == "1250"
        page.get_by_label("Masalah dan kendala").fill("Nilai per produk: tenun ikat Rp 15 juta, sarung Rp 10 juta.")
        _every_asset_line(page)
        page.get_by_role("button", name="Ajukan laporan").click()
        page.get_by_text("Laporan diajukan ke Disperindag.").wait_for()
        pengelola.shot("perbaikan-diajukan")
    finally:
        pengelola.close()

    review("Terima laporan")
    report.refresh_from_db()
    assert report.status_laporan == StatusLaporan.DITERIMA and report.putaran == 2
    actions = [a for a in AuditEvent.objects.filter(process_id=report.pk).order_by("seq").values_list("action", flat=True)
               if a != Action.TASK_CLAIM]
    assert actions == [Action.REPORT_OPENED, Action.REPORT_SUBMITTED, Action.REPORT_RETURNED, Action.REPORT_RESUBMITTED,
                       Action.REPORT_ACCEPTED]
    assert all(re.match(r"\d\d-", p.name) for p in SCREENSHOTS.glob("*.png"))
