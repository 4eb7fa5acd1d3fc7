"""Bagian Hukum keeps the legal basis and the office names of its region in the admin; the regions get
their capitals from a data migration; an office typed as the signer's name is never printed."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from flows.models import Hasil
from produk_hukum.models import DasarHukum, JenisPeraturan, KantorDaerah
from produk_hukum.seed import IBU_KOTA
from sentra.choices import PPK_BLUD_KEY, BentukHukum, KapasitasPenandatangan
from sentra.documents import sk_draft_render
from sentra.models import Region
from tests.helpers import act, assets_recorded, client_for, decision, task_of, task_url
from tests.produk_hukum.conftest import BANGGAI, PALU, SIGI
from tests.sentra.readback import docx_text, pdf_text

pytestmark = pytest.mark.django_db

RPIK_BANGGAI = {
    "jenis": JenisPeraturan.PERDA,
    "sebutan": "Peraturan Daerah Kabupaten Banggai",
    "nomor": "7",
    "tahun": "2021",
    "tentang": "Rencana Pembangunan Industri Kabupaten Banggai Tahun 2021-2041",
    "perubahan": "",
    "region": BANGGAI,
    "bentuk_hukum": "",
    "aktif": "on",
    "catatan": "",
}


@pytest.fixture
def admin_client(regions):
    admin = User.objects.create_superuser("admin.hukum", "hukum@example.test", "x-admin-password-1")
    return client_for(admin)


def _read(fmt, content):
    return docx_text(content) if fmt == "docx" else pdf_text(content)


def test_bagian_hukum_adds_the_regions_perda_rpik_and_only_that_regions_drafts_cite_it(admin_client, pengelola_in):
    response = admin_client.post("/admin/produk_hukum/dasarhukum/add/", RPIK_BANGGAI)
    assert response.status_code == 302, response.content.decode()[:2000]
    banggai = pengelola_in(BANGGAI, BentukHukum.KOPERASI)
    sigi = pengelola_in(SIGI, BentukHukum.BUMDES)
    for fmt in ("docx", "pdf"):
        text = _read(fmt, sk_draft_render(pengelola=banggai, fmt=fmt).content)
        perda_provinsi = text.index("Peraturan Daerah Provinsi Sulawesi Tengah Nomor 6 Tahun 2018")
        rpik = text.index(
            "Peraturan Daerah Kabupaten Banggai Nomor 7 Tahun 2021 tentang Rencana Pembangunan Industri "
            "Kabupaten Banggai Tahun 2021-2041."
        )
        assert perda_provinsi < rpik  # a Perda of the province ranks above the kabupaten's
        assert "Kabupaten Banggai Nomor 7 Tahun 2021" not in _read(fmt, sk_draft_render(pengelola=sigi, fmt=fmt).content)


def test_an_entry_switched_off_is_no_longer_cited(pengelola_in):
    DasarHukum.objects.filter(nomor=27, tahun=2014, jenis=JenisPeraturan.PP).update(aktif=False)
    text = pdf_text(sk_draft_render(pengelola=pengelola_in(BANGGAI, BentukHukum.KOPERASI), fmt="pdf").content)
    assert "Peraturan Pemerintah Nomor 27 Tahun 2014" not in text
    assert "Peraturan Pemerintah Nomor 29 Tahun 2018 tentang Pemberdayaan Industri" in text


def test_permendagri_1_2023_cannot_be_entered_as_a_legal_basis(admin_client):
    tata_naskah = {
        **RPIK_BANGGAI,
        "jenis": JenisPeraturan.PERMEN,
        "sebutan": "Peraturan Menteri Dalam Negeri",
        "nomor": "1",
        "tahun": "2023",
        "tentang": "Tata Naskah Dinas di Lingkungan Pemerintah Daerah",
        "region": "",
    }
    response = admin_client.post("/admin/produk_hukum/dasarhukum/add/", tata_naskah)
    assert response.status_code == 200
    assert "bukan dasar hukum" in response.content.decode()
    assert not DasarHukum.objects.filter(nomor=1, tahun=2023).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        DasarHukum.objects.create(
            jenis=JenisPeraturan.PERMEN, sebutan="Peraturan Menteri Dalam Negeri", nomor=1, tahun=2023, tentang="x"
        )


def test_a_formation_law_not_known_is_a_marked_entry_for_the_region_to_fill(pengelola_in, regions):
    entry = DasarHukum.objects.get(region_id="72.04", jenis=JenisPeraturan.UU)
    assert not entry.lengkap and "BELUM LENGKAP" in entry.catatan
    text = pdf_text(sk_draft_render(pengelola=pengelola_in("72.04", BentukHukum.KOPERASI), fmt="pdf").content)
    assert "Undang-Undang Nomor .... Tahun .... tentang Pembentukan Kabupaten Toli-Toli" in text
    # Every other kab/kota has its formation law with number and year.
    kab_kota = [code for code, region in regions.items() if not region.is_province]
    for code in kab_kota:
        assert DasarHukum.objects.filter(region_id=code, jenis=JenisPeraturan.UU).count() == 1, code


def test_the_admin_sets_a_regions_office_names(admin_client, pengelola_in):
    response = admin_client.post(
        f"/admin/produk_hukum/kantordaerah/{SIGI}/change/",
        {
            "region": SIGI,
            "dinas_perindustrian": "Dinas Perindustrian, Perdagangan, Koperasi dan UKM",
            "dinas_perindustrian_singkatan": "Disperindagkop-UKM",
            "bpkad": "Badan Keuangan Daerah",
            "bpkad_singkatan": "BKD",
            "bappeda": "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
            "bappeda_singkatan": "Bapperida",
            "bagian_hukum": "Bagian Hukum Sekretariat Daerah",
            "bagian_hukum_singkatan": "Bagian Hukum Setda Sigi",
            "sekretariat_daerah": "Sekretariat Daerah",
            "sekretariat_daerah_singkatan": "Setda",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert KantorDaerah.objects.get(region_id=SIGI).bpkad_singkatan == "BKD"
    text = docx_text(sk_draft_render(pengelola=pengelola_in(SIGI, BentukHukum.BUMDES), fmt="docx").content)
    assert "Kepala Badan Keuangan Daerah Kabupaten Sigi;" in text
    assert "Kepala Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah Kabupaten Sigi;" in text


def test_the_task_pages_name_the_offices_of_the_proposals_region(make_user, start_proposal, regions):
    from tests.flows.test_legalisasi_http import ASET_OK
    from accounts.roles import Role

    KantorDaerah.objects.update_or_create(
        region_id=BANGGAI,
        defaults={"bpkad_singkatan": "BPKAD Banggai", "bagian_hukum_singkatan": "Bagian Hukum Setda Banggai"},
    )
    users = {role: make_user(role, BANGGAI) for role in (Role.PENGUSUL, Role.VERIFIKATOR_DINAS, Role.VERIFIKATOR_ASET, Role.BAGIAN_HUKUM)}
    process = start_proposal(users[Role.PENGUSUL])
    act(users[Role.VERIFIKATOR_DINAS], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    assets_recorded(process, users[Role.VERIFIKATOR_ASET])
    act(users[Role.VERIFIKATOR_ASET], process, "verifikasi_aset", ASET_OK)
    client = client_for(users[Role.BAGIAN_HUKUM])
    task = task_of(process, "harmonisasi_hukum")
    client.post(task_url(task, "assign"))
    html = client.get(task_url(task)).content.decode()
    assert "Aset DAK (BPKAD Banggai)" in html
    assert "DOCX dapat disunting Bagian Hukum Setda Banggai." in html


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_an_office_recorded_as_the_signers_name_is_not_printed_under_a_kota_heading(pengelola_in, sk_for, fmt):
    # The demo data recorded "Bupati Palu" as the name: the block read "WALI KOTA PALU, BUPATI PALU".
    pengelola = pengelola_in(PALU, BentukHukum.UPTD, ppk_blud=True)
    sk_for(pengelola, KapasitasPenandatangan.DEFINITIF, "Bupati Palu")
    text = _read(fmt, sk_draft_render(pengelola=pengelola, fmt=fmt).content)
    assert "WALI KOTA PALU, ......................................" in text
    assert "BUPATI" not in text


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_gives_each_region_its_capital_and_keeps_one_set_by_an_admin(regions):
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("produk_hukum", "0001_legal_basis_and_offices")])
        for region in Region.objects.all():
            region.ibu_kota = ""
            region.save()
        poso = Region.objects.get(code="72.02")
        poso.ibu_kota = "Poso Kota"  # an admin's entry
        poso.save()
        executor = MigrationExecutor(connection)
        executor.migrate([("produk_hukum", "0002_seed_legal_basis_offices_ibu_kota")])
        capitals = dict(Region.objects.values_list("code", "ibu_kota"))
        assert capitals == {**IBU_KOTA, "72.02": "Poso Kota"}
        assert capitals["72.01"] == "Luwuk" and capitals["72.09"] == "Ampana" and capitals["72.10"] == "Sigi Biromaru"
        assert len(capitals) == 14
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_capitals_in_the_migration_are_those_of_the_shipped_region_list():
    from sentra.regions import SULTENG_CSV, read_region_rows

    assert {row["kode_kemendagri"]: row["ibu_kota"] for row in read_region_rows(SULTENG_CSV)} == IBU_KOTA


def test_the_legal_forms_of_the_table_are_those_of_the_register():
    # The register's forms, and "blud": the laws a UPTD applying PPK-BLUD cites besides a UPTD's.
    choices = dict(DasarHukum._meta.get_field("bentuk_hukum").choices)
    assert set(choices) == set(BentukHukum.values) | {PPK_BLUD_KEY}
    assert str(choices["blud"]) == "UPTD dengan PPK-BLUD"
    keys = set(DasarHukum.objects.exclude(bentuk_hukum="").values_list("bentuk_hukum", flat=True))
    assert keys <= set(BentukHukum.values) | {PPK_BLUD_KEY}


@pytest.fixture
def bagian_hukum_banggai(make_user):
    """A Bagian Hukum official of Banggai whom the operator made staff with this app's permissions."""
    from django.contrib.auth.models import Permission

    from accounts.roles import Role

    user = make_user(Role.BAGIAN_HUKUM, BANGGAI, username="hukum.banggai")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="produk_hukum"))
    return client_for(user)


def test_a_kabupatens_bagian_hukum_edits_only_its_own_regions_entries_in_the_admin(bagian_hukum_banggai):
    client = bagian_hukum_banggai
    listing = client.get("/admin/produk_hukum/dasarhukum/").content.decode()
    assert "Pembentukan Daerah-daerah Tingkat II di Sulawesi" in listing  # Banggai's own
    assert "Pembentukan Kabupaten Sigi" not in listing  # another kab/kota's
    # Its own region only; an entry for every region is the superuser's.
    response = client.post("/admin/produk_hukum/dasarhukum/add/", {**RPIK_BANGGAI, "region": SIGI})
    assert response.status_code == 200 and not DasarHukum.objects.filter(region_id=SIGI, nomor=7).exists()
    response = client.post("/admin/produk_hukum/dasarhukum/add/", {**RPIK_BANGGAI, "region": ""})
    assert response.status_code == 200 and not DasarHukum.objects.filter(nomor=7, tahun=2021).exists()
    response = client.post("/admin/produk_hukum/dasarhukum/add/", RPIK_BANGGAI)
    assert response.status_code == 302 and DasarHukum.objects.filter(region_id=BANGGAI, nomor=7).exists()
    shared = DasarHukum.objects.get(region__isnull=True, jenis=JenisPeraturan.UU, nomor=3, tahun=2014)
    response = client.post(
        f"/admin/produk_hukum/dasarhukum/{shared.pk}/change/", {**RPIK_BANGGAI, "region": "", "tentang": "Diubah"}
    )
    assert response.status_code == 403
    assert DasarHukum.objects.get(pk=shared.pk).tentang == "Perindustrian"
    sigi = DasarHukum.objects.get(region_id=SIGI, jenis=JenisPeraturan.UU)
    assert client.get(f"/admin/produk_hukum/dasarhukum/{sigi.pk}/change/").status_code == 302  # "does not exist"
    # Office names: its own row only.
    assert client.get(f"/admin/produk_hukum/kantordaerah/{BANGGAI}/change/").status_code == 200
    assert client.get(f"/admin/produk_hukum/kantordaerah/{SIGI}/change/").status_code == 302


def test_the_register_summary_is_headed_by_the_provincial_office_as_the_province_names_it(pengelola_in, sk_for):
    from django.utils import timezone

    from sentra.documents import register_summary_render

    KantorDaerah.objects.update_or_create(
        region_id="72", defaults={"dinas_perindustrian": "Dinas Perindustrian, Perdagangan dan Energi"}
    )
    sk = sk_for(pengelola_in(SIGI, BentukHukum.BUMDES), KapasitasPenandatangan.DEFINITIF, "Rizal Intjenae")
    sk.nomor_register = "72/REG-SENTRA/2026/0001"
    sk.dicatat_pada = timezone.now()
    sk.save()
    text = pdf_text(register_summary_render(sk).content)
    assert text.startswith("DINAS PERINDUSTRIAN, PERDAGANGAN DAN ENERGI PROVINSI SULAWESI TENGAH")
    assert "INDUSTRI KECIL DAN INDUSTRI MENENGAH" in text
