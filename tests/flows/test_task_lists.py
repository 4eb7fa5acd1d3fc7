"""The inbox, queue and archive pages (flows.task_lists): what they list, the step filter, paging,
and viewflow's claim/unclaim actions (single and bulk) reached from them, within the region scope."""

import pytest
from viewflow.workflow.status import STATUS

from flows.models import Hasil, LegalisasiTask
from tests.helpers import client_for, decision, task_of, task_url

# Two officials per role: tasks wait in the queue to be claimed (a sole official gets them at once).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_officials")]


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


def test_bulk_claim_records_each_claim_and_never_lists_another_regions_tasks(donggala, poso, start_proposal):
    """viewflow's bulk pages answered a POST without ``_confirm`` (or with ``select_all``) with a page
    listing tasks of every region; ours list nothing and act only within the scope."""
    from audit.models import Action, AuditEvent

    mine = task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    theirs = start_proposal(poso["pengusul"])
    client = client_for(donggala["verifikator_dinas"])
    for url in ("/legalisasi/queue/assign/", "/legalisasi/inbox/unassign/"):
        for data in ({"pk": [task_of(theirs, "verifikasi_dinas").pk]}, {"select_all": "1"}, {}):
            response = client.post(url, data)
            assert response.status_code == 302, (url, data)
            assert theirs.pengelola.name not in client.get(response["Location"]).content.decode()
    assert task_of(theirs, "verifikasi_dinas").owner_id is None

    response = client.post("/legalisasi/queue/assign/", {"pk": [str(mine.pk), "abc", "٣", "9" * 30, "-1"]}, follow=True)
    assert "1 tugas diambil." in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.TASK_CLAIM, task_id=mine.pk).count() == 1
    response = client.post("/legalisasi/inbox/unassign/", {"pk": [mine.pk]}, follow=True)
    assert "1 tugas dilepas ke antrean." in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.TASK_UNCLAIM, task_id=mine.pk).count() == 1
    assert client.get("/legalisasi/queue/assign/").status_code == 405


@pytest.mark.parametrize("url", ["/legalisasi/inbox/", "/legalisasi/queue/", "/legalisasi/archive/", "/legalisasi/flows/"])
def test_any_page_number_reads_as_a_page(url, donggala, start_proposal):
    start_proposal(donggala["pengusul"])
    client = client_for(donggala["verifikator_dinas"])
    for value in ("999999999999999999999", "-1", "abc", "1e9", str(2**70), "<script>", "٣", "0", " 2 "):
        assert client.get(url, {"halaman": value}).status_code == 200, value


def test_ids_beyond_64_bits_are_404_on_every_kind_of_url(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    client = client_for(donggala["verifikator_dinas"])
    huge = "9" * 20
    for url in (f"/legalisasi/{huge}/", f"/legalisasi/{huge}/verifikasi_dinas/{task.pk}/",
                f"/legalisasi/{process.pk}/verifikasi_dinas/{huge}/assign/", f"/berkas/rancangan-sk/{huge}/pdf/",
                f"/berkas/dokumen/{huge}/", f"/berkas/sk/{huge}/", f"/legalisasi/{huge}/chart/"):
        for method in ("get", "post"):
            assert getattr(client, method)(url).status_code == 404, (method, url)
    auditor = client_for(donggala["pimpinan"])
    assert auditor.get(f"/audit/usulan/{huge}/").status_code in (403, 404)
