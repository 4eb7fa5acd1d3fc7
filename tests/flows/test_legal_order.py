"""The Keputusan as Bagian Hukum signs it off (issue 13, the process): paraf koordinasi after the join,
the signature without a number, numbering and authentication by Bagian Hukum, the signer's capacity
and its basis, the dates, recording that never undoes the SK, and each auditor's scope."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from flows.models import Hasil, Keputusan
from flows.steps import STEP
from sentra.choices import StatusPencatatan, StatusSK
from sentra.models import SK
from tests.flows.test_legalisasi_http import sign_and_number, sk_post, through_verification
from tests.helpers import act, client_for, decision, form_errors, pdf_upload, task_of

pytestmark = pytest.mark.django_db
REFUSED = (200, 422)


@pytest.fixture
def signed(donggala, start_proposal):
    """A proposal paraf'd and signed, waiting for Bagian Hukum's number."""
    process = start_proposal(donggala["pengusul"])
    through_verification(process, donggala)
    assert act(donggala["kepala_daerah"], process, "penetapan_sk", decision(Hasil.DITANDATANGANI)).status_code == 302
    return process


def _number(process, donggala, **fields):
    return act(donggala["bagian_hukum"], process, "penomoran_sk", sk_post(process.region, **fields))


def test_the_steps_after_the_join_are_paraf_signature_numbering_recording():
    assert STEP["paraf_koordinasi"].role == Role.SEKRETARIAT_DAERAH
    assert STEP["penetapan_sk"].outcomes == (Hasil.DITANDATANGANI, Hasil.DIKEMBALIKAN, Hasil.DITOLAK)
    assert STEP["penomoran_sk"].role == Role.BAGIAN_HUKUM
    assert Hasil.DIKEMBALIKAN not in STEP["pencatatan_provinsi"].outcomes


def _page(user, process, step) -> str:
    client = client_for(user)
    task = task_of(process, step)
    client.post(f"/legalisasi/{process.pk}/{step}/{task.pk}/assign/")
    return client.get(f"/legalisasi/{process.pk}/{step}/{task.pk}/execute/").content.decode()


def test_the_signature_page_asks_for_no_number_and_the_numbering_page_does(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    through_verification(process, donggala)
    signature = _page(donggala["kepala_daerah"], process, "penetapan_sk")
    assert 'name="sk-nomor"' not in signature and "Ditandatangani kepala daerah" in signature
    assert "Dikembalikan untuk perbaikan" in signature  # the draft can go back for revision
    assert act(donggala["kepala_daerah"], process, "penetapan_sk", decision(Hasil.DITANDATANGANI)).status_code == 302
    numbering = _page(donggala["bagian_hukum"], process, "penomoran_sk")
    assert 'name="sk-nomor"' in numbering
    for label in ("Salinan autentik", "SRIKANDI", "surat perintah"):
        assert label in numbering, label


def test_numbering_needs_the_authenticated_copy(signed, donggala):
    response = _number(signed, donggala, **{"sk-salinan_pdf": ""})
    assert response.status_code in REFUSED
    assert "tidak boleh kosong" in form_errors(response)
    assert not SK.objects.exists()


@pytest.mark.parametrize("kapasitas", ["plt", "plh", "pj", "an"])
def test_an_acting_or_delegated_signature_needs_its_basis(signed, donggala, kapasitas):
    response = _number(signed, donggala, **{"sk-penandatangan_kapasitas": kapasitas})
    assert response.status_code in REFUSED
    assert "dasar penugasan" in form_errors(response) or "surat perintah" in form_errors(response)
    assert not SK.objects.exists()


def _basis(**extra):
    today = timezone.localdate()
    return {
        "sk-dasar_nomor": "800.1.11.1/12/BKPSDM/2026",
        "sk-dasar_tanggal": (today - dt.timedelta(days=10)).isoformat(),
        "sk-dasar_berlaku_sampai": (today + dt.timedelta(days=20)).isoformat(),
        "sk-dasar_pdf": pdf_upload("sprint.pdf", "Surat perintah Plt"),
        **extra,
    }


def test_a_plh_signature_needs_the_strategic_decision_warning_acknowledged(signed, donggala):
    response = _number(signed, donggala, **{"sk-penandatangan_kapasitas": "plh", **_basis()})
    assert response.status_code in REFUSED and "pasal 14 ayat 7" in form_errors(response)
    response = _number(signed, donggala, **{"sk-penandatangan_kapasitas": "plh", **_basis(**{"sk-plh_peringatan_diakui": "on"})})
    assert response.status_code == 302, form_errors(response)
    sk = SK.objects.get()
    assert sk.plh_peringatan_diakui and sk.dasar_nomor == "800.1.11.1/12/BKPSDM/2026" and sk.dasar_file


def test_an_sk_dated_outside_the_basis_validity_is_refused(signed, donggala):
    today = timezone.localdate()
    response = _number(signed, donggala, **{"sk-penandatangan_kapasitas": "an", **_basis(
        **{"sk-dasar_berlaku_sampai": (today - dt.timedelta(days=1)).isoformat()})})
    assert response.status_code in REFUSED and "masa berlaku" in form_errors(response)


def test_the_sk_date_is_not_before_the_paraf_nor_in_the_future(signed, donggala):
    paraf_day = timezone.localtime(Keputusan.objects.get(langkah="paraf_koordinasi").dibuat).date()
    for day, message in ((paraf_day - dt.timedelta(days=1), "paraf koordinasi"), (dt.date(1900, 1, 1), "paraf koordinasi"),
                         (timezone.localdate() + dt.timedelta(days=1), "masa depan")):
        response = _number(signed, donggala, **{"sk-tanggal": day.isoformat()})
        assert response.status_code in REFUSED and message in form_errors(response), day
    assert not SK.objects.exists()


def test_the_public_page_shows_the_legal_and_the_recording_status(signed, donggala, province):
    assert _number(signed, donggala).status_code == 302
    act(province["pencatat_provinsi"], signed, "pencatatan_provinsi", decision(Hasil.DICATAT_DENGAN_CATATAN, "Periksa lampiran."))
    sk = SK.objects.get()
    assert (sk.status, sk.status_pencatatan) == (StatusSK.BERLAKU, StatusPencatatan.TERCATAT_DENGAN_CATATAN)
    html = client_for(province["pimpinan"]).get(f"/verifikasi/{sk.verification_token}/").content.decode()
    assert "Berlaku" in html and "Tercatat dengan catatan" in html


def test_an_auditor_of_a_kabupaten_reads_only_its_pemda_and_one_of_the_province_reads_all(
    make_user, donggala, poso, start_proposal
):
    mine, theirs = start_proposal(donggala["pengusul"]), start_proposal(poso["pengusul"])
    inspektorat_donggala = client_for(make_user(Role.AUDITOR, "72.03"))
    assert inspektorat_donggala.get(f"/audit/usulan/{mine.pk}/").status_code == 200
    assert inspektorat_donggala.get(f"/audit/usulan/{theirs.pk}/").status_code == 404
    inspektorat_provinsi = client_for(make_user(Role.AUDITOR, "72"))
    for process in (mine, theirs):
        assert inspektorat_provinsi.get(f"/audit/usulan/{process.pk}/").status_code == 200


@pytest.mark.parametrize("field", ["sk-salinan_pdf", "sk-dasar_pdf", "sk-signed_pdf"])
def test_every_upload_of_the_numbering_refuses_a_pdf_with_active_content(signed, donggala, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.hostile.test_active_pdf import js_on_open

    extra = {"sk-penandatangan_kapasitas": "an", **_basis()} if field == "sk-dasar_pdf" else {}
    extra[field] = SimpleUploadedFile("berkas.pdf", js_on_open(), "application/pdf")
    response = _number(signed, donggala, **extra)
    assert response.status_code in REFUSED and "konten aktif" in form_errors(response)
    assert not SK.objects.exists()
