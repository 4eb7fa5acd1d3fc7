"""The audit trail: every act recorded, hash-chained, tamper-evident, and readable by auditors only."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from pypdf import PdfReader

from audit.models import Action, AuditEvent
from audit.services import SYSTEM_USERNAME, chain_verify
from flows.models import Hasil, Keputusan
from sentra.models import SK, Dokumen, Pengelola, Sentra
from tests.flows.test_legalisasi_http import sign_and_number, sk_post, start_over_http, through_verification
from tests.helpers import act, client_for, decision, needs_postgres, task_of

pytestmark = pytest.mark.django_db

STEP_TITLES = ["Disetujui", "Dikembalikan untuk perbaikan", "Rancangan SK diparaf", "SK ditandatangani",
               "SK dinomori dan diautentikasi", "SK dicatat provinsi",
               "Masuk register provinsi", "Usulan diajukan", "Perbaikan diajukan"]


@pytest.fixture
def full_process(donggala, province):
    """A proposal carried through every step over HTTP, with one return for revision on the way."""
    from tests.flows.test_legalisasi_http import usulan_post
    from tests.helpers import task_url

    process = start_over_http(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas",
        decision(Hasil.DIKEMBALIKAN, "=HYPERLINK(\"http://evil\") berita acara belum lengkap"))
    perbaikan = task_of(process, "perbaikan")
    client_for(donggala["pengusul"]).post(task_url(perbaikan), usulan_post(process.region, files=False))
    through_verification(process, donggala)
    sign_and_number(process, donggala, sk_post(process.region, nomor="100.3.3.2/77/DISPERINDAG/2026"))
    act(province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT, "Sesuai."))
    process.refresh_from_db()
    return process


def test_every_act_of_a_full_process_is_an_event_with_actor_role_and_region(full_process, donggala):
    actions = list(AuditEvent.objects.filter(process_id=full_process.pk).values_list("action", flat=True))
    for expected in (Action.PROCESS_START, Action.DECISION_RETURN, Action.PROCESS_RESUBMIT, Action.TASK_CLAIM,
                     Action.DECISION_APPROVE, Action.DRAFT_PARAF, Action.SK_SIGNED, Action.SK_NUMBERED,
                     Action.SK_RECORDED, Action.REGISTER_ENTRY,
                     Action.DOCUMENT_UPLOAD):
        assert expected in actions, expected
    ret = AuditEvent.objects.get(process_id=full_process.pk, action=Action.DECISION_RETURN)
    assert ret.actor == donggala["verifikator_dinas"] and ret.role == "verifikator_dinas" and ret.region == "72.03"
    assert ret.note.startswith("=HYPERLINK") and ret.ip == "127.0.0.1"
    register = AuditEvent.objects.get(action=Action.REGISTER_ENTRY)
    assert register.details["nomor_register"].startswith("72/REG-SENTRA/")
    assert chain_verify().ok


def test_logins_logouts_failed_logins_and_downloads_are_recorded(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 13) Chrome")
    client.post("/accounts/login/", {"username": donggala["verifikator_dinas"].username, "password": "salah"})
    assert client.post("/accounts/login/", {"username": donggala["verifikator_dinas"].username,
                                            "password": "test-password-123"}).status_code == 302
    dokumen = Dokumen.objects.filter(pengelola=process.pengelola).first()
    assert client.get(dokumen.get_absolute_url()).status_code == 200
    client.post("/accounts/logout/")
    events = {e.action: e for e in AuditEvent.objects.filter(action__in=[Action.LOGIN, Action.LOGIN_FAILED,
                                                                         Action.LOGOUT, Action.DOCUMENT_DOWNLOAD])}
    assert set(events) == {Action.LOGIN, Action.LOGIN_FAILED, Action.LOGOUT, Action.DOCUMENT_DOWNLOAD}
    assert events[Action.LOGIN_FAILED].actor_username == donggala["verifikator_dinas"].username
    assert "salah" not in json.dumps(events[Action.LOGIN_FAILED].canonical())
    assert events[Action.LOGIN].user_agent.startswith("Mozilla/5.0") and events[Action.LOGIN].ip == "127.0.0.1"
    assert events[Action.DOCUMENT_DOWNLOAD].details["sha256"] == dokumen.sha256


def test_changes_outside_a_web_request_name_the_system_user(regions):
    sentra = Sentra.objects.create(region=regions["72.03"], name="Sentra Uji", komoditas="kopi", alamat="Jl. Uji")
    record = sentra.history.get()
    assert record.history_user.username == SYSTEM_USERNAME


def test_no_history_row_is_left_without_an_actor(full_process):
    for model in (Pengelola, Dokumen, SK, Keputusan):
        assert not model.history.filter(history_user__isnull=True).exists(), model


def test_the_auditor_timeline_has_every_step_decision_note_and_document(full_process, province):
    client = client_for(province["auditor"])
    page = client.get(f"/audit/usulan/{full_process.pk}/").content.decode()
    for title in STEP_TITLES:
        assert title in page, title
    for note in Keputusan.objects.filter(process=full_process).exclude(catatan="").values_list("catatan", flat=True):
        assert note.replace('"', "&quot;") in page
    for d in Dokumen.objects.filter(pengelola=full_process.pengelola):
        assert d.sha256 in page
    assert SK.objects.get(status="berlaku").nomor in page
    assert "Anggota IKM" in page and "&rarr;" not in page and "→" in page  # field diffs old → new


def test_the_as_decided_view_shows_the_versions_the_official_had(full_process, province):
    first = Keputusan.objects.filter(process=full_process, langkah="verifikasi_dinas").order_by("pk").first()
    page = client_for(province["auditor"]).get(f"/audit/usulan/{full_process.pk}/keputusan/{first.pk}/").content.decode()
    assert "=HYPERLINK" in page  # the decision's note
    for d in Dokumen.objects.filter(pengelola=full_process.pengelola, uploaded_at__lte=first.dibuat):
        assert d.sha256 in page
    assert "100.3.3.2/77" not in page  # the SK came later: it is not part of what was decided on


def test_the_csv_parses_and_formula_cells_are_neutralised(full_process, province):
    response = client_for(province["auditor"]).get(f"/audit/usulan/{full_process.pk}/linimasa.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "waktu" and len(rows) > 10
    notes = [row[6] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://evil\") berita acara belum lengkap" in notes
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_the_pdf_report_names_the_sk_and_every_step(full_process, province):
    response = client_for(province["auditor"]).get(f"/audit/usulan/{full_process.pk}/laporan.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "100.3.3.2/77/DISPERINDAG/2026" in text
    for title in STEP_TITLES:
        assert title in text, title


def test_the_evidence_package_holds_documents_that_match_their_hashes(full_process, province):
    response = client_for(province["auditor"]).get(f"/audit/usulan/{full_process.pk}/bukti.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"laporan.pdf", "linimasa.csv", "peristiwa.json", "SHA256SUMS", "rantai.json"} <= names
    for line in archive.read("SHA256SUMS").decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    events = json.loads(archive.read("peristiwa.json"))
    from audit.services import event_hash

    for e in events:
        content = {k: v for k, v in e.items() if k not in ("prev_hash", "hash")}
        assert event_hash(e["prev_hash"], content) == e["hash"]


def test_the_auditor_reads_everything_and_changes_nothing(full_process, province, donggala):
    client = client_for(province["auditor"])
    for url in ("/audit/", f"/audit/?region=72.03&tahap=tercatat", f"/audit/usulan/{full_process.pk}/",
                f"/legalisasi/{full_process.pk}/"):
        assert client.get(url).status_code == 200, url
    # Each refusal is itself recorded (ACCESS_DENIED, issue 18.11); nothing else may change.
    before = AuditEvent.objects.exclude(action="access_denied").count()
    for url in ("/audit/", f"/audit/usulan/{full_process.pk}/", f"/audit/usulan/{full_process.pk}/linimasa.csv",
                f"/legalisasi/{full_process.pk}/cancel/", "/admin/audit/auditevent/1/delete/"):
        for method in ("post", "put", "delete"):
            assert getattr(client, method)(url).status_code == 403, (method, url)
    assert AuditEvent.objects.exclude(action="access_denied").count() == before
    assert AuditEvent.objects.filter(action="access_denied", actor=province["auditor"]).exists()
    # and officials are not auditors
    assert client_for(donggala["verifikator_dinas"]).get(f"/audit/usulan/{full_process.pk}/").status_code == 403


def test_auditor_pages_cost_a_bounded_number_of_queries_whatever_the_history(full_process, province,
                                                                             django_assert_max_num_queries):
    client = client_for(province["auditor"])
    url = f"/audit/usulan/{full_process.pk}/"
    client.get(url)
    with django_assert_max_num_queries(40) as short:
        client.get(url)
    pengelola = full_process.pengelola
    for i in range(40):  # a long history: forty edits of the pengelola, forty downloads
        pengelola.alamat = f"Jl. Baru No. {i}"
        pengelola.save()
        client_for(province["pencatat_provinsi"]).get(Dokumen.objects.filter(pengelola=pengelola).first().get_absolute_url())
    with django_assert_max_num_queries(40) as long:
        client.get(url)
    assert len(long.captured_queries) == len(short.captured_queries)
    for url in (f"{url}linimasa.csv", f"{url}laporan.pdf"):
        with django_assert_max_num_queries(40):
            client.get(url)


def test_verify_audit_chain_reports_an_intact_chain(full_process, capsys):
    call_command("verify_audit_chain")
    assert "Rantai audit utuh" in capsys.readouterr().out


@needs_postgres
def test_the_database_refuses_update_and_delete_of_audit_events(full_process):
    for sql in ("UPDATE audit_auditevent SET note = 'diubah' WHERE seq = 2", "DELETE FROM audit_auditevent WHERE seq = 2"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert chain_verify().ok


@needs_postgres
@pytest.mark.parametrize("tamper, reason", [
    ("UPDATE audit_auditevent SET note = 'tidak ada catatan' WHERE seq = 3", "isi peristiwa #3 telah diubah"),
    ("DELETE FROM audit_auditevent WHERE seq = 3", "peristiwa #3 hilang"),
    ("DELETE FROM audit_auditevent WHERE seq = (SELECT max(seq) FROM audit_auditevent)", "peristiwa terakhir"),
])
def test_a_superuser_who_disables_the_trigger_is_still_caught_by_the_chain(full_process, tamper, reason):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred FK checks of the setup first
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(tamper)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    report = chain_verify()
    assert not report.ok and reason in report.reason
    with pytest.raises(CommandError, match="RUSAK"):
        call_command("verify_audit_chain")


def test_a_broken_chain_alerts_the_operators(full_process, make_user):
    from accounts.roles import Role
    from oversight.services import audit_chain_check
    from notifications.models import Kind, Notification

    operator = make_user(Role.PIMPINAN, "72", username="operator")
    operator.is_superuser = True
    operator.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
            cursor.execute("UPDATE audit_auditevent SET note = 'x' WHERE seq = 4")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    else:  # SQLite has no trigger: the chain is the only defence there
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET note = 'x' WHERE seq = 4")
    report = audit_chain_check()
    assert not report.ok and report.broken_seq == 4
    alert = Notification.objects.get(kind=Kind.ALERT, recipient=operator)
    assert "Rantai audit rusak" in alert.context["reason"] and "#4" in alert.context["reason"]


def test_cancelling_a_proposal_is_recorded(donggala, start_proposal, make_user):
    from accounts.roles import Role

    process = start_proposal(donggala["pengusul"])
    admin = make_user(Role.PIMPINAN, "72", username="admin")
    admin.is_superuser = True
    admin.save()
    response = client_for(admin).post(f"/legalisasi/{process.pk}/cancel/", {"_cancel_process": "1"})
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == "CANCELED"
    event = AuditEvent.objects.get(action=Action.PROCESS_CANCEL)
    assert event.actor == admin and event.process_id == process.pk


def test_a_batch_chains_its_events_in_the_order_recorded_and_a_failed_one_writes_none(regions):
    from audit.services import event_record, events_batch

    event_record(action=Action.CHAIN_VERIFIED, details={"n": 0})
    with transaction.atomic(), events_batch():
        for n in (1, 2, 3):
            event_record(action=Action.CHAIN_VERIFIED, details={"n": n})
        assert AuditEvent.objects.count() == 1  # written when the batch ends
    assert list(AuditEvent.objects.order_by("seq").values_list("details__n", flat=True)) == [0, 1, 2, 3]
    with pytest.raises(RuntimeError), transaction.atomic(), events_batch():
        event_record(action=Action.CHAIN_VERIFIED, details={"n": 4})
        raise RuntimeError("the decision failed")
    assert AuditEvent.objects.count() == 4
    report = chain_verify()
    assert report.ok and report.head_seq == 4
