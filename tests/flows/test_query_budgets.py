"""Query budgets: the inbox, queue, archive, task page and every step's completion stay within a fixed
number of SQL queries, whatever the number of tasks. A regression (a per-row query, a COUNT, a second
load of the process) fails here before it reaches production.

List budgets count every statement; task budgets count data statements (savepoints and their
releases left out: they differ between SQLite and PostgreSQL and cost next to nothing).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from flows.models import Hasil
from tests.helpers import act, assets_recorded, client_for, decision, task_of, task_url

# Two officials per role: tasks wait in the queue to be claimed (a sole official gets them at once).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_officials")]

LIST_BUDGET = 9  # session, user, 2× permissions, groups, region, the page, the calendars (+1 spare)
TASK_PAGE_BUDGET = 18  # measured 15 (17 on pencatatan_provinsi: the SK awaiting record)
ASSIGN_BUDGET = 17  # measured 15 (SQLite), 15 (PostgreSQL)
# Completing a step, issue 11's target: at most 20 data statements, with the decision, its audit event,
# the deadlines and the outbox rows all still written. What a step costs (flows.services.unit_of_work):
# - the request's own reads, one statement: the session comes from the cache (accounts.session_store), the
#   user with its region, role names and grants in force from one SELECT (accounts.models.users_with_roles);
# - the process lock, which reads the process with the row it locks (flows.nodes.ProcessRowLock), the task;
# - the decision and its history row, stopping the deadline, the task DONE;
# - viewflow's rows for the nodes after it: each task opened is one INSERT plus its link row; Switch and If
#   keep no row (flows.nodes._PassThroughActivation); a Split and an End are written once, DONE, with their
#   link (_WrittenOnceActivation); the join reads its row and its running branches in one SELECT
#   (JoinReadOnce);
# - for the tasks it opens: who may take them, officials and Plt./Plh. together (one SELECT:
#   flows.reminders.Memo.users_preload), one INSERT of their deadlines, one of their messages;
# - the stage and its history row, once per unit of work, not at all when End saves the process;
# - the audit chain: two statements (the head's lock with the previous hash, one INSERT of the events:
#   audit.services._chain_append).
# Step deadlines, days off, office hours, office names and the province's kab/kota come from the cache.
STEP_BUDGETS = {  # data statements measured on PostgreSQL (+ 1 margin where the target leaves room)
    "verifikasi_dinas": 20,  # 20: a switch passed, a split and two parallel tasks opened
    "verifikasi_aset": 14,  # 13: the asset check; the join is created, started, and waits
    "harmonisasi_hukum": 20,  # 20: the join fires, the check for returns, paraf_koordinasi opened
    "paraf_koordinasi": 17,  # 16: a decision, an If passed, a task opened
    "penetapan_sk": 17,  # 16: the signature, a switch passed, a task opened
    # 20: the last paraf's date, the census members for the SK's Lampiran, the SK and its history row (its
    # number's uniqueness is the database's constraint, no read), a task opened
    "penomoran_sk": 20,
    # 19 with the province's kab/kota warm: the SK, the register number (one upsert), the SK's update and
    # history, the End node (the count of open tasks, the process finished with its stage, its history)
    "pencatatan_provinsi": 20,
}
HTML_BUDGET = 80 * 1024


def _queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    return response, [q["sql"] for q in ctx.captured_queries]


def _data_queries(sqls):
    return [s for s in sqls if not re.match(r"\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)", s)]


@pytest.fixture
def many_proposals(donggala, start_proposal):
    def make(n):
        return [start_proposal(donggala["pengusul"]) for _ in range(n)]

    return make


def _list_cost(client, url):
    client.get(url)  # warm: the first request of a session may touch it
    response, sqls = _queries(client, "get", url)
    assert response.status_code == 200, url
    return response, sqls


@pytest.mark.parametrize("url", ["/legalisasi/queue/", "/legalisasi/inbox/", "/legalisasi/archive/"])
def test_list_pages_cost_the_same_few_queries_for_2_or_25_tasks_and_write_no_session(url, donggala, many_proposals):
    official = donggala["verifikator_dinas"]
    client = client_for(official)

    def fill(processes):
        for process in processes:
            task = task_of(process, "verifikasi_dinas")
            if url != "/legalisasi/queue/":
                assert client.post(task_url(task, "assign")).status_code == 302
            if url == "/legalisasi/archive/":
                assert client.post(task_url(task), decision(Hasil.DISETUJUI)).status_code == 302

    fill(many_proposals(2))
    small, small_sqls = _list_cost(client, url)
    fill(many_proposals(23))
    large, large_sqls = _list_cost(client, url)

    assert len(large_sqls) == len(small_sqls) <= LIST_BUDGET, "\n".join(large_sqls)
    assert not [s for s in large_sqls if "django_session" in s and not s.lstrip().startswith("SELECT")], (
        "a list GET wrote the session"
    )
    assert not [s for s in large_sqls if "COUNT(" in s.upper()], "a list page counted rows"
    assert len(large.content) <= HTML_BUDGET
    html = large.content.decode()
    assert html.count('class="sk-task"') == 20  # one page
    assert "halaman=2" in html
    # the filter lists the flow's steps, never the processes
    assert not re.search(r"<option[^>]*>#?\d+", html)


def test_the_queue_of_a_provincial_official_who_sees_every_kabupaten_is_bounded(
    donggala, poso, province, start_proposal
):
    for _ in range(12):
        start_proposal(donggala["pengusul"])
        start_proposal(poso["pengusul"])
    client = client_for(province["pencatat_provinsi"])
    response, sqls = _list_cost(client, "/legalisasi/queue/")
    assert len(sqls) <= LIST_BUDGET + 1  # + the province's kab/kota codes
    assert len(response.content) <= HTML_BUDGET


def test_the_task_page_loads_the_process_once_within_budget(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    client = client_for(donggala["verifikator_dinas"])
    response, sqls = _queries(client, "post", task_url(task, "assign"))
    assert response.status_code == 302
    sqls = _data_queries(sqls)
    assert len(sqls) <= ASSIGN_BUDGET, "\n".join(sqls)

    response, sqls = _queries(client, "get", task_url(task))
    assert response.status_code == 200
    assert len(sqls) <= TASK_PAGE_BUDGET, "\n".join(sqls)
    process_loads = [s for s in sqls if re.match(r'\s*SELECT .* FROM "viewflow_process"', s) or
                     re.match(r'\s*SELECT .* FROM "flows_legalisasiprocess"', s)]
    assert len(process_loads) == 1, process_loads
    assert not [s for s in sqls if "COUNT(" in s.upper()], "the menu badges counted tasks"


def test_completing_each_step_stays_within_its_budget(donggala, province, start_proposal):
    from tests.flows.test_legalisasi_http import ASET_OK, sk_post

    process = start_proposal(donggala["pengusul"])
    assets_recorded(process, donggala["verifikator_aset"])
    steps = [
        ("verifikasi_dinas", donggala["verifikator_dinas"], decision(Hasil.DISETUJUI)),
        ("verifikasi_aset", donggala["verifikator_aset"], ASET_OK),
        ("harmonisasi_hukum", donggala["bagian_hukum"], decision(Hasil.DISETUJUI)),
        ("paraf_koordinasi", donggala["sekretariat_daerah"], decision(Hasil.DIPARAF)),
        ("penetapan_sk", donggala["kepala_daerah"], decision(Hasil.DITANDATANGANI)),
        ("penomoran_sk", donggala["bagian_hukum"], None),
        ("pencatatan_provinsi", province["pencatat_provinsi"], decision(Hasil.DICATAT)),
    ]
    # Reference data comes from the cache once warm, as in production: the step deadlines, days off, office
    # hours and office names by the decisions before; the province's kab/kota codes (a provincial official's
    # scope: accounts.selectors.region_children) by any provincial official's request within the hour.
    assert client_for(province["pencatat_provinsi"]).get("/legalisasi/inbox/").status_code == 200
    measured = {}
    for step, user, data in steps:
        if data is None:
            data = sk_post(process.region)
        client = client_for(user)
        task = task_of(process, step)
        if task.owner_id is None:  # the province's sole pencatat has it already
            assert client.post(task_url(task, "assign")).status_code == 302
        response, sqls = _queries(client, "post", task_url(task), data)
        assert response.status_code == 302, response.content[:300]
        measured[step] = len(_data_queries(sqls))
    assert max(STEP_BUDGETS.values()) <= 20, "issue 11's target is 20 data statements per decision"
    print(f"statements per decision: {measured}")
    over = {step: (n, STEP_BUDGETS[step]) for step, n in measured.items() if n > STEP_BUDGETS[step]}
    assert not over, f"over budget (measured, budget): {over}; all: {measured}"
