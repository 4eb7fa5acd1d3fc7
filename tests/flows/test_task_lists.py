"""The inbox, queue and archive pages (flows.task_lists): what they list, the step filter, paging,
and viewflow's claim/unclaim actions (single and bulk) reached from them, within the region scope."""

import pytest
from viewflow.workflow.status import STATUS

from flows.models import Hasil, LegalisasiTask
from tests.helpers import client_for, decision, task_of, task_url

pytestmark = pytest.mark.django_db


def test_queue_lists_claimable_tasks_and_bulk_claim_then_bulk_unclaim(donggala, poso, start_proposal):
    mine = [start_proposal(donggala["pengusul"]) for _ in range(2)]
    theirs = start_proposal(poso["pengusul"])
    official = donggala["verifikator_dinas"]
    client = client_for(official)
    queue = client.get("/legalisasi/queue/").content.decode()
    tasks = [task_of(p, "verifikasi_dinas") for p in mine]
    for task in tasks:
        assert f"#{task.process_id}/{task.pk}" in queue
        assert task_url(task, "assign") in queue  # the row's claim button
    assert f"#{theirs.pk}/" not in queue

    response = client.post("/legalisasi/queue/assign/", {"pk": [t.pk for t in tasks], "_confirm": "1"})
    assert response.status_code == 302
    assert set(LegalisasiTask.objects.filter(pk__in=[t.pk for t in tasks]).values_list("status", "owner")) == {
        (STATUS.ASSIGNED, official.pk)
    }
    inbox = client.get("/legalisasi/inbox/").content.decode()
    assert all(task_url(t, "execute") in inbox for t in tasks)

    response = client.post("/legalisasi/inbox/unassign/", {"pk": [tasks[0].pk], "_confirm": "1"})
    assert response.status_code == 302
    assert LegalisasiTask.objects.get(pk=tasks[0].pk).status == STATUS.NEW


def test_bulk_claim_of_another_regions_task_is_refused(donggala, poso, start_proposal):
    theirs = task_of(start_proposal(poso["pengusul"]), "verifikasi_dinas")
    response = client_for(donggala["verifikator_dinas"]).post(
        "/legalisasi/queue/assign/", {"pk": [theirs.pk], "_confirm": "1"}
    )
    assert response.status_code in (403, 404) or LegalisasiTask.objects.get(pk=theirs.pk).owner_id is None
    assert LegalisasiTask.objects.get(pk=theirs.pk).status == STATUS.NEW


def test_step_filter_and_archive(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    official = donggala["verifikator_dinas"]
    client = client_for(official)
    task = task_of(process, "verifikasi_dinas")
    assert f"#{process.pk}/" in client.get("/legalisasi/queue/?langkah=verifikasi_dinas").content.decode()
    assert f"#{process.pk}/" not in client.get("/legalisasi/queue/?langkah=penetapan_sk").content.decode()
    assert client.get("/legalisasi/queue/?langkah=bogus&halaman=x").status_code == 200
    client.post(task_url(task, "assign"))
    assert client.post(task_url(task), decision(Hasil.DISETUJUI)).status_code == 302
    archive = client.get("/legalisasi/archive/").content.decode()
    assert f"#{process.pk}/{task.pk}" in archive
    assert f"#{process.pk}/" not in client.get("/legalisasi/inbox/").content.decode()


def test_lists_need_a_login(client):
    for url in ("/legalisasi/inbox/", "/legalisasi/queue/", "/legalisasi/archive/"):
        response = client.get(url)
        # viewflow's site refuses anonymous users before the view (403), or the view sends them to log in
        assert response.status_code == 403 or "/accounts/login/" in response["Location"]
