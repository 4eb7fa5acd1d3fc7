"""The legalisation flow over HTTP, one official per role, every path through the process."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from flows.demo import usulan_data
from flows.models import Hasil, Keputusan, LegalisasiProcess, Tahap
from sentra.choices import JenisDokumen, StatusPencatatan, StatusSK
from sentra.models import SK, Pengelola
from tests.helpers import act, assets_recorded, client_for, decision, form_errors, pdf_upload, task_of

pytestmark = pytest.mark.django_db


def usulan_post(region, *, seed=1, anggota=6, files=True, **overrides):
    """The start form's POST data, built from the same plausible proposal the demo uses."""
    data = usulan_data(region, seed=seed, anggota=anggota)
    post = {
        "sentra-sentra": "",
        **{f"sentra-{k}": v for k, v in data.sentra_fields.items()},
        **{f"pengelola-{k}": v for k, v in data.pengelola_fields.items()},
        "pengurus-TOTAL_FORMS": len(data.pengurus),
        "pengurus-INITIAL_FORMS": 0,
        "anggota-TOTAL_FORMS": len(data.anggota),
        "anggota-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(data.pengurus):
        post.update({f"pengurus-{i}-{k}": v for k, v in row.items()})
    for i, row in enumerate(data.anggota):
        post.update({f"anggota-{i}-{k}": v for k, v in row.items()})
    if files:
        for jenis, pdf in data.documents.items():
            post[f"dokumen-{jenis}"] = pdf_upload(f"{jenis}.pdf", pdf.original_name)
    post.update(overrides)
    return post


def sk_post(region, nomor="100.3.3.2/45/DISPERINDAG/2026", **extra):
    """Bagian Hukum's numbering and authentication of the signed SK (the ``penomoran_sk`` step)."""
    return decision(
        Hasil.DINOMORI,
        **{
            "sk-nomor": nomor,
            "sk-tanggal": timezone.localdate().isoformat(),
            "sk-penandatangan_nama": "Vera Elena Laruni",
            "sk-penandatangan_kapasitas": "definitif",
            "sk-srikandi_ref": "",
            "sk-signed_pdf": pdf_upload("sk-ttd.pdf", "Keputusan Bupati Donggala"),
            "sk-salinan_pdf": pdf_upload("sk-salinan.pdf", "Salinan sesuai dengan aslinya"),
            **extra,
        },
    )


# BPKAD approves the asset lines it recorded first (``tests.helpers.assets_recorded``).
ASET_OK = decision(Hasil.DISETUJUI)


def start_over_http(pengusul, **overrides) -> LegalisasiProcess:
    response = client_for(pengusul).post("/legalisasi/usulan/", usulan_post(pengusul.region, **overrides))
    assert response.status_code == 302, form_errors(response)
    return LegalisasiProcess.objects.latest("pk")


def through_verification(process, donggala):
    """From the Disperindag to the signer: verification, asset check, harmonisation, paraf koordinasi."""
    assert act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302
    assets_recorded(process, donggala["verifikator_aset"])
    r = act(donggala["verifikator_aset"], process, "verifikasi_aset", ASET_OK)
    assert r.status_code == 302, form_errors(r)
    assert act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI)).status_code == 302
    assert act(donggala["sekretariat_daerah"], process, "paraf_koordinasi", decision(Hasil.DIPARAF)).status_code == 302


def sign_and_number(process, donggala, numbering: dict):
    """The kepala daerah signs; Bagian Hukum numbers and authenticates with ``numbering`` (``sk_post``)."""
    assert act(donggala["kepala_daerah"], process, "penetapan_sk", decision(Hasil.DITANDATANGANI)).status_code == 302
    return act(donggala["bagian_hukum"], process, "penomoran_sk", numbering)


def test_the_whole_happy_path_from_usulan_to_a_recorded_sk(donggala, province):
    process = start_over_http(donggala["pengusul"])
    assert process.tahap == Tahap.VERIFIKASI_DINAS
    assert process.pengelola.anggota_set.count() == 6
    assert process.pengelola.dokumen_set.count() == 8  # a koperasi: 6 common + akta/AHU + AD/ART

    through_verification(process, donggala)
    process.refresh_from_db()
    assert process.tahap == Tahap.PENETAPAN_SK

    assert act(donggala["kepala_daerah"], process, "penetapan_sk", decision(Hasil.DITANDATANGANI)).status_code == 302
    process.refresh_from_db()
    assert process.tahap == Tahap.PENOMORAN_SK
    assert not SK.objects.exists()  # signed, not yet numbered: no number is typed at the signature
    response = act(donggala["bagian_hukum"], process, "penomoran_sk", sk_post(process.region))
    assert response.status_code == 302, form_errors(response)
    process.refresh_from_db()
    assert process.tahap == Tahap.PENCATATAN_PROVINSI
    sk = SK.objects.get(pengelola=process.pengelola)
    # in force from its date, before and whatever the province's recording
    assert (sk.status, sk.status_pencatatan) == (StatusSK.BERLAKU, StatusPencatatan.BELUM_DICATAT)
    assert len(sk.sha256) == 64 and len(sk.salinan_sha256) == 64

    response = act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT))
    assert response.status_code == 302
    process.refresh_from_db()
    sk.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert process.tahap == Tahap.TERCATAT
    assert (sk.status, sk.status_pencatatan) == (StatusSK.BERLAKU, StatusPencatatan.TERCATAT)
    assert sk.nomor_register == f"72/REG-SENTRA/{timezone.localdate().year}/0001"
    assert list(Keputusan.objects.filter(process=process).values_list("langkah", "hasil")) == [
        ("usulan", Hasil.DIAJUKAN),
        ("verifikasi_dinas", Hasil.DISETUJUI),
        ("verifikasi_aset", Hasil.DISETUJUI),
        ("harmonisasi_hukum", Hasil.DISETUJUI),
        ("paraf_koordinasi", Hasil.DIPARAF),
        ("penetapan_sk", Hasil.DITANDATANGANI),
        ("penomoran_sk", Hasil.DINOMORI),
        ("pencatatan_provinsi", Hasil.DICATAT),
    ]


def test_task_page_shows_the_proposal_data_and_documents(donggala):
    process = start_over_http(donggala["pengusul"])
    client = client_for(donggala["verifikator_dinas"])
    task = task_of(process, "verifikasi_dinas")
    client.post(f"/legalisasi/{process.pk}/verifikasi_dinas/{task.pk}/assign/")
    page = client.get(f"/legalisasi/{process.pk}/verifikasi_dinas/{task.pk}/execute/").content.decode()
    assert process.pengelola.name in page
    for anggota in process.pengelola.anggota_set.all():
        assert anggota.nama_usaha in page
    for dokumen in process.pengelola.dokumen_set.all():
        assert dokumen.get_absolute_url() in page
    download = client.get(process.pengelola.dokumen_set.first().get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_disperindag_returns_for_revision_and_the_pengusul_resubmits(donggala):
    process = start_over_http(donggala["pengusul"])
    note = "Berita acara belum ditandatangani semua anggota."
    assert act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DIKEMBALIKAN, note)).status_code == 302
    process.refresh_from_db()
    assert process.tahap == Tahap.PERBAIKAN
    perbaikan = task_of(process, "perbaikan")
    assert perbaikan.owner == donggala["pengusul"]

    client = client_for(donggala["pengusul"])
    page = client.get(f"/legalisasi/{process.pk}/perbaikan/{perbaikan.pk}/execute/").content.decode()
    assert note in page
    post = usulan_post(process.region, files=False, **{"perbaikan-catatan": "Berita acara dilengkapi."})
    post["dokumen-berita_acara"] = pdf_upload("ba.pdf", "Berita acara baru")
    response = client.post(f"/legalisasi/{process.pk}/perbaikan/{perbaikan.pk}/execute/", post)
    assert response.status_code == 302, form_errors(response)

    process.refresh_from_db()
    assert process.tahap == Tahap.VERIFIKASI_DINAS and process.putaran == 2
    assert task_of(process, "verifikasi_dinas")
    # The superseded berita acara is kept, not deleted: what the verifikator saw stays provable.
    assert process.pengelola.dokumen_set.filter(jenis=JenisDokumen.BERITA_ACARA).count() == 2
    assert process.pengelola.dokumen_set.filter(jenis=JenisDokumen.BERITA_ACARA, superseded=False).count() == 1


@pytest.mark.parametrize("returning_step", ["verifikasi_aset", "harmonisasi_hukum"])
def test_bpkad_or_bagian_hukum_return_sends_the_proposal_back_once_both_have_decided(donggala, returning_step):
    process = start_over_http(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    other = {"verifikasi_aset": "harmonisasi_hukum", "harmonisasi_hukum": "verifikasi_aset"}[returning_step]
    actor = {"verifikasi_aset": "verifikator_aset", "harmonisasi_hukum": "bagian_hukum"}

    response = act(donggala[actor[returning_step]], process, returning_step, decision(Hasil.DIKEMBALIKAN, "Perbaiki."))
    assert response.status_code == 302
    other_data = ASET_OK if other == "verifikasi_aset" else decision(Hasil.DISETUJUI)
    assets_recorded(process, donggala["verifikator_aset"])
    assert act(donggala[actor[other]], process, other, other_data).status_code == 302

    process.refresh_from_db()
    assert process.tahap == Tahap.PERBAIKAN
    assert task_of(process, "perbaikan").owner == donggala["pengusul"]
    assert process.task_set.filter(flow_task_type="HUMAN", finished__isnull=True).count() == 1


def test_disperindag_rejection_ends_the_process(donggala):
    process = start_over_http(donggala["pengusul"])
    response = act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DITOLAK, "Bukan sentra DAK."))
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert process.tahap == Tahap.DITOLAK
    assert process.task_set.filter(flow_task=process.flow_class.ditolak).exists()


def test_kepala_daerah_declining_ends_the_process(donggala):
    process = start_over_http(donggala["pengusul"])
    through_verification(process, donggala)
    response = act(donggala["kepala_daerah"], process, "penetapan_sk", decision(Hasil.DITOLAK, "Tunda: evaluasi aset."))
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == PROCESS.DONE and process.tahap == Tahap.DITOLAK
    assert not SK.objects.exists()


@pytest.mark.parametrize("returning_step,actor", [("paraf_koordinasi", "sekretariat_daerah"), ("penetapan_sk", "kepala_daerah")])
def test_the_paraf_or_the_signer_returns_the_draft_to_bagian_hukum_and_it_comes_back_through_the_paraf(
    donggala, returning_step, actor
):
    process = start_over_http(donggala["pengusul"])
    through_verification(process, donggala) if returning_step == "penetapan_sk" else None
    if returning_step == "paraf_koordinasi":
        assets_recorded(process, donggala["verifikator_aset"])
        for step, who, data in (("verifikasi_dinas", "verifikator_dinas", decision(Hasil.DISETUJUI)),
                                ("verifikasi_aset", "verifikator_aset", ASET_OK),
                                ("harmonisasi_hukum", "bagian_hukum", decision(Hasil.DISETUJUI))):
            assert act(donggala[who], process, step, data).status_code == 302
    note = "Diktum kedua: sebutkan jangka waktu pinjam pakai."
    assert act(donggala[actor], process, returning_step, decision(Hasil.DIKEMBALIKAN, "")).status_code in (200, 422)  # a note is required
    assert act(donggala[actor], process, returning_step, decision(Hasil.DIKEMBALIKAN, note)).status_code == 302
    process.refresh_from_db()
    assert process.tahap == Tahap.REVISI_RANCANGAN
    revisi = task_of(process, "revisi_rancangan")
    client = client_for(donggala["bagian_hukum"])
    client.post(f"/legalisasi/{process.pk}/revisi_rancangan/{revisi.pk}/assign/")
    assert note in client.get(f"/legalisasi/{process.pk}/revisi_rancangan/{revisi.pk}/execute/").content.decode()
    assert act(donggala["bagian_hukum"], process, "revisi_rancangan", decision(Hasil.DIAJUKAN, "Diktum diperbaiki.")).status_code == 302
    assert task_of(process, "paraf_koordinasi")  # the revised draft is paraf'd again before anyone signs
    assert not SK.objects.exists()


def test_recording_with_notes_keeps_the_sk_in_force_and_the_kab_kota_answers(donggala, province):
    process = start_over_http(donggala["pengusul"])
    through_verification(process, donggala)
    assert sign_and_number(process, donggala, sk_post(process.region)).status_code == 302
    # the province cannot un-do the Keputusan: returning is no longer a choice
    response = act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DIKEMBALIKAN, "x"))
    assert response.status_code in (200, 422) and SK.objects.get().status_pencatatan == StatusPencatatan.BELUM_DICATAT
    note = "Lampiran anggota tidak sesuai usulan; perbaiki melalui Keputusan perubahan."
    assert act(province["pencatat_provinsi"], process, "pencatatan_provinsi",
               decision(Hasil.DICATAT_DENGAN_CATATAN, note)).status_code == 302
    sk = SK.objects.get()
    assert (sk.status, sk.status_pencatatan, sk.catatan_pencatatan) == (
        StatusSK.BERLAKU, StatusPencatatan.TERCATAT_DENGAN_CATATAN, note)
    assert sk.nomor_register.startswith("72/REG-SENTRA/")
    process.refresh_from_db()
    assert process.tahap == Tahap.TANGGAPAN_CATATAN
    answer = "Keputusan perubahan sedang disusun Bagian Hukum."
    assert act(donggala["bagian_hukum"], process, "tanggapan_catatan", decision(Hasil.DIJAWAB, answer)).status_code == 302
    sk.refresh_from_db()
    process.refresh_from_db()
    assert sk.tanggapan_pencatatan == answer and sk.status == StatusSK.BERLAKU
    assert process.status == PROCESS.DONE and process.tahap == Tahap.TERCATAT


def test_the_number_is_unique_per_kab_kota_and_year_and_never_reissued(donggala, start_proposal):
    first, second = start_over_http(donggala["pengusul"]), start_over_http(donggala["pengusul"], seed=2)
    for process in (first, second):
        through_verification(process, donggala)
    assert sign_and_number(first, donggala, sk_post(first.region, nomor="100.3.3.2/45/DISPERINDAG/2026")).status_code == 302
    response = sign_and_number(second, donggala, sk_post(second.region, nomor="100.3.3.2/45/disperindag/2026"))
    assert response.status_code in (200, 422) and "sudah tercatat" in form_errors(response)
    assert SK.objects.count() == 1


def test_a_pengusul_sees_their_proposal_and_the_province_sees_all_kabupaten(donggala, poso, province, start_proposal):
    mine = start_proposal(donggala["pengusul"])
    theirs = start_proposal(poso["pengusul"])
    listing = client_for(province["pencatat_provinsi"]).get("/legalisasi/flows/").content.decode()
    assert f'/legalisasi/{mine.pk}/"' in listing and f'/legalisasi/{theirs.pk}/"' in listing
    assert Pengelola.objects.count() == 2


def test_the_process_page_shows_steps_data_documents_and_the_diagram(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    client = client_for(donggala["pimpinan"])
    page = client.get(f"/legalisasi/{process.pk}/").content.decode()
    assert process.pengelola.name in page
    assert all(a.nama_usaha in page for a in process.pengelola.anggota_set.all())
    assert all(d.get_absolute_url() in page for d in process.pengelola.dokumen_set.all())
    assert f"/legalisasi/{process.pk}/chart/" in page
    chart = client.get(f"/legalisasi/{process.pk}/chart/")
    assert chart.status_code == 200 and chart["Content-Type"].startswith("image/svg")


def test_a_new_pengelola_is_proposed_only_for_a_sentra_without_one(donggala, province):
    """While a proposal for a sentra is open, or once its pengelola holds an SK in force, a second
    proposal for it is refused with a message (the SK is amended or renewed from the register instead)."""
    first = start_over_http(donggala["pengusul"])
    sentra = first.pengelola.sentra
    client = client_for(donggala["pengusul"])

    def again():
        return {**usulan_post(donggala["pengusul"].region, seed=2), "sentra-sentra": str(sentra.pk)}

    response = client.post("/legalisasi/usulan/", again())
    assert response.status_code == 422
    assert "sedang dalam proses usulan pengelola" in form_errors(response)
    assert LegalisasiProcess.objects.count() == 1

    through_verification(first, donggala)
    assert sign_and_number(first, donggala, sk_post(first.region)).status_code == 302
    response = client.post("/legalisasi/usulan/", again())
    assert response.status_code == 422
    assert "sudah memiliki pengelola ber-SK" in form_errors(response) and "Register SK" in form_errors(response)
    assert LegalisasiProcess.objects.count() == 1
