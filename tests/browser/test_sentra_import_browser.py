"""The province desk imports the DAK sentra list in a real browser (Chromium, 360 px phone): from the site
root, logged out, through the menu; the template is downloaded from the page and filled in; a file with a
wrong row is refused with the row and column named and nothing saved; the corrected file is checked,
confirmed, and every row is in the register."""

import io

from openpyxl import load_workbook

from sentra.models import DakAlokasi, Sentra
from tests.browser.test_legalisasi_browser import Official, browser, collected_static, fits, pytestmark  # noqa: F401

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filled(template: bytes, rows) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROWS = [
    # Kab/Kota, Nama, Komoditas, Kecamatan, Desa, Alamat, Lintang, Bujur, Tahun, Nilai, Bangunan, Mesin, Peralatan
    ["Donggala", "Sentra Tenun Donggala", "Tenun ikat", "Banawa", "Kabonga Besar", None, "-0,6716", "119,7435", 2019,
     "1.250.000.000", "Gedung produksi", "ATBM 12 unit", "Alat pewarna"],
    ["Donggala", "Sentra Tenun Donggala", "Tenun ikat", "Banawa", "Kabonga Besar", None, "-0,6716", "119,7435", 2021,
     750000000, None, "Mesin jahit 5 unit", None],
    ["Kota Palu", "Sentra Bawang Goreng Palu", "Bawang goreng", "Mantikulore", "Talise", "Jl. Soekarno-Hatta", None, None,
     2020, 900000000, "Rumah produksi", "Spinner 4 unit", None],
]


def test_the_province_desk_imports_the_dak_list(collected_static, browser, live_server, province, regions):  # noqa: F811
    desk = Official(browser, live_server, province["pencatat_provinsi"], [])
    page = desk.page
    try:
        desk.arrive_and_log_in()
        page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Sentra DAK").click()
        page.get_by_role("heading", name="Register sentra DAK").wait_for()
        fits(page)
        page.get_by_role("link", name="Impor dari Excel").click()
        page.get_by_role("heading", name="Impor daftar sentra DAK").wait_for()
        fits(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Unduh templat (.xlsx)").click()
        template = open(download.value.path(), "rb").read()

        # A wrong row: a year in Arabic-Indic digits. Refused, row and column named, nothing saved.
        wrong = [list(r) for r in ROWS]
        wrong[2][8] = "٢٠٢٠"
        upload = page.get_by_label("Berkas daftar sentra DAK (.xlsx)")
        upload.set_input_files(files=[{"name": "dak.xlsx", "mimeType": XLSX, "buffer": _filled(template, wrong)}])
        page.get_by_role("button", name="Periksa berkas").click()
        report = page.get_by_role("table", name="Kesalahan per baris")
        report.wait_for()
        row = report.get_by_role("row").filter(has_text="Tahun DAK")
        assert row.get_by_role("cell").all_inner_texts()[:2] == ["4", "Tahun DAK"]
        assert page.get_by_role("alert").filter(has_text="tidak ada yang disimpan").is_visible()
        fits(page)
        desk.shot("impor-ditolak")
        assert not Sentra.objects.exists()

        # The corrected file: checked, shown, then confirmed.
        page.get_by_label("Berkas daftar sentra DAK (.xlsx)").set_input_files(
            files=[{"name": "dak.xlsx", "mimeType": XLSX, "buffer": _filled(template, ROWS)}])
        page.get_by_role("button", name="Periksa berkas").click()
        page.get_by_text("Tidak ada kesalahan: 3 baris, 2 sentra baru").wait_for()
        assert not Sentra.objects.exists()
        fits(page)
        desk.shot("impor-siap")
        page.get_by_role("button", name="Konfirmasi impor").click()
        page.get_by_text("Daftar sentra DAK diimpor: 3 baris, 2 sentra baru").wait_for()
        page.get_by_role("link", name="Sentra Tenun Donggala").wait_for()
        fits(page)
        desk.shot("impor-selesai")
        tenun = Sentra.objects.get(name="Sentra Tenun Donggala")
        assert tenun.confirmed and tenun.region_id == "72.03" and str(tenun.longitude) == "119.743500"
        assert sorted(DakAlokasi.objects.filter(sentra=tenun).values_list("tahun", flat=True)) == [2019, 2021]
        assert Sentra.objects.get(name="Sentra Bawang Goreng Palu").region_id == "72.71"
    finally:
        desk.close()
