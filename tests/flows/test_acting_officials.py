"""Issue 16 §1–2: acting officials (Plt./Plh.), moving tasks, absences and deactivation.

- a Plt. acts within the period of the grant and not after it (the daily job ends the grant, and its
  start and end are audit events), and the decision records the capacity and the basis;
- a reassignment moves the task, tells both officials through the outbox and is in the audit trail;
- an absent official's new tasks and reminders go to the substitute they named;
- deactivating an official who holds tasks asks where they go and moves them.
"""

import datetime as dt
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from viewflow.workflow.status import STATUS

from accounts.models import Absence, ActingGrant, User
from accounts.roles import Role
from audit.models import Action, AuditEvent
from core.errors import RuleViolation
from flows import delegation, reminders
from flows.models import Hasil, Keputusan, LegalisasiTask, TaskDeadline
from notifications.models import Kind, Notification
from sentra.services import CheckedPdf
from tests.conftest import DONGGALA, POSO
from tests.helpers import assets_recorded, act, client_for, decision, needs_postgres, pdf_upload, task_of, task_url

pytestmark = pytest.mark.django_db
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def _scan():
    upload = pdf_upload("sp.pdf", "Surat Perintah")
    content = upload.read()
    import hashlib

    return CheckedPdf(content=content, sha256=hashlib.sha256(content).hexdigest(), original_name="sp.pdf")


def _grant(user, role, region, by, *, starts_on=None, days=3, kapasitas="plt"):
    today = timezone.localdate()
    starts_on = starts_on or today
    return delegation.acting_grant_create(
        user=user, role=role.value, region=region, kapasitas=kapasitas, basis_number="800/17/BKPSDM/2026",
        basis_date=min(today, starts_on), scan=_scan(), starts_on=starts_on, ends_on=starts_on + dt.timedelta(days=days),
        by=by,
    )


def _at(day: dt.date, hour: int = 10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WITA)


def test_a_plt_acts_within_the_period_and_not_after_it(donggala, make_user, regions, start_proposal):
    plt = make_user(Role.PENGUSUL, DONGGALA, username="sekretaris.dinas")
    grant_page = client_for(donggala["pimpinan"]).post("/pelimpahan/plt-plh/", {
        "user": plt.pk, "role": Role.VERIFIKATOR_DINAS.value, "region": DONGGALA, "kapasitas": "plt",
        "basis_number": "800/17/BKPSDM/2026", "basis_date": timezone.localdate().isoformat(),
        "starts_on": timezone.localdate().isoformat(), "ends_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
    })
    assert grant_page.status_code == 422  # no scan of the surat perintah: refused, nothing recorded
    assert not ActingGrant.objects.exists()
    response = client_for(donggala["pimpinan"]).post("/pelimpahan/plt-plh/", {
        "user": plt.pk, "role": Role.VERIFIKATOR_DINAS.value, "region": DONGGALA, "kapasitas": "plt",
        "basis_number": "800/17/BKPSDM/2026", "basis_date": timezone.localdate().isoformat(),
        "starts_on": timezone.localdate().isoformat(), "ends_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        "basis_scan": pdf_upload("sp.pdf", "Surat Perintah"),
    })
    assert response.status_code == 302, response.content[:2000]
    grant = ActingGrant.objects.get()
    assert grant.started_at is not None  # it starts today: in force at once, its start in the audit trail
    assert AuditEvent.objects.filter(action=Action.ACTING_GRANT_START, object_id=str(grant.pk)).count() == 1

    # within the period: the task of the role waits for the official and the Plt.; the Plt. decides it
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    assert task.status == STATUS.NEW
    assert f"#{process.pk}/{task.pk}" in client_for(plt).get("/legalisasi/queue/").content.decode()
    assert act(plt, process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302
    keputusan = Keputusan.objects.get(task=task)
    assert keputusan.kapasitas == "Plt. Verifikator Disperindag kab/kota"
    assert keputusan.acting_grant == grant
    assert "Surat Perintah Nomor 800/17/BKPSDM/2026" in keputusan.dasar_kapasitas
    event = AuditEvent.objects.get(action=Action.DECISION_APPROVE, task_id=task.pk)
    assert event.capacity == keputusan.kapasitas and event.details["dasar_kapasitas"] == keputusan.dasar_kapasitas
    auditor = make_user(Role.AUDITOR, DONGGALA)
    timeline = client_for(auditor).get(f"/audit/usulan/{process.pk}/").content.decode()
    assert "Plt. Verifikator Disperindag kab/kota berdasarkan Surat Perintah Nomor 800/17/BKPSDM/2026" in timeline

    # after the period: the daily job ends the grant (once); the Plt. neither sees nor acts on the role's tasks
    after = grant.ends_on + dt.timedelta(days=1)
    with time_machine.travel(_at(after, 0), tick=False):
        assert delegation.acting_grants_sweep() == {"started": 0, "ended": 1}
        assert delegation.acting_grants_sweep() == {"started": 0, "ended": 0}
        second = start_proposal(donggala["pengusul"])
        task = task_of(second, "verifikasi_dinas")
        assert task.owner == donggala["verifikator_dinas"]  # the sole official again
        assert f"#{second.pk}/{task.pk}" not in client_for(plt).get("/legalisasi/queue/").content.decode()
        assert client_for(plt).post(task_url(task)).status_code in (403, 404)
        assert client_for(plt).post(task_url(task, "assign")).status_code in (403, 404)
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert AuditEvent.objects.filter(action=Action.ACTING_GRANT_END, object_id=str(grant.pk)).count() == 1


def test_a_grant_takes_effect_on_its_start_day_recorded_once_by_the_daily_job(donggala, make_user):
    plh = make_user(Role.SEKRETARIAT_DAERAH, DONGGALA, username="asisten.donggala")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    grant = _grant(plh, Role.KEPALA_DAERAH, donggala["pimpinan"].region, donggala["pimpinan"], starts_on=tomorrow,
                   kapasitas="plh")
    assert grant.started_at is None and User.objects.get(pk=plh.pk).acting_roles == frozenset()
    assert delegation.acting_grants_sweep() == {"started": 0, "ended": 0}
    with time_machine.travel(_at(tomorrow, 0), tick=False):
        assert User.objects.get(pk=plh.pk).acting_roles == {(Role.KEPALA_DAERAH.value, DONGGALA)}
        assert delegation.acting_grants_sweep() == {"started": 1, "ended": 0}
        assert delegation.acting_grants_sweep() == {"started": 0, "ended": 0}
    assert AuditEvent.objects.filter(action=Action.ACTING_GRANT_START, object_id=str(grant.pk)).count() == 1


def test_a_plt_in_another_region_sees_it_and_acts_only_in_the_granted_role(donggala, poso, start_proposal):
    """A Poso official acting as Plt. verifikator of Donggala: Donggala's verification is theirs; their own
    Poso role stays in Poso, and the grant gives no other role in Donggala."""
    plt = poso["verifikator_aset"]
    _grant(plt, Role.VERIFIKATOR_DINAS, donggala["pimpinan"].region, donggala["pimpinan"])
    process = start_proposal(donggala["pengusul"])
    assert act(plt, process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302
    aset = task_of(process, "verifikasi_aset")
    assert client_for(plt).get(f"/legalisasi/{process.pk}/").status_code == 200
    assert client_for(plt).post(task_url(aset)).status_code == 403  # BPKAD of Poso is not BPKAD of Donggala


def test_who_may_take_a_task_is_one_query_the_officials_then_the_grant_holders_each_once(
    donggala, poso, make_user, django_assert_num_queries
):
    """``Memo.users_preload`` reads the role's officials and the Plt./Plh. acting in it together: the
    officials by id, then the grant holders by grant; an official also holding a grant is listed once;
    a grant makes its holder a candidate for its own role and region only, in its period, while active."""
    pimpinan = donggala["pimpinan"]
    region = pimpinan.region
    official = donggala["verifikator_dinas"]
    second = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="verifikator.kedua")
    granted_later = make_user(Role.PENGUSUL, DONGGALA, username="plh.donggala")  # the lower id, the later grant
    granted_first = make_user(Role.PENGUSUL, DONGGALA, username="plt.donggala")
    gone = make_user(Role.PENGUSUL, DONGGALA, username="plt.nonaktif")
    _grant(granted_first, Role.VERIFIKATOR_DINAS, region, pimpinan)
    _grant(second, Role.VERIFIKATOR_DINAS, region, pimpinan)
    _grant(granted_later, Role.VERIFIKATOR_DINAS, region, pimpinan, kapasitas="plh")
    _grant(granted_later, Role.BAGIAN_HUKUM, region, pimpinan)
    _grant(gone, Role.VERIFIKATOR_DINAS, region, pimpinan)
    gone.is_active = False
    gone.save()
    _grant(poso["verifikator_aset"], Role.VERIFIKATOR_DINAS, poso["pimpinan"].region, poso["pimpinan"])
    _grant(donggala["pengusul"], Role.VERIFIKATOR_DINAS, region, pimpinan,
           starts_on=timezone.localdate() + dt.timedelta(days=1))
    keys = {(Role.VERIFIKATOR_DINAS, DONGGALA), (Role.BAGIAN_HUKUM, DONGGALA), (Role.VERIFIKATOR_DINAS, POSO)}

    memo = reminders.Memo()
    with django_assert_num_queries(1):
        memo.users_preload(keys)
        # what a message needs of each candidate came with them
        assert {(u.region.code, getattr(u, "notification_pref", None)) for us in memo.users.values() for u in us}
    assert memo.users[(Role.VERIFIKATOR_DINAS, DONGGALA)] == [official, second, granted_first, granted_later]
    assert memo.users[(Role.BAGIAN_HUKUM, DONGGALA)] == [donggala["bagian_hukum"], granted_later]
    assert memo.users[(Role.VERIFIKATOR_DINAS, POSO)] == [poso["verifikator_dinas"], poso["verifikator_aset"]]
    assert memo.raw_users == memo.users

    # an absent official: their substitute takes their place (one query more, for the substitutes)
    Absence.objects.create(user=official, starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                           substitute=granted_later, recorded_by=pimpinan)
    memo = reminders.Memo()
    with django_assert_num_queries(2):
        memo.users_preload(keys)
    assert memo.users[(Role.VERIFIKATOR_DINAS, DONGGALA)] == [granted_later, second, granted_first]
    raw = memo.raw_users[(Role.VERIFIKATOR_DINAS, DONGGALA)]
    assert raw == [official, second, granted_first, granted_later] and raw[0].away_for == granted_later.pk


def test_only_the_regions_pimpinan_records_a_grant(donggala, poso, make_user):
    plt = make_user(Role.PENGUSUL, DONGGALA, username="calon.plt")
    with pytest.raises(RuleViolation):
        _grant(plt, Role.VERIFIKATOR_DINAS, donggala["pimpinan"].region, poso["pimpinan"])
    assert client_for(donggala["verifikator_dinas"]).get("/pelimpahan/plt-plh/").status_code == 403


def test_a_reassignment_moves_the_task_notifies_both_and_is_in_the_audit_trail(donggala, poso, make_user, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    holder = donggala["verifikator_dinas"]
    assert task.owner == holder
    second = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="verifikator.2.donggala")
    url = f"/pelimpahan/pengguna/{holder.pk}/alihkan/"
    pimpinan = client_for(donggala["pimpinan"])
    assert pimpinan.get(url).status_code == 200
    assert client_for(poso["pimpinan"]).get(url).status_code == 404  # not their region
    # a note is required; a user of another role is not eligible
    assert pimpinan.post(url, {"tasks": [task.pk], "to_user": second.pk, "note": "  "}).status_code == 422
    refused = pimpinan.post(url, {"tasks": [task.pk], "to_user": donggala["bagian_hukum"].pk, "note": "Cuti"})
    assert refused.status_code == 422
    assert LegalisasiTask.objects.get(pk=task.pk).owner == holder

    response = pimpinan.post(url, {"tasks": [task.pk], "to_user": second.pk, "note": "Cuti melahirkan"})
    assert response.status_code == 302, response.content[:2000]
    task.refresh_from_db()
    assert (task.owner, task.status) == (second, STATUS.ASSIGNED)
    event = AuditEvent.objects.get(action=Action.TASK_REASSIGN, task_id=task.pk)
    assert event.actor == donggala["pimpinan"] and event.note == "Cuti melahirkan"
    assert (event.details["dari"], event.details["kepada"]) == (holder.username, second.username)
    told = set(Notification.objects.filter(task=task, kind=Kind.TASK_REASSIGNED).values_list("recipient", flat=True))
    assert told == {holder.pk, second.pk}
    # the new holder acts on it; the former one no longer can
    assert client_for(holder).post(task_url(task), decision(Hasil.DISETUJUI)).status_code == 403
    assert act(second, process, "verifikasi_dinas", decision(Hasil.DISETUJUI)).status_code == 302


def test_an_absent_officials_new_tasks_and_reminders_go_to_the_substitute(donggala, make_user, start_proposal):
    first = start_proposal(donggala["pengusul"])
    held = task_of(first, "verifikasi_dinas")
    official = donggala["verifikator_dinas"]
    assert held.owner == official
    substitute = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="pengganti.donggala")
    client = client_for(official)
    today = timezone.localdate()
    # the substitute must hold the same role in the same region
    assert client.post("/pelimpahan/ketidakhadiran/", {
        "starts_on": today, "ends_on": today + dt.timedelta(days=20), "substitute": donggala["bagian_hukum"].pk,
    }).status_code == 422
    response = client.post("/pelimpahan/ketidakhadiran/", {
        "starts_on": today, "ends_on": today + dt.timedelta(days=20), "substitute": substitute.pk, "note": "Cuti tahunan",
    })
    assert response.status_code == 302, response.content[:2000]
    assert Absence.objects.get().substitute == substitute
    assert AuditEvent.objects.filter(action=Action.ABSENCE_RECORD).count() == 1

    # a new task that would have been the official's goes to the substitute
    second = start_proposal(donggala["pengusul"])
    assert task_of(second, "verifikasi_dinas").owner == substitute

    # the reminders of the task the official still holds go to the substitute
    deadline = TaskDeadline.objects.get(task=held)
    with time_machine.travel(_at(deadline.due_on, 10), tick=False):
        reminders.reminders_create_due()
    recipients = set(Notification.objects.filter(task=held, kind__in=(Kind.DUE_SOON, Kind.DUE_TODAY))
                     .values_list("recipient", flat=True))
    assert recipients == {substitute.pk}


def test_deactivating_an_official_who_holds_tasks_asks_where_they_go_and_moves_them(donggala, make_user, start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    holder = donggala["verifikator_dinas"]
    second = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="verifikator.baru")
    admin = User.objects.create_superuser("admin", "admin@example.test", "admin-password-123")
    client = client_for(admin)
    url = f"/admin/accounts/user/{holder.pk}/change/"
    form = {
        "username": holder.username, "first_name": holder.first_name, "last_name": holder.last_name,
        "email": holder.email, "groups": list(holder.groups.values_list("pk", flat=True)),
        "region": holder.region_id, "jabatan": "", "nip": "", "phone": "",
        "date_joined_0": timezone.localtime(holder.date_joined).strftime("%Y-%m-%d"),
        "date_joined_1": timezone.localtime(holder.date_joined).strftime("%H:%M:%S"),
    }  # is_active left out: unticked
    refused = client.post(url, form)
    assert refused.status_code in (200, 422)
    assert "Alihkan tugasnya kepada" in refused.content.decode() and "masih memegang 1 tugas" in refused.content.decode()
    holder.refresh_from_db()
    assert holder.is_active
    # any other way of saving them inactive is refused too
    holder.is_active = False
    with pytest.raises(RuleViolation):
        holder.save()
    holder.refresh_from_db()

    response = client.post(url, {**form, "alihkan_tugas_kepada": second.pk, "catatan_pengalihan": "Pensiun"})
    assert response.status_code == 302, response.content.decode()[:3000]
    holder.refresh_from_db()
    task.refresh_from_db()
    assert not holder.is_active and task.owner == second
    assert AuditEvent.objects.filter(action=Action.TASK_REASSIGN, task_id=task.pk).exists()
    assert AuditEvent.objects.filter(action=Action.USER_DEACTIVATE, object_id=str(holder.pk)).exists()
    assert not LegalisasiTask.objects.filter(owner__is_active=False, status=STATUS.ASSIGNED).exists()


@pytest.mark.django_db(transaction=True)
@needs_postgres
def test_a_reassignment_racing_a_decision_leaves_one_consistent_outcome(donggala, make_user, start_proposal):
    """The move and the decision take the same process lock: either the holder decided (and the move is
    refused: the task is finished) or the task moved (and the former holder's decision is refused)."""
    for attempt in range(3):
        target = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username=f"verifikator.race.{attempt}")
        process = start_proposal(donggala["pengusul"])
        task = task_of(process, "verifikasi_dinas")
        holder = donggala["verifikator_dinas"]
        assert client_for(holder).post(task_url(task, "assign")).status_code == 302
        barrier = threading.Barrier(2)
        results = {}

        def decide():
            client = client_for(holder)
            barrier.wait()
            try:
                results["decide"] = client.post(task_url(task), decision(Hasil.DISETUJUI)).status_code
            finally:
                connection.close()

        def move():
            barrier.wait()
            try:
                delegation.task_reassign(task_pk=task.pk, to_user=target, by=donggala["pimpinan"], note="Dinas luar")
                results["move"] = "moved"
            except RuleViolation:
                results["move"] = "refused"
            finally:
                connection.close()

        threads = [threading.Thread(target=decide), threading.Thread(target=move)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        task.refresh_from_db()
        decided = Keputusan.objects.filter(task=task).exists()
        moved = AuditEvent.objects.filter(action=Action.TASK_REASSIGN, task_id=task.pk).exists()
        assert decided != moved, (results, decided, moved)
        if decided:
            assert results == {"decide": 302, "move": "refused"} and task.owner == holder and task.status == STATUS.DONE
        else:
            assert results["move"] == "moved" and results["decide"] in (403, 409)
            assert (task.owner, task.status) == (target, STATUS.ASSIGNED)


def test_a_plt_kepala_daerah_signs_as_plt_and_the_sk_names_it(donggala, regions, start_proposal):
    """The draft SK's signer block names the Plt. who holds the signing task; the numbering form is
    prefilled with the capacity and the surat perintah, whose scan on file completes the SK."""
    import io

    from pypdf import PdfReader

    from accounts.services import user_create
    from sentra.models import SK
    from tests.flows.test_legalisasi_http import ASET_OK, sk_post

    wakil = user_create(username="wakil.bupati", password="x-password-123", roles=[], region=regions[DONGGALA],
                        first_name="Hamdan", last_name="Rampali")
    grant = _grant(wakil, Role.KEPALA_DAERAH, regions[DONGGALA], donggala["pimpinan"])
    process = start_proposal(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI))
    assets_recorded(process, donggala["verifikator_aset"])
    act(donggala["verifikator_aset"], process, "verifikasi_aset", ASET_OK)
    act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI))
    act(donggala["sekretariat_daerah"], process, "paraf_koordinasi", decision(Hasil.DIPARAF))
    signing = task_of(process, "penetapan_sk")
    assert client_for(wakil).post(task_url(signing, "assign")).status_code == 302
    pdf = client_for(wakil).get(f"/berkas/rancangan-sk/{process.pk}/pdf/")
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert "Plt. BUPATI DONGGALA" in text
    assert act(wakil, process, "penetapan_sk", decision(Hasil.DITANDATANGANI)).status_code == 302
    assert Keputusan.objects.get(task=signing).acting_grant == grant

    numbering = task_of(process, "penomoran_sk")
    page = client_for(donggala["bagian_hukum"]).get(task_url(numbering)).content.decode()
    assert 'value="800/17/BKPSDM/2026"' in page and "Hamdan Rampali" in page
    response = act(donggala["bagian_hukum"], process, "penomoran_sk", sk_post(
        process.region, **{"sk-penandatangan_nama": "Hamdan Rampali", "sk-penandatangan_kapasitas": "plt",
                           "sk-dasar_nomor": grant.basis_number, "sk-dasar_tanggal": grant.basis_date.isoformat(),
                           "sk-dasar_berlaku_sampai": grant.ends_on.isoformat()}))
    from tests.helpers import form_errors

    assert response.status_code == 302, form_errors(response)
    sk = SK.objects.get(pengelola=process.pengelola)
    assert (sk.penandatangan_kapasitas, sk.dasar_nomor) == ("plt", grant.basis_number)


@pytest.mark.parametrize("data", [
    {"starts_on": "２０２６-01-01", "ends_on": "x", "substitute": "9" * 30},
    {"starts_on": "2026-13-45", "ends_on": "\x00", "substitute": "١٢"},
    {"user": "99999999999999999999999", "starts_on": "", "ends_on": "", "substitute": ""},
])
def test_bad_input_on_the_pelimpahan_forms_is_refused_in_indonesian_and_changes_nothing(donggala, data):
    holder = donggala["verifikator_dinas"]
    for user, url in ((holder, "/pelimpahan/ketidakhadiran/"), (donggala["pimpinan"], "/pelimpahan/ketidakhadiran/"),
                      (donggala["pimpinan"], "/pelimpahan/plt-plh/"),
                      (donggala["pimpinan"], f"/pelimpahan/pengguna/{holder.pk}/alihkan/")):
        response = client_for(user).post(url, {**data, "tasks": ["1" * 40], "to_user": "-1", "note": "\u2028" * 3000,
                                               "basis_scan": "not a file", "role": "superuser"})
        assert response.status_code in (200, 422), (url, response.status_code)
    assert not Absence.objects.exists() and not ActingGrant.objects.exists()
    assert not AuditEvent.objects.filter(action__in=(Action.ABSENCE_RECORD, Action.ACTING_GRANT_RECORD,
                                                     Action.TASK_REASSIGN)).exists()


def test_the_reassignment_message_names_the_move_and_the_note(donggala, make_user, start_proposal, mailoutbox):
    from notifications.channels import send_email

    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    second = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="verifikator.2.donggala")
    delegation.task_reassign(task_pk=task.pk, to_user=second, by=donggala["pimpinan"], note="Dinas luar kota")
    bodies = {}
    for notification in Notification.objects.filter(kind=Kind.TASK_REASSIGNED, channel="email"):
        send_email(notification)
        bodies[notification.recipient_id] = mailoutbox[-1].body
    assert "dialihkan kepada Anda dari" in bodies[second.pk] and "Dinas luar kota" in bodies[second.pk]
    assert "dialihkan dari Anda kepada" in bodies[donggala["verifikator_dinas"].pk]
    assert all(m.subject.startswith("[SK Sentra] Tugas dialihkan:") for m in mailoutbox)
