"""A region's sole official for a step gets its tasks at once: in their inbox, told as its owner, with
the assignment in the audit trail; with two or more, the task waits in their shared queue."""

import pytest
from viewflow.workflow.status import STATUS

from accounts.roles import Role
from audit.models import Action, AuditEvent
from flows.models import Hasil
from notifications.models import Kind, Notification
from tests.helpers import act, client_for, decision, task_of

pytestmark = pytest.mark.django_db


def test_the_sole_official_of_a_step_finds_the_task_in_their_inbox(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    assert (task.status, task.owner) == (STATUS.ASSIGNED, donggala["verifikator_dinas"])
    inbox = client_for(donggala["verifikator_dinas"]).get("/legalisasi/inbox/").content.decode()
    assert f"/legalisasi/{process.pk}/verifikasi_dinas/{task.pk}/execute/" in inbox
    event = AuditEvent.objects.get(action=Action.TASK_CLAIM, task_id=task.pk)
    assert event.actor_username == "sistem" and event.details["otomatis"] is True
    assert event.details["ditugaskan_kepada"] == donggala["verifikator_dinas"].username
    told = Notification.objects.filter(task=task, kind=Kind.TASK_CREATED).values_list("recipient", flat=True)
    assert set(told) == {donggala["verifikator_dinas"].pk}
    # both parallel tasks of the next step go to their sole officials in the same decision
    assert act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302
    assert task_of(process, "verifikasi_aset").owner == donggala["verifikator_aset"]
    assert task_of(process, "harmonisasi_hukum").owner == donggala["bagian_hukum"]


def test_with_two_officials_the_task_waits_in_their_queue(donggala, make_user, start_proposal):
    second = make_user(Role.VERIFIKATOR_DINAS, "72.03", username="verifikator2.donggala")
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    assert (task.status, task.owner_id) == (STATUS.NEW, None)
    for official in (donggala["verifikator_dinas"], second):
        assert f"#{process.pk}/{task.pk}" in client_for(official).get("/legalisasi/queue/").content.decode()


def test_an_inactive_official_does_not_count(donggala, make_user, start_proposal):
    retired = make_user(Role.VERIFIKATOR_DINAS, "72.03", username="pensiun.donggala")
    retired.is_active = False
    retired.save()
    task = task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    assert task.owner == donggala["verifikator_dinas"]
