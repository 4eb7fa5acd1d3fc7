"""Ending a Plt./Plh. or an absence early, from /pelimpahan/.

- a grant in force ends now for a required reason: the tasks its holder took by virtue of it go back to
  the role's queue (a task they hold in their own right stays theirs), and the audit trail says so;
- an absence ends now: the official is back, their substitute receives none of their new tasks;
- whoever may record it may end it; anything else is a 404, a 403, a 405 or a 422 that changes nothing.
"""

import datetime as dt

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from accounts.models import Absence, ActingGrant, User
from accounts.roles import Role
from audit.models import Action, AuditEvent
from flows import delegation
from flows.models import LegalisasiTask
from tests.conftest import DONGGALA
from tests.flows.test_acting_officials import _grant
from tests.helpers import client_for, form_errors, task_of, task_url

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def _grant_url(grant, pk=None) -> str:
    return f"/pelimpahan/plt-plh/{pk or grant.pk}/akhiri/"


def _absence_url(absence, pk=None) -> str:
    return f"/pelimpahan/ketidakhadiran/{pk or absence.pk}/akhiri/"


@pytest.fixture
def acting(donggala, poso, regions, start_proposal):
    """Poso's verifikator acting as Plt. verifikator of Donggala, holding a Donggala task claimed by the
    grant and a Poso task of the same role held in their own right."""
    plt = poso["verifikator_dinas"]
    grant = _grant(plt, Role.VERIFIKATOR_DINAS, regions[DONGGALA], donggala["pimpinan"])
    own = task_of(start_proposal(poso["pengusul"]), "verifikasi_dinas")
    if own.owner_id is None:
        assert client_for(plt).post(task_url(own, "assign")).status_code == 302
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    assert task.status == STATUS.NEW  # the official and the Plt.: the queue
    assert client_for(plt).post(task_url(task, "assign")).status_code == 302
    task.refresh_from_db()
    own.refresh_from_db()
    assert task.owner == plt and own.owner == plt and own.status == STATUS.ASSIGNED
    return {"plt": plt, "grant": grant, "task": task, "own": own, "process": process}


def _state(*objects):
    """What a refused request must leave as it was (the logins of the test's clients and a
    refusal's own ``access_denied`` event aside)."""
    rows = []
    for obj in objects:
        obj = type(obj).objects.get(pk=obj.pk)
        rows.append({f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields})
    return rows, AuditEvent.objects.exclude(action__in=(Action.LOGIN, Action.ACCESS_DENIED)).count()


def test_ending_a_grant_returns_the_tasks_taken_by_it_and_is_in_the_audit_trail(acting, donggala):
    grant, task, own, plt = acting["grant"], acting["task"], acting["own"], acting["plt"]
    pimpinan = client_for(donggala["pimpinan"])
    home = pimpinan.get("/pelimpahan/").content.decode()
    assert _grant_url(grant) in home and "Alasan mengakhiri" in home

    response = pimpinan.post(_grant_url(grant), {"alasan": "Pejabat definitif telah dilantik"}, follow=True)
    assert response.redirect_chain == [("/pelimpahan/", 302)]
    assert "diakhiri; 1 tugas dikembalikan ke antrean." in response.content.decode()
    assert _grant_url(grant) not in response.content.decode()  # ended: no button any more

    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert not ActingGrant.objects.in_force().filter(pk=grant.pk).exists()
    assert User.objects.get(pk=plt.pk).acting_roles == frozenset()
    task.refresh_from_db()
    own.refresh_from_db()
    assert (task.owner_id, task.status) == (None, STATUS.NEW)  # back in the queue, unassigned
    assert (own.owner_id, own.status) == (plt.pk, STATUS.ASSIGNED)  # their own role in their own region: kept

    event = AuditEvent.objects.get(action=Action.ACTING_GRANT_END_EARLY, object_id=str(grant.pk))
    assert event.actor == donggala["pimpinan"] and event.note == "Pejabat definitif telah dilantik"
    assert event.details["alasan"] == "Pejabat definitif telah dilantik" and event.details["tugas_dikembalikan"] == 1
    unclaim = AuditEvent.objects.get(action=Action.TASK_UNCLAIM, task_id=task.pk)
    assert unclaim.actor == donggala["pimpinan"] and unclaim.details["dari"] == plt.username
    assert AuditEvent.objects.filter(action=Action.TASK_CLAIM, task_id=task.pk).exists()  # the claim stays on record
    assert not AuditEvent.objects.filter(task_id=own.pk, action=Action.TASK_UNCLAIM).exists()

    # the Plt. can no longer act on it; the role's official takes it from the queue
    assert client_for(plt).post(task_url(task, "assign")).status_code in (403, 404)
    assert client_for(donggala["verifikator_dinas"]).post(task_url(task, "assign")).status_code == 302
    # the daily job does not end it a second time
    assert delegation.acting_grants_sweep(today=grant.ends_on + dt.timedelta(days=1)) == {"started": 0, "ended": 0}


def test_ending_an_absence_brings_the_official_back(donggala, make_user, start_proposal):
    official = donggala["verifikator_dinas"]
    substitute = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="pengganti.donggala")
    today = timezone.localdate()
    absence = Absence.objects.create(user=official, starts_on=today - dt.timedelta(days=2),
                                     ends_on=today + dt.timedelta(days=10), substitute=substitute,
                                     recorded_by=official)
    assert delegation.present_user(official) == substitute
    assert task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas").owner == substitute
    client = client_for(official)
    assert _absence_url(absence) in client.get("/pelimpahan/").content.decode()

    response = client.post(_absence_url(absence), {"alasan": ""}, follow=True)  # a reason is optional
    assert response.redirect_chain == [("/pelimpahan/", 302)]
    assert "Ketidakhadiran" in response.content.decode() and "diakhiri" in response.content.decode()
    absence.refresh_from_db()
    # it covered the days already past; from today it is over
    assert (absence.ends_on, absence.cancelled_at) == (today - dt.timedelta(days=1), None)
    assert not Absence.objects.in_force().exists()
    assert delegation.present_user(official) == official
    new = task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    assert new.owner_id != substitute.pk
    event = AuditEvent.objects.get(action=Action.ABSENCE_END, object_id=str(absence.pk))
    assert event.actor == official and event.details["sampai_semula"] == (today + dt.timedelta(days=10)).isoformat()

    # an absence that starts today is cancelled, here by the region's pimpinan, with a reason
    second = Absence.objects.create(user=official, starts_on=today, ends_on=today + dt.timedelta(days=3),
                                    substitute=substitute, recorded_by=official)
    assert _absence_url(second) in client_for(donggala["pimpinan"]).get("/pelimpahan/").content.decode()
    assert client_for(donggala["pimpinan"]).post(_absence_url(second), {"alasan": "Cuti dibatalkan"}).status_code == 302
    second.refresh_from_db()
    assert second.cancelled_at is not None and second.ends_on == today + dt.timedelta(days=3)
    assert AuditEvent.objects.get(action=Action.ABSENCE_END, object_id=str(second.pk)).note == "Cuti dibatalkan"


def test_refusals_to_end_a_grant_change_nothing(acting, donggala, poso):
    grant, task = acting["grant"], acting["task"]
    before = _state(grant, task)
    pimpinan = client_for(donggala["pimpinan"])
    data = {"alasan": "Pejabat definitif telah dilantik"}
    assert client_for(poso["pimpinan"]).post(_grant_url(grant), data).status_code == 404  # another region's
    assert client_for(donggala["bagian_hukum"]).post(_grant_url(grant), data).status_code == 404  # not theirs to see
    assert pimpinan.post(_grant_url(grant, HUGE), data).status_code == 404
    assert pimpinan.post(_grant_url(grant, 10**6), data).status_code == 404
    assert client_for(acting["plt"]).post(_grant_url(grant), data).status_code == 403  # its holder sees it
    assert pimpinan.get(_grant_url(grant)).status_code == 405
    for blank in ({}, {"alasan": ""}, {"alasan": "  \n "}):
        response = pimpinan.post(_grant_url(grant), blank)
        assert response.status_code == 422
        assert "Alasan wajib diisi" in form_errors(response)
    for bad in ("x" * 2001, "\u2028" * 3000, "Dilantik\x00"):  # too long; a NUL no column stores
        assert pimpinan.post(_grant_url(grant), {"alasan": bad}).status_code == 422
    for typed in ("\u0661", "\uff11", "-1"):  # only ASCII digits name a grant
        assert pimpinan.post(f"/pelimpahan/plt-plh/{typed}/akhiri/", data).status_code == 404
    assert _state(grant, task) == before
    assert not AuditEvent.objects.filter(action=Action.ACTING_GRANT_END_EARLY).exists()

    # ended (early or by the daily job): a second end is refused and changes nothing
    assert pimpinan.post(_grant_url(grant), data).status_code == 302
    after = _state(grant, task)
    again = pimpinan.post(_grant_url(grant), data)
    assert again.status_code == 422 and "Plt./Plh. ini sudah berakhir." in form_errors(again)
    assert _state(grant, task) == after
    assert AuditEvent.objects.filter(action=Action.ACTING_GRANT_END_EARLY).count() == 1


def test_refusals_to_end_an_absence_change_nothing(donggala, poso, province, make_user):
    official = donggala["verifikator_dinas"]
    substitute = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="pengganti.donggala")
    today = timezone.localdate()
    absence = Absence.objects.create(user=official, starts_on=today, ends_on=today + dt.timedelta(days=5),
                                     substitute=substitute, recorded_by=official)
    past = Absence.objects.create(user=official, starts_on=today - dt.timedelta(days=9),
                                  ends_on=today - dt.timedelta(days=3), substitute=substitute, recorded_by=official)
    before = _state(absence, past)
    url = _absence_url(absence)
    assert client_for(poso["pimpinan"]).post(url).status_code == 404
    assert client_for(substitute).post(url).status_code == 404  # not theirs, not their region to manage
    assert client_for(official).post(_absence_url(absence, HUGE)).status_code == 404
    assert client_for(province["auditor"]).post(url).status_code == 403  # read-only
    assert client_for(official).get(url).status_code == 405
    refused = client_for(official).post(_absence_url(past))
    assert refused.status_code == 422 and "Ketidakhadiran ini sudah berakhir." in form_errors(refused)
    assert client_for(official).post(url, {"alasan": "x" * 2001}).status_code == 422
    assert _state(absence, past) == before
    assert not AuditEvent.objects.filter(action=Action.ABSENCE_END).exists()

    assert client_for(official).post(url).status_code == 302
    after = _state(absence, past)
    again = client_for(donggala["pimpinan"]).post(url)
    assert again.status_code == 422 and "Ketidakhadiran ini sudah berakhir." in form_errors(again)
    assert _state(absence, past) == after
    assert AuditEvent.objects.filter(action=Action.ABSENCE_END).count() == 1


def test_a_grant_held_in_ones_own_right_returns_no_task(donggala, regions, start_proposal):
    """A grant of the holder's own role in their own region gave them nothing: ending it returns no task."""
    official = donggala["verifikator_dinas"]
    grant = _grant(official, Role.VERIFIKATOR_DINAS, regions[DONGGALA], donggala["pimpinan"])
    task = task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    if task.owner_id is None:
        assert client_for(official).post(task_url(task, "assign")).status_code == 302
    assert delegation.grant_tasks(grant) == []
    _ended, returned = delegation.acting_grant_end_early(grant_pk=grant.pk, by=donggala["pimpinan"],
                                                         reason="Salah catat")
    assert returned == 0
    assert LegalisasiTask.objects.get(pk=task.pk).owner == official


def _report_review(donggala, poso, regions, make_user, start_proposal, settings, tmp_path):
    """A periodic report of a Donggala sentra submitted by its officer: its review task, open."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from flows import laporan
    from flows.demo import advance
    from flows.models import LaporanProcess, LaporanTask
    from tests.conftest import POSO
    from tests.flows.test_laporan import make_pengelola_user, png_bytes, report_post
    from tests.flows.test_region_scope import REPORT_OPEN_DAY

    settings.MEDIA_ROOT = str(tmp_path)
    settings.SKSENTRA_OFFICE_HOURS_ENFORCED = False
    users = {(role, DONGGALA): u for role, u in donggala.items()} | {(role, POSO): u for role, u in poso.items()}
    users[("pencatat_provinsi", "72")] = make_user(Role.PENCATAT_PROVINSI, "72")
    process = start_proposal(donggala["pengusul"])
    advance(process, users, regions[DONGGALA], "tercatat", seed=21)
    laporan.periods_open(today=REPORT_OPEN_DAY)
    report = LaporanProcess.objects.get(sentra=process.pengelola.sentra)
    officer = make_pengelola_user(make_user, report.sentra, "ketua.end.early")
    assert client_for(officer).post(f"/laporan/{report.pk}/", {
        **report_post(), "foto-foto": SimpleUploadedFile("a.png", png_bytes())}).status_code == 302
    return LaporanTask.objects.get(process=report, finished__isnull=True, flow_task_type="HUMAN")


def test_a_report_review_taken_by_the_grant_goes_back_too(donggala, poso, regions, make_user, start_proposal,
                                                          settings, tmp_path):
    """A periodic report's review (``reviu_laporan``, the verifikator's) held by the Plt. in the granted
    region is a task taken by the grant like a proposal's: it goes back to the queue as well."""
    from flows.models import LaporanTask

    review = _report_review(donggala, poso, regions, make_user, start_proposal, settings, tmp_path)
    plt = poso["verifikator_dinas"]
    grant = _grant(plt, Role.VERIFIKATOR_DINAS, regions[DONGGALA], donggala["pimpinan"])
    LaporanTask.objects.filter(pk=review.pk).update(owner=plt, status=STATUS.ASSIGNED)  # the Plt. took it

    assert delegation.grant_tasks(grant) == [review.pk]
    _ended, returned = delegation.acting_grant_end_early(grant_pk=grant.pk, by=donggala["pimpinan"],
                                                         reason="Pejabat definitif telah dilantik")
    review.refresh_from_db()
    assert returned == 1 and (review.owner_id, review.status) == (None, STATUS.NEW)


def test_the_pimpinan_moves_a_report_review_an_official_holds_like_a_proposals_task(
        donggala, poso, regions, make_user, start_proposal, settings, tmp_path):
    """The page that moves an official's tasks lists a periodic report's review beside the proposals' (it
    answered 500 on one: it read only proposals) and moves it to a colleague, who is told."""
    from flows.models import LaporanTask
    from notifications.models import Kind, Notification

    review = _report_review(donggala, poso, regions, make_user, start_proposal, settings, tmp_path)
    holder = donggala["verifikator_dinas"]
    colleague = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="verifikator_dinas.kedua")
    LaporanTask.objects.filter(pk=review.pk).update(owner=holder, status=STATUS.ASSIGNED)
    pimpinan = client_for(donggala["pimpinan"])
    url = f"/pelimpahan/pengguna/{holder.pk}/alihkan/"

    page = pimpinan.get(url)
    assert page.status_code == 200
    assert "Reviu laporan berkala" in page.content.decode()
    refused = pimpinan.post(url, {"tasks": [str(review.pk)], "to_user": "", "note": "Cuti panjang"})
    assert refused.status_code in (200, 422)
    assert LaporanTask.objects.get(pk=review.pk).owner_id == holder.pk  # nothing moved
    moved = pimpinan.post(url, {"tasks": [str(review.pk)], "to_user": str(colleague.pk), "note": "Cuti panjang"})
    assert moved.status_code == 302
    assert LaporanTask.objects.get(pk=review.pk).owner_id == colleague.pk
    told = Notification.objects.filter(task_id=review.pk, kind=Kind.TASK_REASSIGNED, recipient=colleague)
    assert told.exists() and f"/laporan/{review.process_id}/" in told.first().context["url"]
