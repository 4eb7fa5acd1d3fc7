"""Every page an official opens on a phone is a light page: one small stylesheet, no viewflow material
frontend (its JavaScript, web components and fonts are about a megabyte on a first visit).

The journey: log in, land on the inbox, claim from the queue, open the task, decide, come back to the
inbox; a link in a reminder opens the task's index, which leads to the claim page.
"""

import re

import pytest

from flows.models import Hasil
from tests.helpers import client_for, decision, task_of, task_url

# Two officials per role: tasks wait in the queue to be claimed (a sole official gets them at once).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_officials")]

MATERIAL = re.compile(r"viewflow/(js|css|fonts)/|<vf-|mdc-")


def _assert_light(response, status=200):
    html = response.content.decode()
    assert response.status_code == status, response.status_code
    assert 'class="sk-lite"' in html, html[:300]
    assert not MATERIAL.search(html), MATERIAL.search(html).group(0)
    assert "sksentra/sksentra.css" in html
    return html


def test_the_login_page_is_light_and_in_indonesian(client):
    html = _assert_light(client.get("/accounts/login/?next=/legalisasi/queue/"))
    assert "Masuk ke SK Sentra" in html
    assert 'name="username"' in html and 'name="password"' in html
    assert 'name="next" value="/legalisasi/queue/"' in html
    assert "Viewflow" not in html


def test_a_wrong_password_is_answered_on_the_light_page(client, donggala):
    response = client.post("/accounts/login/", {"username": donggala["verifikator_dinas"].username, "password": "salah"})
    html = _assert_light(response, status=422)  # a refused form: 422, which Turbo renders
    assert "sk-errors" in html
    assert "_auth_user_id" not in client.session


def test_after_login_an_official_lands_on_the_inbox_and_an_auditor_on_the_audit_pages(donggala, province):
    assert client_for(donggala["verifikator_dinas"]).get("/legalisasi/")["Location"] == "/legalisasi/inbox/"
    assert client_for(province["auditor"]).get("/legalisasi/")["Location"] == "/audit/"
    assert client_for(donggala["pengusul"]).get("/", follow=True).redirect_chain[-1][0] == "/legalisasi/inbox/"


def test_claim_task_decide_and_back_to_the_inbox_all_on_light_pages(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    client = client_for(donggala["verifikator_dinas"])

    # a reminder's link opens the task's index: not yet claimed, so the claim page
    index_url = f"/legalisasi/{process.pk}/verifikasi_dinas/{task.pk}/"
    response = client.get(index_url)
    assert response.status_code == 302 and response["Location"].endswith("/assign/")
    html = _assert_light(client.get(response["Location"]))
    assert "Ambil dan kerjakan" in html and process.pengelola.name in html

    response = client.post(task_url(task, "assign"), {"_continue": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/execute/")  # claimed: its form
    html = _assert_light(client.get(response["Location"]))
    assert "Simpan keputusan" in html

    _assert_light(client.get(task_url(task, "unassign")))
    _assert_light(client.get(f"/legalisasi/{process.pk}/"))

    response = client.post(task_url(task), decision(Hasil.DISETUJUI))
    assert response.status_code == 302 and response["Location"] == "/legalisasi/inbox/"
    html = _assert_light(client.get(response["Location"]))
    assert "Keputusan Anda telah dicatat." in html

    # the finished task, from the archive: its detail page
    html = _assert_light(client.get(task_url(task, "detail")))
    assert "Selesai" in html


def test_the_pengusul_goes_to_the_proposal_after_sending_it(donggala, start_proposal):
    from tests.flows.test_legalisasi_http import usulan_post  # the full start form

    client = client_for(donggala["pengusul"])
    _assert_light(client.get("/legalisasi/usulan/"))
    response = client.post("/legalisasi/usulan/", usulan_post(donggala["pengusul"].region))
    assert response.status_code == 302, response.content[:500]
    assert re.fullmatch(r"/legalisasi/\d+/", response["Location"]), response["Location"]
    html = _assert_light(client.get(response["Location"]))
    assert "Usulan telah diajukan" in html


def test_pages_are_sent_compressed_and_downloads_are_not(donggala, start_proposal):
    import gzip

    from sentra.models import Dokumen

    process = start_proposal(donggala["pengusul"])
    client = client_for(donggala["verifikator_dinas"])
    page = client.get("/legalisasi/queue/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert page["Content-Encoding"] == "gzip" and "Accept-Encoding" in page["Vary"]
    html = gzip.decompress(page.content).decode()
    assert process.pengelola.name in html
    assert len(page.content) < len(html) / 2

    dokumen = Dokumen.objects.filter(pengelola=process.pengelola).first()
    download = client.get(dokumen.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert download.status_code == 200 and not download.has_header("Content-Encoding")
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert body.startswith(b"%PDF")


def test_the_proposals_page_is_light_scoped_paged_and_costs_the_same_for_2_or_25_proposals(
    donggala, poso, start_proposal
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    theirs = start_proposal(poso["pengusul"])
    client = client_for(donggala["pengusul"])

    def cost():
        client.get("/legalisasi/flows/")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/legalisasi/flows/")
        return response, [q["sql"] for q in ctx.captured_queries]

    mine = [start_proposal(donggala["pengusul"]) for _ in range(2)]
    small, small_sqls = cost()
    mine += [start_proposal(donggala["pengusul"]) for _ in range(23)]
    large, large_sqls = cost()
    html = _assert_light(large)
    assert len(large_sqls) == len(small_sqls) <= 9, "\n".join(large_sqls)
    assert not [s for s in large_sqls if "COUNT(" in s.upper()]
    assert html.count('class="sk-task"') == 20 and "halaman=2" in html
    assert f'href="/legalisasi/{mine[-1].pk}/"' in html  # newest first
    assert theirs.pengelola.name not in html and f"/legalisasi/{theirs.pk}/" not in html
    assert "Usulan baru" in html

    page2 = client.get("/legalisasi/flows/?halaman=2").content.decode()
    assert page2.count('class="sk-task"') == 5 and f'href="/legalisasi/{mine[0].pk}/"' in page2
    assert client.get("/legalisasi/flows/?tahap=tercatat").content.decode().count('class="sk-task"') == 0
    for bad in ("?halaman=abc", "?halaman=-3", "?tahap=%3Cscript%3E", "?halaman=999999"):
        assert client.get(f"/legalisasi/flows/{bad}").status_code == 200, bad
