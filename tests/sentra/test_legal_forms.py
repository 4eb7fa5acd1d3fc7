"""Legal forms of a pengelola (issue 13, point 13): BUM Desa and BUM Desa Bersama with the badan hukum
certificate; a BLUD is a UPTD applying PPK-BLUD, not a body of its own."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.roles import Role
from core.errors import RuleViolation
from flows.demo import DEMO_FORMS, usulan_data
from flows.models import LegalisasiProcess
from produk_hukum.selectors import mengingat
from sentra.choices import BentukHukum, JenisDokumen, required_documents
from sentra.documents import sk_draft_render
from sentra.documents.context import sk_draft_context
from sentra.forms import DokumenForm, PengelolaForm, RegisterFilterForm
from sentra.models import SK, Region
from sentra.selectors import register_snapshot
from sentra.services import usulan_validate
from tests.helpers import client_for, form_errors, pdf_upload
from tests.sentra.readback import pdf_text

pytestmark = pytest.mark.django_db

DONGGALA, PALU, SIGI = "72.03", "72.71", "72.10"
PERMENDAGRI_12_2017 = (
    "Peraturan Menteri Dalam Negeri Nomor 12 Tahun 2017 tentang Pedoman Pembentukan dan Klasifikasi Cabang "
    "Dinas dan Unit Pelaksana Teknis Daerah"
)
PERMENDAGRI_79_2018 = "Peraturan Menteri Dalam Negeri Nomor 79 Tahun 2018 tentang Badan Layanan Umum Daerah"
PP_11_2021 = "Peraturan Pemerintah Nomor 11 Tahun 2021 tentang Badan Usaha Milik Desa"
UU_6_2014 = "Undang-Undang Nomor 6 Tahun 2014 tentang Desa"


def _proposal(region_code, bentuk, *, ppk_blud=False, without=(), seed=1):
    data = usulan_data(Region.objects.get(code=region_code), seed=seed, bentuk=bentuk, ppk_blud=ppk_blud)
    for jenis in without:
        data.documents.pop(jenis)
    return data


def _refusal(data, region_code) -> str:
    with pytest.raises(RuleViolation) as refused:
        usulan_validate(data=data, region=Region.objects.get(code=region_code))
    return refused.value.messages[0]


# --- BUM Desa and BUM Desa Bersama ------------------------------------------------------------------


def test_a_bum_desa_bersama_proposal_is_accepted_with_its_documents(regions, make_user, start_proposal):
    pengusul = make_user(Role.PENGUSUL, SIGI)
    pengelola = start_proposal(pengusul, bentuk=BentukHukum.BUMDES_BERSAMA).pengelola
    assert pengelola.bentuk_hukum == "bumdes_bersama"
    assert pengelola.get_bentuk_hukum_display() == "BUM Desa Bersama"
    kinds = set(pengelola.dokumen_set.values_list("jenis", flat=True))
    # Founded by a Peraturan Bersama Kepala Desa (not a Perdes), a legal person by its certificate.
    assert {"peraturan_bersama_kades", "sertifikat_bh_bumdes", "ad_art"} <= kinds
    assert "perdes" not in kinds


@pytest.mark.parametrize("bentuk", [BentukHukum.BUMDES_BERSAMA, BentukHukum.BUMDES])
def test_a_bum_desa_or_bum_desa_bersama_without_its_badan_hukum_certificate_is_refused(regions, bentuk):
    message = _refusal(_proposal(SIGI, bentuk, without=[JenisDokumen.SERTIFIKAT_BH_BUMDES]), SIGI)
    assert "Sertifikat pendaftaran badan hukum BUM Desa/BUM Desa Bersama" in message


def test_a_bum_desa_bersama_needs_the_peraturan_bersama_kepala_desa(regions):
    data = _proposal(SIGI, BentukHukum.BUMDES_BERSAMA, without=[JenisDokumen.PERATURAN_BERSAMA_KADES])
    message = _refusal(data, SIGI)
    assert "Peraturan Bersama Kepala Desa pendirian BUM Desa Bersama" in message


def test_the_forms_are_labelled_as_the_law_writes_them():
    labels = dict(BentukHukum.choices)
    assert labels["bumdes"] == "BUM Desa" and labels["bumdes_bersama"] == "BUM Desa Bersama"


def test_the_draft_sk_of_a_bum_desa_bersama_cites_the_law_on_desa_and_pp_11_2021(regions, make_user, start_proposal):
    pengelola = start_proposal(make_user(Role.PENGUSUL, SIGI), bentuk=BentukHukum.BUMDES_BERSAMA).pengelola
    context = sk_draft_context(pengelola)
    cited = " ".join(row["text"] for row in context["mengingat"])
    assert UU_6_2014 in cited and PP_11_2021 in cited
    assert "yang berbentuk BUM Desa Bersama sebagai Kelembagaan Pengelola" in context["diktum"][0]["text"]


# --- UPTD with PPK-BLUD -----------------------------------------------------------------------------


def test_a_uptd_applying_ppk_blud_requires_the_kepala_daerahs_ppk_blud_decision(regions):
    data = _proposal(PALU, BentukHukum.UPTD, ppk_blud=True, without=[JenisDokumen.KEPUTUSAN_PPK_BLUD])
    message = _refusal(data, PALU)
    assert "Keputusan kepala daerah tentang penerapan PPK-BLUD" in message
    # With the decision it is complete; a UPTD without PPK-BLUD does not need it.
    usulan_validate(data=_proposal(PALU, BentukHukum.UPTD, ppk_blud=True), region=Region.objects.get(code=PALU))
    assert JenisDokumen.KEPUTUSAN_PPK_BLUD not in required_documents(BentukHukum.UPTD)
    usulan_validate(data=_proposal(PALU, BentukHukum.UPTD), region=Region.objects.get(code=PALU))


def test_only_a_uptd_applies_ppk_blud():
    base = {"alamat": "Jl. 1", "masa_bakti_tahun": 3, "ppk_blud": "on"}
    form = PengelolaForm({**base, "name": "Koperasi Maju", "bentuk_hukum": "koperasi"})
    assert not form.is_valid()
    assert "ppk_blud" in form.errors
    form = PengelolaForm({**base, "name": "UPTD Sentra", "bentuk_hukum": "uptd"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["ppk_blud"] is True


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_draft_sk_of_a_uptd_with_ppk_blud_cites_permendagri_79_2018_and_12_2017_and_names_the_pattern(
    regions, make_user, start_proposal, fmt
):
    pengelola = start_proposal(make_user(Role.PENGUSUL, PALU), bentuk=BentukHukum.UPTD, ppk_blud=True).pengelola
    context = sk_draft_context(pengelola)
    cited = [row["text"] for row in context["mengingat"]]
    assert sum(PERMENDAGRI_12_2017 in text for text in cited) == 1  # also seeded under "blud": cited once
    twelve = next(i for i, text in enumerate(cited) if PERMENDAGRI_12_2017 in text)
    seventy_nine = next(i for i, text in enumerate(cited) if PERMENDAGRI_79_2018 in text)
    assert twelve < seventy_nine
    assert (
        "yang berbentuk UPTD (Unit Pelaksana Teknis Daerah) yang menerapkan PPK-BLUD sebagai Kelembagaan Pengelola"
        in context["diktum"][0]["text"]
    )
    content = sk_draft_render(pengelola=pengelola, fmt=fmt).content
    if fmt == "pdf":
        text = pdf_text(content)
        assert "Nomor 79 Tahun 2018 tentang Badan Layanan Umum Daerah" in text
        assert "yang menerapkan PPK-BLUD" in text


def test_a_uptd_without_ppk_blud_does_not_cite_permendagri_79_2018(regions, make_user, start_proposal):
    pengelola = start_proposal(make_user(Role.PENGUSUL, PALU), bentuk=BentukHukum.UPTD).pengelola
    cited = " ".join(row["text"] for row in sk_draft_context(pengelola)["mengingat"])
    assert PERMENDAGRI_12_2017 in cited and PERMENDAGRI_79_2018 not in cited
    assert "PPK-BLUD" not in sk_draft_context(pengelola)["diktum"][0]["text"]


def test_mengingat_takes_the_pengelolas_citation_keys(regions):
    palu = Region.objects.get(code=PALU)
    both = mengingat(palu, ["uptd", "blud"])
    assert any(PERMENDAGRI_79_2018 in law for law in both)
    assert sum(PERMENDAGRI_12_2017 in law for law in both) == 1
    assert not any(PERMENDAGRI_79_2018 in law for law in mengingat(palu, ["uptd"]))


def test_the_register_names_a_uptd_with_ppk_blud(regions, make_user, start_proposal):
    pengelola = start_proposal(make_user(Role.PENGUSUL, PALU), bentuk=BentukHukum.UPTD, ppk_blud=True).pengelola
    sk = SK.objects.create(
        pengelola=pengelola,
        nomor="100.3.3.2/7/HUKUM/2026",
        tanggal=timezone.localdate() - datetime.timedelta(days=1),
        penandatangan_nama="Hadianto Rasyid",
        penandatangan_kapasitas="definitif",
        file="sk/contoh.pdf",
        sha256="a" * 64,
        ditetapkan_oleh=make_user(Role.KEPALA_DAERAH, PALU),
    )
    assert register_snapshot(sk)["bentuk_hukum"] == "UPTD (Unit Pelaksana Teknis Daerah) yang menerapkan PPK-BLUD"


# --- BLUD is no longer a form of its own ------------------------------------------------------------


def test_the_blud_choice_is_no_longer_offered():
    assert "blud" not in BentukHukum.values
    assert "blud" not in dict(PengelolaForm().fields["bentuk_hukum"].choices)
    assert "blud" not in dict(RegisterFilterForm.base_fields["bentuk_hukum"].choices)
    form = PengelolaForm({"name": "BLUD Sentra", "bentuk_hukum": "blud", "alamat": "Jl. 1", "masa_bakti_tahun": 3})
    assert not form.is_valid() and "bentuk_hukum" in form.errors
    # The proposal form offers the flag, and the document list says when the decision is needed.
    assert "ppk_blud" in PengelolaForm().fields
    help_text = DokumenForm(bentuk_hukum="uptd").fields["keputusan_ppk_blud"].help_text
    assert help_text == "wajib bila UPTD menerapkan PPK-BLUD"
    assert DokumenForm(bentuk_hukum="koperasi").fields["keputusan_ppk_blud"].help_text == ""


def test_a_uptd_with_ppk_blud_is_proposed_over_http(regions, make_user):
    pengusul = make_user(Role.PENGUSUL, PALU)
    client = client_for(pengusul)
    page = client.get("/legalisasi/usulan/").content.decode()
    assert 'name="pengelola-ppk_blud"' in page and "UPTD menerapkan PPK-BLUD" in page
    assert 'value="blud"' not in page

    data = usulan_data(pengusul.region, seed=3, bentuk=BentukHukum.UPTD, ppk_blud=True)
    post = {
        "sentra-sentra": "",
        **{f"sentra-{k}": v for k, v in data.sentra_fields.items()},
        **{f"pengelola-{k}": v for k, v in data.pengelola_fields.items() if k != "ppk_blud"},
        "pengelola-ppk_blud": "on",
        "pengurus-TOTAL_FORMS": len(data.pengurus),
        "pengurus-INITIAL_FORMS": 0,
        "anggota-TOTAL_FORMS": len(data.anggota),
        "anggota-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(data.pengurus):
        post.update({f"pengurus-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(data.anggota):
        post.update({f"anggota-{i}-{k}": v for k, v in row.items()})
    for jenis in data.documents:
        if jenis != JenisDokumen.KEPUTUSAN_PPK_BLUD:
            post[f"dokumen-{jenis}"] = pdf_upload(f"{jenis}.pdf", jenis)
    refused = client.post("/legalisasi/usulan/", post)
    assert refused.status_code != 302  # the page again, with the refusal
    assert "Keputusan kepala daerah tentang penerapan PPK-BLUD" in refused.content.decode()

    for jenis in data.documents:
        post[f"dokumen-{jenis}"] = pdf_upload(f"{jenis}.pdf", jenis)
    response = client.post("/legalisasi/usulan/", post)
    assert response.status_code == 302, form_errors(response)
    pengelola = LegalisasiProcess.objects.latest("pk").pengelola
    assert (pengelola.bentuk_hukum, pengelola.ppk_blud) == ("uptd", True)


def test_the_demo_rotation_uses_the_new_forms(regions):
    assert (BentukHukum.BUMDES_BERSAMA, False) in DEMO_FORMS and (BentukHukum.UPTD, True) in DEMO_FORMS
    region = Region.objects.get(code=DONGGALA)
    seen = set()
    for seed in range(len(DEMO_FORMS)):
        data = usulan_data(region, seed=seed, bentuk=None)
        seen.add((data.pengelola_fields["bentuk_hukum"], data.pengelola_fields["ppk_blud"]))
        usulan_validate(data=data, region=region)  # each carries the documents of its form
    assert seen == set(DEMO_FORMS)


# --- the data migration -----------------------------------------------------------------------------

BEFORE = [("sentra", "0008_sk_number_constraint_and_register_snapshot")]
AFTER = [("sentra", "0009_legal_forms_bum_desa_bersama_uptd_ppk_blud")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_turns_an_old_blud_into_a_uptd_applying_ppk_blud(regions):
    try:
        old = _migrate(BEFORE)
        Region_ = old.get_model("sentra", "Region")
        Sentra = old.get_model("sentra", "Sentra")
        Pengelola = old.get_model("sentra", "Pengelola")
        sentra = Sentra.objects.create(
            region=Region_.objects.get(code=PALU), name="Sentra Lama", komoditas="abon", alamat="Jl. 1"
        )
        blud = Pengelola.objects.create(sentra=sentra, name="BLUD Sentra Lama", bentuk_hukum="blud", alamat="Jl. 1")
        koperasi = Pengelola.objects.create(
            sentra=sentra, name="Koperasi Lama", bentuk_hukum="koperasi", alamat="Jl. 1"
        )

        new = _migrate(AFTER)
        Pengelola = new.get_model("sentra", "Pengelola")
        assert Pengelola.objects.filter(pk=blud.pk).values_list("bentuk_hukum", "ppk_blud").get() == ("uptd", True)
        assert Pengelola.objects.filter(pk=koperasi.pk).values_list("bentuk_hukum", "ppk_blud").get() == (
            "koperasi",
            False,
        )
        # The change is in the pengelola's history, made by the system account.
        version = new.get_model("sentra", "HistoricalPengelola").objects.filter(id=blud.pk).latest("history_id")
        assert (version.bentuk_hukum, version.ppk_blud, version.history_type) == ("uptd", True, "~")
        assert version.history_user.username == "sistem"
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
