"""The inbox shows what an official may act on: their own tasks and, beside them, the tasks of their role
and region waiting to be claimed; "Ambil" claims and opens the task's form."""

import re

import pytest

from flows.steps import PROCESS_MODEL, START_STEPS, STEPS
from tests.helpers import client_for, task_of, task_url

# Two officials per role: tasks wait in the queue to be claimed (a sole official gets them at once).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_officials")]


def test_a_new_task_is_in_the_inbox_of_the_officials_who_may_claim_it_with_a_count(donggala, poso, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    html = client_for(donggala["verifikator_dinas"]).get("/legalisasi/inbox/").content.decode()
    assert "Siap diambil (1)" in html
    assert task_url(task, "assign") in html and ">Ambil</button>" in html
    # Nobody else's inbox: another role, another kab/kota.
    for user in (donggala["verifikator_aset"], poso["verifikator_dinas"]):
        assert "Siap diambil" not in client_for(user).get("/legalisasi/inbox/").content.decode()


def test_ambil_claims_the_task_and_opens_its_form(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    client = client_for(donggala["verifikator_dinas"])
    response = client.post(task_url(task, "assign"))
    assert response.status_code == 302
    assert response["Location"] == task_url(task, "execute")
    task.refresh_from_db()
    assert task.owner == donggala["verifikator_dinas"]
    assert client.get(response["Location"]).status_code == 200


def test_the_step_filter_lists_the_steps_in_process_order(donggala):
    html = client_for(donggala["verifikator_dinas"]).get("/legalisasi/inbox/").content.decode()
    select = html.split('name="langkah"', 1)[1].split("</select>", 1)[0]
    listed = [v for v in re.findall(r'<option value="([^"]*)"', select) if v]
    assert listed == [step.name for step in STEPS if step.name in listed]
    # every step of the legalisation a task can be at (a start is not a task anyone waits on; the periodic
    # report's steps are its own flow's)
    assert listed == [step.name for step in STEPS if step.name not in START_STEPS and step.process_model == PROCESS_MODEL]
