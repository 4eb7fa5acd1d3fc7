"""Issue 15 §1–3: the life of a pengelola after its first SK, over HTTP like the officials, through every
step: an amendment (perubahan), a renewal (perpanjangan) and a revocation (pencabutan). Each checks the
register's links (mengubah/mencabut), the legal statuses of both SKs, the public page's text, the
sentra's state, and the audit trail's events."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from viewflow.workflow.status import PROCESS

from audit.models import Action, AuditEvent
from flows.models import Hasil, Keputusan, LegalisasiProcess, Tahap
from flows.operations import open_task
from flows.selectors import draft_perihal, sentra_state_annotate
from sentra.choices import JenisKeputusan, SentraState, StatusPencatatan, StatusSK
from sentra.documents import sk_draft_render
from sentra.documents.context import sk_draft_context
from sentra.models import SK, Sentra
from tests.flows.test_legalisasi_http import sign_and_number, sk_post, start_over_http, through_verification
from tests.helpers import act, client_for, decision, form_errors, pdf_upload
from tests.sentra.readback import docx_text, pdf_text

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def recorded_sk(donggala, province, nomor=f"100.3.3.2/45/DISPERINDAG/{YEAR}") -> SK:
    """A first proposal carried to a recorded SK in force."""
    process = start_over_http(donggala["pengusul"])
    through_verification(process, donggala)
    response = sign_and_number(process, donggala, sk_post(process.region, nomor=nomor))
    assert response.status_code == 302, form_errors(response)
    assert act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT)).status_code == 302
    return SK.objects.get(pengelola=process.pengelola)


def prefilled_post(client, url: str) -> dict:
    """The start page's form as the browser would send it untouched: every pre-filled input and choice."""
    html = client.get(url).content.decode()
    post = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="file"' in tag or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                post[name[1]] = "on"
            continue
        post[name[1]] = _unescape(value[1]) if value else ""
    for select, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        post[select] = chosen[1] if chosen else ""
    for area, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        post[area] = _unescape(body.strip())
    return post


def _unescape(text: str) -> str:
    return html.unescape(text)


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def test_an_amendment_of_one_pengurus_skips_bpkad_and_a_new_sk_mengubah_the_old(donggala, province):
    old = recorded_sk(donggala, province)
    old_ketua = old.pengelola.pengurus_set.order_by("pk").first()
    pengusul = donggala["pengusul"]
    client = client_for(pengusul)

    # reachable from the register: the SK in force offers "Ajukan perubahan" to the pengusul
    register = client.get("/register/").content.decode()
    url = f"/legalisasi/perubahan/{old.pk}/"
    assert url in register and "Ajukan perubahan" in register

    # pre-filled from the SK's data; a refused form changes nothing and answers 422
    page = client.get(url)
    assert page.status_code == 200
    assert escape(old_ketua.nama) in page.content.decode() and old.nomor in page.content.decode()
    post = prefilled_post(client, url)
    assert post["pengurus-0-nama"] == old_ketua.nama
    bad = {**post, "pengurus-0-nik": "٧٢٠٣" + "0" * 12}  # Arabic-Indic digits
    refused = client.post(url, bad)
    assert refused.status_code == 422
    huge = client.post(url, {**post, "pengelola-masa_bakti_tahun": "32767"})
    assert huge.status_code == 422 and "paling lama 10 tahun" in huge.content.decode()
    assert not LegalisasiProcess.objects.filter(jenis=JenisKeputusan.PERUBAHAN).exists()

    post.update({"pengurus-0-nama": "Siti Rahmawati Lamasitudju", "perubahan-catatan": "penggantian ketua pengurus"})
    # the form shows what changes, old -> new, before anything is saved
    preview = client.post(url, {**post, "pratinjau": "1"})
    assert preview.status_code == 200
    changes = preview.content.decode().split("Yang diubah (lama → baru)", 1)[1].split("</table>", 1)[0]
    assert escape(old_ketua.nama) in changes and "Siti Rahmawati Lamasitudju" in changes
    assert old_ketua.nik not in changes  # names and positions, never a NIK
    assert not LegalisasiProcess.objects.filter(jenis=JenisKeputusan.PERUBAHAN).exists()
    response = client.post(url, post)
    assert response.status_code == 302, form_errors(response)
    process = LegalisasiProcess.objects.get(jenis=JenisKeputusan.PERUBAHAN)
    page = client.get(response["Location"]).content.decode()  # the proposal's page: what changes
    assert "Yang diubah (lama → baru)" in page and "Siti Rahmawati Lamasitudju" in page
    assert process.target_sk == old and process.asset_review is False
    assert process.pengelola_id != old.pengelola_id  # a new row: the SK in force keeps its data
    old_ketua.refresh_from_db()
    assert old_ketua.nama != "Siti Rahmawati Lamasitudju"

    # a second proposal on the same SK while this one runs is refused, with a reason
    again = client.post(url, post)
    assert again.status_code == 422 and "Sudah ada usulan yang sedang berjalan" in again.content.decode()

    assert act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302
    # no asset effect: BPKAD is skipped, Bagian Hukum alone reviews before the paraf
    assert open_task(process, "verifikasi_aset") is None
    harmonisasi = open_task(process, "harmonisasi_hukum")
    html = client_for(donggala["bagian_hukum"]).get(
        f"/legalisasi/{process.pk}/harmonisasi_hukum/{harmonisasi.pk}/execute/"
    ).content.decode()
    assert "Yang diubah (lama → baru)" in html and escape(old_ketua.nama) in html and "Siti Rahmawati Lamasitudju" in html
    assert act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI)).status_code == 302
    assert act(donggala["sekretariat_daerah"], process, "paraf_koordinasi", decision(Hasil.DIPARAF)).status_code == 302

    # the draft says what it is: "Perubahan atas Keputusan Bupati Donggala Nomor …"
    process.refresh_from_db()
    draft = sk_draft_context(process.pengelola, perihal=draft_perihal(process))
    assert draft["tentang"].startswith(f"PERUBAHAN ATAS KEPUTUSAN BUPATI DONGGALA NOMOR {old.nomor.upper()}")
    assert "penggantian ketua pengurus" in draft["menimbang"][1]["text"]
    assert draft["diktum"][0]["text"].startswith(f"Mengubah Keputusan Bupati Donggala Nomor {old.nomor}")
    pdf = client_for(donggala["sekretariat_daerah"]).get(f"/berkas/rancangan-sk/{process.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    new_nomor = f"100.3.3.2/77/DISPERINDAG/{YEAR}"
    response = sign_and_number(process, donggala, sk_post(process.region, nomor=new_nomor))
    assert response.status_code == 302, form_errors(response)
    new = SK.objects.get(nomor=new_nomor)
    old.refresh_from_db()
    # the legal statuses of both SKs: the new one in force, the old one amended from the new one's date
    assert (new.jenis, new.mengubah, new.status) == (JenisKeputusan.PERUBAHAN, old, StatusSK.BERLAKU)
    assert old.status == StatusSK.DIUBAH
    assert new.masa_bakti_berakhir is not None

    assert act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT)).status_code == 302
    process.refresh_from_db()
    new.refresh_from_db()
    assert process.status == PROCESS.DONE and process.tahap == Tahap.TERCATAT
    assert new.status_pencatatan == StatusPencatatan.TERCATAT and new.nomor_register

    # the register links both ways
    register = client.get("/register/").content.decode()
    assert f"mengubah SK Nomor {old.nomor}" in register
    assert f"diubah dengan SK Nomor {new_nomor}" in register
    # the public page: the old SK is amended and names the SK in force; the new one says what it amends
    anonymous = Client()
    old_page = anonymous.get(f"/verifikasi/{old.verification_token}/").content.decode()
    assert f"SK ini DIUBAH dengan SK Nomor {new_nomor}" in old_page
    new_page = anonymous.get(f"/verifikasi/{new.verification_token}/").content.decode()
    assert "BERLAKU" in new_page and f"mengubah SK Nomor <a href=\"/verifikasi/{old.verification_token}/\">{old.nomor}</a>" in new_page
    assert "Siti Rahmawati" not in new_page  # names of pengurus never reach the public page

    # the audit trail: the start, the numbering of the new SK, the old SK amended, the register entry
    assert events(Action.PROCESS_START, process_id=process.pk, details__langkah="perubahan").exists()
    assert events(Action.SK_NUMBERED, process_id=process.pk).exists()
    amended = events(Action.SK_AMENDED, process_id=process.pk).get()
    assert amended.object_id == str(old.pk) and amended.details["diubah_dengan"] == new_nomor
    assert events(Action.REGISTER_ENTRY, process_id=process.pk, object_id=str(new.pk)).exists()
    # the sentra keeps a pengelola with an SK in force: the new one
    assert SK.objects.filter(pengelola__sentra=old.pengelola.sentra, status=StatusSK.BERLAKU).get() == new
    assert sentra_state_annotate(Sentra.objects.filter(pk=new.pengelola.sentra_id)).get().state == SentraState.BER_SK


def test_a_renewal_touching_the_assets_goes_through_bpkad_and_sets_a_new_term(donggala, province):
    old = recorded_sk(donggala, province)
    client = client_for(donggala["pengusul"])
    url = f"/legalisasi/perpanjangan/{old.pk}/"
    assert url in client.get("/register/").content.decode()
    post = prefilled_post(client, url)
    post.update({"pengelola-masa_bakti_tahun": "5", "perubahan-asset_change": "on",
                 "perubahan-catatan": "perpanjangan masa bakti dan perjanjian pinjam pakai baru"})
    response = client.post(url, post)
    assert response.status_code == 302, form_errors(response)
    process = LegalisasiProcess.objects.get(jenis=JenisKeputusan.PERPANJANGAN)
    assert process.asset_review is True

    through_verification(process, donggala)  # includes BPKAD's asset check (it is open: the branch was taken)
    # BPKAD decided on the sentra's DAK asset lines (sentra.AsetDAK, the sentra's own: nothing is copied)
    assert Keputusan.objects.filter(process=process, langkah="verifikasi_aset", hasil=Hasil.DISETUJUI).exists()
    process.refresh_from_db()
    draft = sk_draft_context(process.pengelola, perihal=draft_perihal(process))
    assert draft["tentang"].startswith("PERPANJANGAN MASA BAKTI PENGURUS KELEMBAGAAN PENGELOLA")
    assert "5 (lima) tahun" in " ".join(d["text"] for d in draft["diktum"])

    new_nomor = f"100.3.3.2/88/DISPERINDAG/{YEAR}"
    assert sign_and_number(process, donggala, sk_post(process.region, nomor=new_nomor)).status_code == 302
    assert act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT)).status_code == 302
    new = SK.objects.get(nomor=new_nomor)
    old.refresh_from_db()
    assert (new.jenis, new.mengubah, old.status) == (JenisKeputusan.PERPANJANGAN, old, StatusSK.DIUBAH)
    assert new.masa_bakti_berakhir.year == new.tanggal.year + 5
    assert list(Keputusan.objects.filter(process=process).values_list("langkah", flat=True)) == [
        "perpanjangan", "verifikasi_dinas", "verifikasi_aset", "harmonisasi_hukum", "paraf_koordinasi",
        "penetapan_sk", "penomoran_sk", "pencatatan_provinsi",
    ]
    assert events(Action.SK_AMENDED, process_id=process.pk, object_id=str(old.pk)).exists()
    public = Client().get(f"/verifikasi/{old.verification_token}/").content.decode()
    assert f"SK ini DIUBAH dengan SK Nomor {new_nomor}" in public


def test_a_revocation_by_the_disperindag_goes_through_legal_review_and_the_old_sk_is_dicabut(donggala, province):
    old = recorded_sk(donggala, province)
    sentra = old.pengelola.sentra
    verifikator = donggala["verifikator_dinas"]
    client = client_for(verifikator)
    url = f"/legalisasi/pencabutan/{old.pk}/"
    assert url in client.get("/register/").content.decode()
    # the pengusul may not start a revocation
    assert client_for(donggala["pengusul"]).get(url).status_code == 403

    # refused: no evidence, too short an account, a control character in the file's place
    refused = client.post(url, {"pencabutan-alasan": "tidak_aktif", "pencabutan-uraian": "tidak aktif"})
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "sedikitnya 20 karakter" in body
    not_pdf = client.post(url, {"pencabutan-alasan": "tidak_aktif", "pencabutan-uraian": "x" * 30,
                                "pencabutan-bukti": SimpleUploadedFile(
                                    "bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")})
    assert not_pdf.status_code == 422 and "bukan berkas PDF" in not_pdf.content.decode()
    assert not LegalisasiProcess.objects.filter(jenis=JenisKeputusan.PENCABUTAN).exists()

    grounds = ("Hasil monitoring Maret: sentra tidak beroperasi selama 14 bulan, tidak ada laporan berkala, "
               "dan rapat anggota tidak pernah diadakan")
    response = client.post(url, {"pencabutan-alasan": "tidak_aktif", "pencabutan-uraian": grounds,
                                 "pencabutan-bukti": pdf_upload("bukti-evaluasi.pdf", "Berita acara evaluasi")})
    assert response.status_code == 302, form_errors(response)
    process = LegalisasiProcess.objects.get(jenis=JenisKeputusan.PENCABUTAN)
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Pengelola tidak aktif" in page.content.decode()
    assert (process.pengelola_id, process.target_sk, process.tahap) == (
        old.pengelola_id, old, Tahap.VERIFIKASI_ASET_HUKUM)
    assert open_task(process, "verifikasi_aset") is None and open_task(process, "verifikasi_dinas") is None

    # Bagian Hukum returns it to the Disperindag, who revises it; then it goes through
    returned = act(donggala["bagian_hukum"], process, "harmonisasi_hukum",
                   decision(Hasil.DIKEMBALIKAN, "Lampirkan berita acara monitoring yang ditandatangani."))
    assert returned.status_code == 302
    task = open_task(process, "perbaikan_pencabutan")
    assert task is not None and task.owner == verifikator
    revise_url = f"/legalisasi/{process.pk}/perbaikan_pencabutan/{task.pk}/execute/"
    assert "Lampirkan berita acara" in client.get(revise_url).content.decode()
    refused = client.post(revise_url, {"pencabutan-alasan": "tidak_aktif", "pencabutan-uraian": "terlalu pendek"})
    assert refused.status_code == 422 and "terlalu pendek" in refused.content.decode()
    revised = client.post(revise_url, {"pencabutan-alasan": "tidak_aktif", "pencabutan-uraian": grounds + "; BA terlampir",
                                       "pencabutan-bukti": pdf_upload("ba.pdf", "BA monitoring bertanda tangan"),
                                       "pencabutan-catatan": "BA dilampirkan"})
    assert revised.status_code == 302, form_errors(revised)
    process.refresh_from_db()
    assert process.putaran == 2
    assert act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI)).status_code == 302
    assert act(donggala["sekretariat_daerah"], process, "paraf_koordinasi", decision(Hasil.DIPARAF)).status_code == 302

    process.refresh_from_db()
    draft = sk_draft_context(process.pengelola, perihal=draft_perihal(process))
    assert draft["tentang"].startswith(f"PENCABUTAN KEPUTUSAN BUPATI DONGGALA NOMOR {old.nomor.upper()}")
    assert draft["diktum"][0]["text"].startswith(f"Mencabut Keputusan Bupati Donggala Nomor {old.nomor} tanggal")
    assert "pengelola tidak aktif: Hasil monitoring Maret" in draft["menimbang"][1]["text"]
    assert draft["nomor"].startswith("....")  # the revoked SK's number is not the draft's
    # A revocation has no lampiran: no pengurus, no members, no assets (the sentra's asset lines stay BPKAD's)
    assert (draft["lampiran_susunan"], draft["lampiran_aset"]) == (False, False)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = read(sk_draft_render(pengelola=process.pengelola, fmt=fmt, perihal=draft_perihal(process)).content)
        assert "Mencabut Keputusan Bupati Donggala" in text and "Tembusan" in text, fmt
        assert "LAMPIRAN" not in text and "SUSUNAN PENGURUS" not in text, fmt

    new_nomor = f"100.3.3.2/99/DISPERINDAG/{YEAR}"
    response = sign_and_number(process, donggala, sk_post(process.region, nomor=new_nomor))
    assert response.status_code == 302, form_errors(response)
    new = SK.objects.get(nomor=new_nomor)
    old.refresh_from_db()
    assert (new.jenis, new.mencabut, new.masa_bakti_berakhir) == (JenisKeputusan.PENCABUTAN, old, None)
    assert old.status == StatusSK.DICABUT
    assert act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT)).status_code == 302
    new.refresh_from_db()
    assert new.nomor_register and new.status_pencatatan == StatusPencatatan.TERCATAT

    # the public page says "dicabut" with the revoking SK's number and date
    public = Client().get(f"/verifikasi/{old.verification_token}/").content.decode()
    tanggal = new.tanggal
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember")
    assert (f"SK ini DICABUT dengan SK Nomor {new_nomor} tanggal "
            f"{tanggal.day} {months[tanggal.month - 1]} {tanggal.year}") in public
    register = client.get("/register/").content.decode()
    assert f"mencabut SK Nomor {old.nomor}" in register and f"dicabut dengan SK Nomor {new_nomor}" in register
    assert "Usulkan pencabutan" not in register  # nothing in force is left to revoke

    # the sentra is back to "belum ada pengelola" in the register, with the note "SK dicabut"
    state = sentra_state_annotate(Sentra.objects.filter(pk=sentra.pk)).get()
    assert (state.state, state.sk_dicabut) == (SentraState.BELUM_ADA_PENGELOLA, True)
    # the API's register shows the links both ways
    api_old = client.get(f"/api/v1/register/{old.pk}/").json()
    assert api_old["status"] == "dicabut" and api_old["dicabut_dengan"][0]["nomor"] == new_nomor
    api_new = client.get(f"/api/v1/register/{new.pk}/").json()
    assert api_new["jenis"] == "pencabutan" and api_new["mencabut"]["id"] == old.pk
    revoked = events(Action.SK_REVOKED, process_id=process.pk).get()
    assert revoked.object_id == str(old.pk) and revoked.details["dicabut_dengan"] == new_nomor
    assert events(Action.PROCESS_START, process_id=process.pk, details__langkah="pencabutan").exists()
    assert events(Action.PROCESS_RESUBMIT, process_id=process.pk, details__langkah="perbaikan_pencabutan").exists()
    # a revoked SK cannot be amended any more
    amend = client_for(donggala["pengusul"]).post(f"/legalisasi/perubahan/{old.pk}/", {})
    assert amend.status_code in (404, 422)


def test_another_regions_sk_cannot_be_amended_or_revoked(donggala, poso, province):
    old = recorded_sk(donggala, province)
    for role, kind in (("pengusul", "perubahan"), ("pengusul", "perpanjangan"), ("verifikator_dinas", "pencabutan")):
        client = client_for(poso[role])
        assert client.get(f"/legalisasi/{kind}/{old.pk}/").status_code == 404
        assert client.post(f"/legalisasi/{kind}/{old.pk}/", {}).status_code == 404
    # ids beyond 64 bits and non-ASCII digits never reach a view
    assert client_for(donggala["pengusul"]).get("/legalisasi/perubahan/99999999999999999999999/").status_code == 404
    assert client_for(donggala["pengusul"]).get("/legalisasi/perubahan/٣/").status_code == 404
