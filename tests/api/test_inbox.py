"""The inbox over the API: the same lists, lock, permissions and services as the web; idempotent writes."""

import base64
import json
import threading
import time

import pytest
from django.db import connection

from api.models import IdempotencyRecord, Scope
from flows.demo import advance, pdf_bytes
from flows.models import Keputusan, LegalisasiTask, Tahap
from flows.operations import open_task
from sentra.models import SK, PemeriksaanAset
from tests.helpers import act, needs_postgres

# Two officials per role: tasks wait in the queue to be claimed (a sole official gets them at once).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_officials")]

WRITE = [Scope.REGISTER_READ, Scope.INBOX_WRITE]


def _post(client, url, body, key, **extra):
    return client.post(url, data=json.dumps(body) if not isinstance(body, str) else body,
                       content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **extra)


@pytest.fixture
def verifikator(donggala, make_token, api_client):
    _, secret = make_token(user=donggala["verifikator_dinas"], scopes=WRITE)
    return api_client(secret)


def test_claim_and_decide_move_the_flow_as_the_web_does(donggala, start_proposal, verifikator):
    process = start_proposal(donggala["pengusul"])
    task = open_task(process, "verifikasi_dinas")
    queue = verifikator.get("/api/v1/kotak-masuk/antrean/").json()["results"]
    assert [row["id"] for row in queue] == [task.pk] and queue[0]["hasil_pilihan"] == ["disetujui", "dikembalikan", "ditolak"]
    assert verifikator.get("/api/v1/kotak-masuk/").json()["results"] == []
    # deciding before claiming is refused, as the web's form is reached only by claiming
    refused = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui"}, "k0")
    assert refused.status_code == 409 and refused["Content-Type"] == "application/problem+json"
    claimed = _post(verifikator, f"/api/v1/tugas/{task.pk}/ambil/", {}, "k1")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["pemilik"] == donggala["verifikator_dinas"].pk
    assert [row["id"] for row in verifikator.get("/api/v1/kotak-masuk/").json()["results"]] == [task.pk]
    # a return without its note: the same rule and message as the web form
    no_note = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "dikembalikan"}, "k2")
    assert no_note.status_code == 422 and "catatan" in no_note.json()["errors"]
    decided = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui", "catatan": "Lengkap."}, "k3")
    assert decided.status_code == 200, decided.content
    assert decided.json()["keputusan"]["hasil"] == "disetujui"
    process.refresh_from_db()
    assert process.tahap == Tahap.VERIFIKASI_ASET_HUKUM
    assert open_task(process, "verifikasi_aset") is not None and open_task(process, "harmonisasi_hukum") is not None
    assert Keputusan.objects.filter(process=process, langkah="verifikasi_dinas").count() == 1
    # the web sees the task done: its own page answers that it is handled
    again = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui"}, "k4")
    assert again.status_code == 409


def test_the_same_idempotency_key_decides_once(donggala, start_proposal, verifikator):
    process = start_proposal(donggala["pengusul"])
    task = open_task(process, "verifikasi_dinas")
    _post(verifikator, f"/api/v1/tugas/{task.pk}/ambil/", {}, "claim-1")
    body = {"hasil": "dikembalikan", "catatan": "Lampirkan berita acara."}
    first = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", body, "decide-1")
    second = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", body, "decide-1")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Keputusan.objects.filter(process=process).exclude(langkah="usulan").count() == 1
    other = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", {**body, "catatan": "lain"}, "decide-1")
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    missing = verifikator.post(f"/api/v1/tugas/{task.pk}/putuskan/", data=json.dumps(body), content_type="application/json")
    assert missing.status_code == 428


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_concurrently_decides_once(donggala, start_proposal, make_token, api_client):
    process = start_proposal(donggala["pengusul"])
    task = open_task(process, "verifikasi_dinas")
    _, secret = make_token(user=donggala["verifikator_dinas"], scopes=WRITE)
    _post(api_client(secret), f"/api/v1/tugas/{task.pk}/ambil/", {}, "c-claim")
    connection.close()
    results, spans, barrier = [], [], threading.Barrier(4)

    def send():
        client = api_client(secret)
        barrier.wait()
        started = time.monotonic()
        try:
            response = _post(client, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui"}, "c-1")
            results.append((response.status_code, response.get("Idempotent-Replayed"), response.json()))
        finally:
            spans.append((started, time.monotonic()))
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # really at once: every request was sent before the first one had its answer
    assert max(start for start, _ in spans) < min(end for _, end in spans), spans
    assert [status for status, _, _ in results] == [200] * 4, results
    assert sorted(str(replayed) for _, replayed, _ in results) == ["None", "true", "true", "true"], results
    assert len({json.dumps(body, sort_keys=True) for _, _, body in results}) == 1  # the same answer, replayed
    assert Keputusan.objects.filter(process=process, langkah="verifikasi_dinas").count() == 1
    assert IdempotencyRecord.objects.filter(key="c-1").count() == 1


def test_verifikasi_aset_takes_its_data(users, donggala, start_proposal, regions, make_token, api_client):
    process = start_proposal(donggala["pengusul"])
    advance(process, users, regions["72.03"], "verifikasi_aset", seed=7)
    task = open_task(process, "verifikasi_aset")
    _, secret = make_token(user=donggala["verifikator_aset"], scopes=WRITE)
    client = api_client(secret)
    assert _post(client, f"/api/v1/tugas/{task.pk}/ambil/", {}, "a1").status_code == 200
    without = _post(client, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui"}, "a2")
    assert without.status_code == 422 and "aset.kode_kib" in without.json()["errors"]
    hostile = _post(client, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui", "aset": {
        "kode_kib": "KIB-C/1", "nomor_bast": "027/1/BAST", "status_pemanfaatan": "pinjam_pakai",
        "jangka_waktu_tahun": 10**40}}, "a3")
    assert hostile.status_code == 422
    ok = _post(client, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui", "aset": {
        "kode_kib": "KIB-C/1", "nomor_bast": "027/1/BAST", "status_pemanfaatan": "pinjam_pakai",
        "jangka_waktu_tahun": "\u0665"}}, "a4")  # an Arabic-Indic five: read as 5 by the web's own form
    assert ok.status_code == 200, ok.content
    assert PemeriksaanAset.objects.get(pengelola=process.pengelola).jangka_waktu_tahun == 5


def test_penomoran_sk_takes_its_files_in_base64(users, donggala, start_proposal, regions, make_token, api_client):
    from django.utils import timezone

    process = start_proposal(donggala["pengusul"])
    advance(process, users, regions["72.03"], "penomoran_sk", seed=8)
    task = open_task(process, "penomoran_sk")
    _, secret = make_token(user=donggala["bagian_hukum"], scopes=WRITE)
    client = api_client(secret)
    _post(client, f"/api/v1/tugas/{task.pk}/ambil/", {}, "n1")
    pdf = base64.b64encode(pdf_bytes("SK")).decode()
    body = {"hasil": "dinomori", "sk": {
        "nomor": f"100.3.3.2/77/DISPERINDAG/{timezone.localdate().year}", "tanggal": timezone.localdate().isoformat(),
        "penandatangan_nama": "Vera Elena Laruni", "penandatangan_kapasitas": "definitif",
        "signed_pdf": pdf, "salinan_pdf": pdf}}
    bad = _post(client, f"/api/v1/tugas/{task.pk}/putuskan/", {**body, "sk": {**body["sk"], "signed_pdf": "%%%"}}, "n2")
    assert bad.status_code == 422
    # an SK dated 1900-01-01 (before the paraf of its draft) is refused here as on the web
    old = _post(client, f"/api/v1/tugas/{task.pk}/putuskan/", {**body, "sk": {**body["sk"], "tanggal": "1900-01-01"}}, "n-1900")
    assert old.status_code == 422 and "paraf koordinasi" in old.content.decode()
    assert not SK.objects.filter(pengelola=process.pengelola).exists()
    ok = _post(client, f"/api/v1/tugas/{task.pk}/putuskan/", body, "n3")
    assert ok.status_code == 200, ok.content
    assert SK.objects.get(pengelola=process.pengelola).nomor.startswith("100.3.3.2/77/")
    assert open_task(process, "pencatatan_provinsi") is not None


@pytest.mark.parametrize("body", [
    "{not json", "[1, 2]", '"text"', "1" * 5000, '{"hasil": ["disetujui"]}', '{"hasil": {"a": 1}}',
    '{"hasil": "disetujui\\u0000"}', '{"hasil": 1e999}', '{"hasil": "\\ud800"}',
])
def test_what_a_client_sends_is_never_a_500(donggala, start_proposal, verifikator, body):
    process = start_proposal(donggala["pengusul"])
    task = open_task(process, "verifikasi_dinas")
    _post(verifikator, f"/api/v1/tugas/{task.pk}/ambil/", {}, "h-claim")
    response = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", body, "h-1")
    assert response.status_code in (400, 422), (body, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == response.status_code and problem["title"] and problem["detail"]


def test_malformed_json_is_a_problem_in_indonesian(donggala, start_proposal, verifikator):
    process = start_proposal(donggala["pengusul"])
    task = open_task(process, "verifikasi_dinas")
    response = _post(verifikator, f"/api/v1/tugas/{task.pk}/ambil/", "{oops", "bad-json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {"type": "about:blank", "title": "Permintaan tidak valid", "status": 400,
                               "detail": "Isi permintaan bukan JSON yang valid."}


def test_a_service_token_has_no_inbox_and_a_donggala_user_token_touches_nothing_of_poso(
        poso, donggala, start_proposal, make_token, api_client, verifikator):
    _, service = make_token(region="72.03")
    assert api_client(service).get("/api/v1/kotak-masuk/").status_code == 403
    theirs = start_proposal(poso["pengusul"])
    task = open_task(theirs, "verifikasi_dinas")
    for action in ("ambil", "lepas", "putuskan"):
        response = _post(verifikator, f"/api/v1/tugas/{task.pk}/{action}/", {"hasil": "disetujui"}, f"p-{action}")
        assert response.status_code == 404, action
    assert verifikator.get(f"/api/v1/tugas/{task.pk}/").status_code == 404
    assert verifikator.get("/api/v1/kotak-masuk/antrean/").json()["results"] == []
    task.refresh_from_db()
    assert task.owner_id is None
    # a read-only token cannot write
    _, read_only = make_token(user=donggala["verifikator_dinas"], scopes=[Scope.REGISTER_READ])
    mine = open_task(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    assert _post(api_client(read_only), f"/api/v1/tugas/{mine.pk}/ambil/", {}, "ro").status_code == 403


def test_an_api_decision_and_a_web_decision_on_one_task_have_one_winner(donggala, start_proposal, verifikator):
    process = start_proposal(donggala["pengusul"])
    task = open_task(process, "verifikasi_dinas")
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas",
        {"keputusan-hasil": "disetujui", "keputusan-catatan": ""})
    response = _post(verifikator, f"/api/v1/tugas/{task.pk}/putuskan/", {"hasil": "disetujui"}, "late")
    assert response.status_code == 409
    assert "sudah diselesaikan" in response.json()["detail"]
    assert Keputusan.objects.filter(process=process, langkah="verifikasi_dinas").count() == 1
    assert LegalisasiTask.objects.filter(process=process, flow_task_type="HUMAN", finished__isnull=True).count() == 2


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_api_decision_and_a_web_decision_sent_at_once_have_one_winner(donggala, start_proposal, make_token,
                                                                         api_client):
    """The same official decides one task on the web page and through the API at the same moment (two
    threads, two connections, PostgreSQL's row lock): one decision wins; the other is told clearly (the
    web's 409 page, or the API's 409 problem in Indonesian), and the process has exactly one Keputusan."""
    import time

    from tests.helpers import client_for, decision, task_url

    owner = donggala["verifikator_dinas"]
    _, secret = make_token(user=owner, scopes=WRITE)
    winners = []
    for round_ in range(4):
        process = start_proposal(donggala["pengusul"])
        task = open_task(process, "verifikasi_dinas")
        web, api = client_for(owner), api_client(secret)
        assert web.post(task_url(task, "assign")).status_code == 302
        web.get("/legalisasi/inbox/")  # warm the session outside the race
        connection.close()
        barrier, answers, spans = threading.Barrier(2), {}, {}
        # every other round the web request leaves 40 ms after the API's (while the API's is still
        # running), so that either side gets to win and the loser's answer of each side is seen
        head_start = {"web": 0.04 if round_ % 2 else 0.0, "api": 0.0}

        def send(side):
            barrier.wait()
            time.sleep(head_start[side])
            started = time.monotonic()
            try:
                if side == "web":
                    answers[side] = web.post(task_url(task), decision("disetujui", "Lengkap (web)."))
                else:
                    answers[side] = _post(api, f"/api/v1/tugas/{task.pk}/putuskan/",
                                          {"hasil": "disetujui", "catatan": "Lengkap (API)."}, f"race-{round_}")
            finally:
                spans[side] = (started, time.monotonic())
                connection.close()

        threads = [threading.Thread(target=send, args=(side,)) for side in ("web", "api")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        # at once: each request was sent before the other had its answer
        assert max(start for start, _ in spans.values()) < min(end for _, end in spans.values()), spans
        web_status, api_status = answers["web"].status_code, answers["api"].status_code
        assert (web_status, api_status) in ((302, 409), (409, 200)), (web_status, api_status)
        if api_status == 200:
            assert web_status == 409 and "sudah diselesaikan" in answers["web"].content.decode()
            winners.append("api")
        else:
            assert (web_status, api_status) == (302, 409)
            problem = answers["api"].json()
            assert answers["api"]["Content-Type"] == "application/problem+json"
            assert problem["status"] == 409 and problem["title"] == "Tugas sudah diselesaikan"
            assert problem["detail"].startswith("Tugas ini sudah diselesaikan oleh")
            winners.append("web")
        [keputusan] = Keputusan.objects.filter(process=process, langkah="verifikasi_dinas")
        assert keputusan.catatan == ("Lengkap (API)." if winners[-1] == "api" else "Lengkap (web).")
        open_steps = sorted(t.flow_task.name for t in LegalisasiTask.objects.filter(
            process=process, flow_task_type="HUMAN", finished__isnull=True))
        assert open_steps == ["harmonisasi_hukum", "verifikasi_aset"]
    print(f"winners: {winners}")
