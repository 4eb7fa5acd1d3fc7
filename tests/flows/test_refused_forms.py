"""Every form of SK Sentra that the server refuses answers 422 with its errors and the typed values,
so that viewflow's Turbo (which drops a 200 answer to a form POST) shows it, whatever page came before.
"""

import pytest
from django.test import Client

from flows.models import Hasil, LegalisasiTask
from flows.steps import PROCESS_MODEL, START_STEPS, STEP, STEPS
from tests.conftest import PASSWORD
from tests.flows.test_legalisasi_http import ASET_OK, sk_post, usulan_post
from tests.helpers import assets_recorded, client_for, decision, form_errors, task_of, task_url

pytestmark = pytest.mark.django_db

TURBO = {"HTTP_ACCEPT": "text/vnd.turbo-stream.html, text/html, application/xhtml+xml"}


def test_the_site_root_logged_out_gives_the_login_page():
    response = Client().get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "Masuk ke SK Sentra" in response.content.decode()


def test_a_task_page_logged_out_sends_to_the_login_page_and_back(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    url = f"/legalisasi/{process.pk}/"
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_a_wrong_password_answers_422_with_a_readable_message_and_the_username_kept(donggala):
    response = Client().post("/accounts/login/", {"username": "pengusul.72.03", "password": "salah"}, **TURBO)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Masukkan nama pengguna dan kata sandi yang benar." in html
    assert "nama pengguna nama pengguna" not in html
    assert 'value="pengusul.72.03"' in html


def test_a_password_change_with_two_different_passwords_answers_422(donggala):
    response = client_for(donggala["pengusul"]).post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Sentra-baru-2026!", "new_password2": "lain-sekali-2026!"},
    )
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode() or "sk-error" in response.content.decode()


def test_the_proposal_form_without_its_documents_answers_422_with_the_typed_values(donggala):
    post = usulan_post(donggala["pengusul"].region, files=False)
    response = client_for(donggala["pengusul"]).post("/legalisasi/usulan/", post, **TURBO)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Dokumen wajib untuk bentuk kelembagaan ini belum diunggah" in html
    assert f'value="{post["pengelola-name"]}"' in html


def _valid(step_name, process):
    """A decision each step accepts on the way to the register (its own data when the outcome needs it)."""
    if step_name == "verifikasi_aset":
        return ASET_OK
    if step_name == "penomoran_sk":
        return sk_post(process.region)
    return decision(STEP[step_name].outcomes[0])


def _open_task(process):
    return LegalisasiTask.objects.filter(process=process, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"]).first()


def test_every_decision_form_refused_answers_422_with_the_error_and_the_typed_values(donggala, province, start_proposal):
    """Walks the proposal to the register step by step (whatever steps the flow has): at each one a
    decision without its outcome is refused with 422, then a valid one is accepted."""
    process = start_proposal(donggala["pengusul"])
    assets_recorded(process, donggala["verifikator_aset"])
    officials = {**donggala, **province}
    seen = []
    while (task := _open_task(process)) is not None:
        step = STEP[task.flow_task.name]
        client = client_for(officials[step.role.value])
        if task.owner_id is None:
            assert client.post(task_url(task, "assign")).status_code == 302
        response = client.post(task_url(task), decision("", "Catatan yang diketik", **{"keputusan-kapasitas": "Plt. Kepala"}), **TURBO)
        html = response.content.decode()
        assert response.status_code == 422, step.name
        assert 'sk-field sk-field--error' in html and 'class="sk-error" role="alert"' in html, step.name
        assert 'value="Plt. Kepala"' in html and "Catatan yang diketik" in html, step.name
        response = client.post(task_url(task), _valid(step.name, process))
        assert response.status_code == 302, (step.name, form_errors(response))
        seen.append(step.name)
    # the starts on an SK and the revocation's revision are forms of their own (tests/flows/test_lifecycle.py)
    decisions = {s.name for s in STEPS if not s.by_pengusul and not s.web_only and s.name not in START_STEPS
                 and s.process_model == PROCESS_MODEL}
    assert decisions - set(seen) <= {"revisi_rancangan", "tanggapan_catatan"}
    assert seen[-1] == "pencatatan_provinsi"


def test_a_revision_without_its_documents_answers_422(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    client = client_for(donggala["verifikator_dinas"])
    client.post(task_url(task, "assign"))
    client.post(task_url(task), decision(Hasil.DIKEMBALIKAN, "Lengkapi berita acara."))
    perbaikan = task_of(process, "perbaikan")
    post = usulan_post(process.region, files=False, **{"pengelola-name": "", "perbaikan-catatan": "Sudah."})
    response = client_for(donggala["pengusul"]).post(task_url(perbaikan), post)
    assert response.status_code == 422
    assert "Sudah." in response.content.decode()


def test_a_post_answered_with_a_page_but_no_refused_form_keeps_its_status(donggala):
    """The rule is about refused forms, not every POST: a webhook's or a logout's answer is left alone."""
    response = client_for(donggala["pengusul"]).post("/notifikasi/whatsapp/webhook/", b"{}", content_type="application/json")
    assert response.status_code != 422
