"""The signed SK: a real PDF within the size limit, its SHA-256 kept, its number unique per kab/kota
and year down to the database."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import Action, AuditEvent

from flows.demo import checked_pdf, pdf_bytes
from sentra.models import SK
from sentra.services import sk_create, sk_record
from tests.flows.test_legalisasi_http import sign_and_number, sk_post, through_verification
from tests.helpers import act, form_errors, needs_postgres, task_of
from core.errors import RuleViolation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("sk-ttd.pdf", b"PK\x03\x04" + b"\x00" * 300, "application/pdf"), "bukan berkas PDF"),
        (SimpleUploadedFile("sk-ttd.pdf", b"<html><body>SK</body></html>", "application/pdf"), "bukan berkas PDF"),
        (
            SimpleUploadedFile("sk-ttd.pdf", pdf_bytes("SK Bupati")[:300], "application/pdf"),
            "rusak atau tidak dapat dibuka",
        ),
        (
            SimpleUploadedFile("sk-ttd.pdf", b"%PDF-1.7\n%%EOF garbage", "application/pdf"),
            "rusak atau tidak dapat dibuka",
        ),
        (
            SimpleUploadedFile("sk-ttd.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024), "application/pdf"),
            "terlalu besar",
        ),
    ],
    ids=["renamed-docx", "renamed-html", "truncated-pdf", "broken-pdf", "oversized"],
)
def test_a_signed_sk_that_is_not_a_whole_pdf_within_the_limit_is_refused_with_a_clear_message(
    donggala, start_proposal, upload, message
):
    assert settings.SKSENTRA_MAX_UPLOAD_BYTES == 2 * 1024 * 1024
    process = start_proposal(donggala["pengusul"])
    through_verification(process, donggala)
    response = sign_and_number(process, donggala, sk_post(process.region, **{"sk-signed_pdf": upload})
    )
    assert response.status_code in (200, 422)
    errors = form_errors(response)
    assert message in errors and "SK bertanda tangan" in errors
    assert not SK.objects.exists()
    assert task_of(process, "penomoran_sk").finished is None


def test_the_signed_pdf_is_judged_by_its_content_not_its_name(donggala, start_proposal):
    process = start_proposal(donggala["pengusul"])
    through_verification(process, donggala)
    real = SimpleUploadedFile("scan-ttd.bin", pdf_bytes("Keputusan Bupati Donggala"), "application/octet-stream")
    response = sign_and_number(process, donggala, sk_post(process.region, **{"sk-signed_pdf": real})
    )
    assert response.status_code == 302, form_errors(response)
    sk = SK.objects.get()
    import hashlib

    assert sk.sha256 == hashlib.sha256(pdf_bytes("Keputusan Bupati Donggala")).hexdigest()
    assert sk.region_id == "72.03" and sk.tahun == sk.tanggal.year


def _fields(nomor, *, days_ago=1):
    return {
        "nomor": nomor,
        "tanggal": timezone.localdate() - datetime.timedelta(days=days_ago),
        "penandatangan_nama": "Vera Elena Laruni",
        "penandatangan_kapasitas": "definitif",
        "srikandi_ref": "SRIKANDI/2026/000123",
    }


def test_the_database_holds_an_sk_number_once_per_kabupaten_and_year(donggala, poso, start_proposal):
    first = start_proposal(donggala["pengusul"])
    second = start_proposal(donggala["pengusul"])
    elsewhere = start_proposal(poso["pengusul"])
    nomor = "100.3.3.2/45/DISPERINDAG/2026"
    sk = sk_create(
        pengelola=first.pengelola, fields=_fields(nomor), pdf=checked_pdf("a"), salinan=checked_pdf("a"), user=donggala["kepala_daerah"]
    )

    folder = f"sk/72.03/{second.pengelola_id}"

    def stored():  # the folder's files (on SQLite an earlier test's rolled-back id may have left some)
        return set(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else set()

    before = stored()
    with pytest.raises(RuleViolation) as refused:
        sk_create(
            pengelola=second.pengelola,
            fields=_fields(nomor.lower()),
            pdf=checked_pdf("b"), salinan=checked_pdf("b"),
            user=donggala["kepala_daerah"],
        )
    year = sk.tanggal.year
    assert refused.value.messages == [f"Nomor SK {nomor.lower()} sudah tercatat untuk wilayah ini pada tahun {year}."]
    assert refused.value.field == "nomor"
    # the refused SK's scans, stored before the database said no, are not left behind
    assert stored() == before
    # Past the service, straight to the database: the constraint refuses it too.
    twin = SK(
        pengelola=second.pengelola,
        region_id="72.03",
        nomor=nomor.lower(),
        tanggal=sk.tanggal,
        penandatangan_nama="Vera Elena Laruni",
        penandatangan_kapasitas="definitif",
        file=sk.file.name,
        sha256="0" * 64,
        ditetapkan_oleh=donggala["kepala_daerah"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()

    # Another kab/kota, or the same number of an SK replaced under the old return rule, is accepted.
    sk_create(pengelola=elsewhere.pengelola, fields=_fields(nomor), pdf=checked_pdf("c"), salinan=checked_pdf("c"), user=poso["kepala_daerah"])
    sk.status = "diganti"  # returned and replaced under the old rule
    sk.save()
    again = sk_create(
        pengelola=first.pengelola, fields=_fields(nomor), pdf=checked_pdf("d"), salinan=checked_pdf("d"), user=donggala["kepala_daerah"]
    )
    assert again.srikandi_ref == "SRIKANDI/2026/000123" and again.region_id == "72.03"


def test_numbering_reads_neither_the_numbers_taken_nor_the_process_and_the_upload_names_the_process_held(
    donggala, start_proposal
):
    """The number's uniqueness is the database's (no SELECT before the INSERT); the audit trail's upload
    event names the proposal the caller holds, without reading it again (``audit.services.process_attach``)."""
    process = start_proposal(donggala["pengusul"])
    with CaptureQueriesContext(connection) as ctx:
        sk = sk_create(pengelola=process.pengelola, fields=_fields("100.3.3.2/46/DISPERINDAG/2026"),
                       pdf=checked_pdf("a"), salinan=checked_pdf("a"), user=donggala["kepala_daerah"], process=process)
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not [q for q in reads if 'FROM "sentra_sk"' in q], reads
    assert not [q for q in reads if 'FROM "viewflow_process"' in q or 'FROM "flows_legalisasiprocess"' in q], reads
    upload = AuditEvent.objects.get(action=Action.DOCUMENT_UPLOAD, object_type="sentra.sk", object_id=str(sk.pk))
    assert (upload.process_id, upload.region) == (process.pk, "72.03")

    # without the process, the event names the pengelola's latest proposal, as before
    other = start_proposal(donggala["pengusul"])
    sk = sk_create(pengelola=other.pengelola, fields=_fields("100.3.3.2/47/DISPERINDAG/2026"),
                   pdf=checked_pdf("b"), salinan=checked_pdf("b"), user=donggala["kepala_daerah"])
    upload = AuditEvent.objects.get(action=Action.DOCUMENT_UPLOAD, object_type="sentra.sk", object_id=str(sk.pk))
    assert upload.process_id == other.pk


def _blocking_others(timeout: float = 10.0) -> bool:
    """Wait until another connection waits for a lock this connection's transaction holds."""
    deadline = timezone.now() + datetime.timedelta(seconds=timeout)
    with connection.cursor() as cursor:
        while timezone.now() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted"
                           " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_commits", [True, False], ids=["first-commits", "first-rolls-back"])
def test_a_second_numbering_of_a_number_being_recorded_waits_and_is_refused_only_if_the_first_commits(
    donggala, start_proposal, first_commits
):
    """Two officials number the same SK number at once: the second INSERT waits on the first's uncommitted
    row in the constraint's index; it gets the form's message (field ``nomor``) if the first commits, and
    the number if the first rolls back."""
    first, second = (start_proposal(donggala["pengusul"]) for _ in range(2))
    nomor = "100.3.3.2/78/DISPERINDAG/2026"
    inserted = threading.Event()
    outcome = {}

    def record_first():
        try:
            with transaction.atomic():
                sk_create(pengelola=first.pengelola, fields=_fields(nomor), pdf=checked_pdf("first"),
                          salinan=checked_pdf("first"), user=donggala["kepala_daerah"])
                inserted.set()
                outcome["blocked"] = _blocking_others()
                transaction.set_rollback(not first_commits)
        finally:
            inserted.set()
            connection.close()

    def record_second():
        try:
            assert inserted.wait(30)
            with transaction.atomic():
                sk_create(pengelola=second.pengelola, fields=_fields(nomor.lower()), pdf=checked_pdf("second"),
                          salinan=checked_pdf("second"), user=donggala["kepala_daerah"])
            outcome["second"] = "ok"
        except RuleViolation as exc:
            outcome["second"] = (exc.messages[0], exc.field)
        finally:
            connection.close()

    threads = [threading.Thread(target=record_first), threading.Thread(target=record_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome["blocked"], "the second numbering never waited on the first"
    year = _fields(nomor)["tanggal"].year
    if first_commits:
        message = f"Nomor SK {nomor.lower()} sudah tercatat untuk wilayah ini pada tahun {year}."
        assert outcome["second"] == (message, "nomor")
        assert list(SK.objects.values_list("pengelola", flat=True)) == [first.pengelola_id]
    else:
        assert outcome["second"] == "ok"
        assert list(SK.objects.values_list("pengelola", flat=True)) == [second.pengelola_id]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_officials_recording_one_number_at_once_get_one_sk_and_a_clear_message(donggala, start_proposal):
    processes = [start_proposal(donggala["pengusul"]) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def record(process):
        try:
            barrier.wait()
            with transaction.atomic():
                sk_create(
                    pengelola=process.pengelola,
                    fields=_fields("100.3.3.2/77/DISPERINDAG/2026"),
                    pdf=checked_pdf(f"sk {process.pk}"), salinan=checked_pdf(f"sk {process.pk}"),
                    user=donggala["kepala_daerah"],
                )
            outcomes.append("ok")
        except RuleViolation as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(p,)) for p in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[1] == "ok" and "sudah tercatat" in sorted(outcomes)[0], outcomes
    assert SK.objects.count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_sks_recorded_at_once_get_twenty_consecutive_register_numbers(donggala, province, start_proposal):
    sks = [
        sk_create(
            pengelola=start_proposal(donggala["pengusul"]).pengelola,
            fields=_fields(f"100.3.3.2/{i}/DISPERINDAG/2026"),
            pdf=checked_pdf(f"SK {i}"), salinan=checked_pdf(f"SK {i}"),
            user=donggala["kepala_daerah"],
        )
        for i in range(1, 21)
    ]
    barrier = threading.Barrier(len(sks))
    errors = []

    def record(sk):
        try:
            barrier.wait()
            with transaction.atomic():
                sk_record(sk=SK.objects.get(pk=sk.pk), user=province["pencatat_provinsi"])
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(sk,)) for sk in sks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(SK.objects.values_list("nomor_register", flat=True))
    assert numbers == [f"72/REG-SENTRA/{year}/{i:04d}" for i in range(1, 21)]
    assert set(SK.objects.values_list("status", flat=True)) == {"berlaku"}
