"""Bad input gets a clear Indonesian message and changes nothing."""

import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from flows.models import Hasil, Keputusan, LegalisasiProcess
from sentra.models import SK, AnggotaIKM, Dokumen, Pengelola, Pengurus, Sentra
from tests.flows.test_legalisasi_http import sign_and_number, sk_post, through_verification, usulan_post
from tests.helpers import act, client_for, decision, form_errors, task_of

pytestmark = pytest.mark.django_db


def _media_files() -> set[str]:
    found = set()
    for folder, _, files in os.walk(settings.MEDIA_ROOT):
        found |= {os.path.join(folder, f) for f in files}
    return found


def assert_nothing_saved(before_files):
    assert LegalisasiProcess.objects.count() == 0
    for model in (Sentra, Pengelola, Pengurus, AnggotaIKM, Dokumen):
        assert model.objects.count() == 0, model
    assert _media_files() == before_files


def submit_usulan(pengusul, **overrides):
    return client_for(pengusul).post("/legalisasi/usulan/", usulan_post(pengusul.region, **overrides))


def test_fewer_than_five_anggota_ikm_is_refused(donggala):
    before = _media_files()
    response = submit_usulan(donggala["pengusul"], anggota=4)
    assert response.status_code == 422  # refused
    assert "sedikitnya 5 unit IKM" in form_errors(response)
    assert_nothing_saved(before)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("anggota-0-nik_pemilik", "72030112345", "NIK harus terdiri dari tepat 16 angka"),
        ("anggota-1-nik_pemilik", "720301A512850001", "NIK harus terdiri dari tepat 16 angka"),
        ("anggota-2-nik_pemilik", "7203019913850001", "NIK 7203019913850001 tidak sah"),
        ("pengurus-0-nik", "12345", "NIK harus terdiri dari tepat 16 angka"),
        ("anggota-0-nib", "912020123456", "NIB harus terdiri dari tepat 13 angka"),
        ("anggota-3-kbli", "1079", "KBLI harus terdiri dari tepat 5 angka"),
        ("anggota-3-kbli", "10 79", "KBLI harus terdiri dari tepat 5 angka"),
        ("pengurus-1-telepon", "0812-abc", "Nomor telepon hanya boleh berisi angka"),
    ],
)
def test_malformed_identity_numbers_are_refused(donggala, field, value, message):
    before = _media_files()
    response = submit_usulan(donggala["pengusul"], **{field: value})
    assert response.status_code == 422  # refused
    assert message in form_errors(response)
    assert_nothing_saved(before)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "bukan berkas PDF"),
        (b"<!DOCTYPE html><html><body>surat</body></html>", "bukan berkas PDF"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without pages", "rusak atau tidak dapat dibuka"),
    ],
    ids=["renamed-exe", "renamed-html", "broken-pdf"],
)
def test_a_file_that_is_not_a_pdf_by_its_content_is_refused(donggala, content, message):
    before = _media_files()
    fake = SimpleUploadedFile("surat_permohonan.pdf", content, content_type="application/pdf")
    response = submit_usulan(donggala["pengusul"], **{"dokumen-surat_permohonan": fake})
    assert response.status_code == 422  # refused
    assert message in form_errors(response)
    assert_nothing_saved(before)


def test_a_file_over_the_size_limit_is_refused(donggala):
    before = _media_files()
    big = SimpleUploadedFile(
        "rencana_kerja.pdf", b"%PDF-1.4\n" + b"0" * settings.SKSENTRA_MAX_UPLOAD_BYTES, content_type="application/pdf"
    )
    response = submit_usulan(donggala["pengusul"], **{"dokumen-rencana_kerja": big})
    assert response.status_code == 422  # refused
    assert "terlalu besar" in form_errors(response)
    assert_nothing_saved(before)


def test_a_missing_required_document_is_named(donggala):
    before = _media_files()
    response = submit_usulan(donggala["pengusul"], **{"dokumen-akta_ahu": ""})
    assert response.status_code == 422  # refused
    assert "Akta pendirian dan pengesahan AHU" in form_errors(response)
    assert_nothing_saved(before)


@pytest.mark.parametrize("hasil", [Hasil.DIKEMBALIKAN, Hasil.DITOLAK])
def test_returning_or_rejecting_without_a_note_is_refused(donggala, start_proposal, hasil):
    process = start_proposal(donggala["pengusul"])
    response = act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(hasil, "   "))
    assert response.status_code == 422  # refused
    assert "Catatan wajib diisi" in form_errors(response)
    assert not Keputusan.objects.filter(langkah="verifikasi_dinas").exists()
    assert task_of(process, "verifikasi_dinas").finished is None


def test_the_province_recording_with_notes_without_a_note_is_refused(donggala, province, start_proposal):
    process = start_proposal(donggala["pengusul"])
    through_verification(process, donggala)
    sign_and_number(process, donggala, sk_post(process.region))
    response = act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT_DENGAN_CATATAN))
    assert response.status_code in (200, 422)
    assert "Catatan wajib diisi" in form_errors(response)
    assert task_of(process, "pencatatan_provinsi").finished is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("sk-penandatangan_nama", "Dr. H. Kasman Lassa, S.H., M.H.", "tanpa gelar akademik"),
        ("sk-nomor", "nomor sk", "Nomor SK tidak dikenali"),
        ("sk-nomor", "100.3.3.2/45/DISPERINDAG", "Nomor SK tidak dikenali"),
        ("sk-tanggal", "31-02-2026", "tanggal"),
        ("sk-signed_pdf", SimpleUploadedFile("sk.pdf", b"PK\x03\x04 docx renamed"), "bukan berkas PDF"),
    ],
)
def test_a_bad_sk_is_refused_and_nothing_is_recorded(donggala, start_proposal, field, value, message):
    process = start_proposal(donggala["pengusul"])
    through_verification(process, donggala)
    response = sign_and_number(process, donggala, sk_post(process.region, **{field: value}))
    assert response.status_code in (200, 422)
    assert message.lower() in form_errors(response).lower()
    assert not SK.objects.exists()
    assert task_of(process, "penomoran_sk").finished is None


def test_approving_assets_without_the_asset_data_is_refused(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    response = act(donggala["verifikator_aset"], process, "verifikasi_aset", decision(Hasil.DISETUJUI))
    assert response.status_code == 422  # refused
    assert "belum ada aset DAK yang dicatat BPKAD untuk sentra ini" in form_errors(response)
    assert task_of(process, "verifikasi_aset").finished is None


def test_an_unknown_decision_value_is_refused(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    response = act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision("dicatat"))
    assert response.status_code == 422  # refused
    assert form_errors(response) != "200: "
    assert task_of(process, "verifikasi_dinas").finished is None
