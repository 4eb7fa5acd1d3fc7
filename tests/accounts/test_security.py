"""Request-wide protections: CSP, the health endpoint, upload limits, the admin, redacted logs."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.client import encode_multipart

from accounts.redaction import REDACTED, redact
from accounts.roles import Role
from sentra.services import pdf_check
from tests.conftest import DONGGALA, PASSWORD
from tests.helpers import client_for
from core.errors import RuleViolation

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_content_security_policy(client, make_user):
    login_page = client.get("/accounts/login/")
    policy = login_page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    inbox = client_for(make_user(Role.PENGUSUL, DONGGALA)).get("/legalisasi/", follow=True)
    assert inbox.status_code == 200 and inbox["Content-Security-Policy"] == policy


def test_healthz_answers_plain_http_from_inside_the_container(settings):
    """The probe calls http://127.0.0.1:8000/healthz/: no TLS, no public host name."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["sksentra.example.go.id"]
    probe = Client(HTTP_HOST="127.0.0.1:8000")
    response = probe.get("/healthz/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    # Every other path still gets the host check and the HTTPS redirect.
    assert probe.get("/accounts/login/").status_code == 400
    assert Client(HTTP_HOST="sksentra.example.go.id").get("/accounts/login/").status_code == 301


def test_healthz_reports_a_database_outage_as_503(monkeypatch):
    from workflow_project import health

    class BrokenConnection:
        def cursor(self):
            raise health_error

    health_error = RuntimeError("connection refused")
    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = Client().get("/healthz/")
    assert response.status_code == 503 and response.json()["status"] == "error"


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(settings, make_user):
    settings.SKSENTRA_MAX_REQUEST_BYTES = 50 * 1024 * 1024
    client = client_for(make_user(Role.PENGUSUL, DONGGALA))
    response = client.post("/legalisasi/", data=b"x", content_type="application/octet-stream",
                           CONTENT_LENGTH=str(60 * 1024 * 1024))
    assert response.status_code == 413
    assert "Unggahan terlalu besar" in response.content.decode()
    assert "Ukuran maksimum seluruh unggahan 50,0\xa0MB" in response.content.decode()


def test_an_oversized_file_is_cut_off_while_streaming_and_refused_by_the_form(settings):
    limit = settings.SKSENTRA_MAX_UPLOAD_BYTES  # 2 MB in the test settings
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (3 * limit), content_type="application/pdf")
    body = encode_multipart("BoUnDaRy", {"surat_permohonan": big})
    request = RequestFactory().generic(
        "POST", "/", data=body, content_type="multipart/form-data; boundary=BoUnDaRy"
    )
    uploaded = request.FILES["surat_permohonan"]
    # Never more than the limit plus one byte reaches memory or the temporary file.
    assert uploaded.size == limit + 1
    with pytest.raises(RuleViolation, match="terlalu besar"):
        pdf_check(uploaded, label="Surat permohonan")


def test_a_file_within_the_limit_arrives_whole(settings):
    content = b"%PDF-1.4\n" + b"1" * 1000
    body = encode_multipart("BoUnDaRy", {"f": SimpleUploadedFile("a.pdf", content)})
    request = RequestFactory().generic("POST", "/", data=body, content_type="multipart/form-data; boundary=BoUnDaRy")
    assert request.FILES["f"].read() == content


def test_the_admin_admits_staff_accounts_only(client, make_user):
    official = make_user(Role.KEPALA_DAERAH, DONGGALA)
    response = client_for(official).get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    refused = client.post("/admin/login/", {"username": official.username, "password": PASSWORD},
                          REMOTE_ADDR="192.0.2.10")
    assert refused.status_code == 422 and "_auth_user_id" not in client.session

    staff = make_user(Role.PIMPINAN, DONGGALA, username="staf.admin")
    staff.is_staff = True
    staff.save()
    staff_browser = Client(REMOTE_ADDR="192.0.2.10")
    admitted = staff_browser.post("/admin/login/?next=/admin/", {"username": staff.username, "password": PASSWORD})
    assert admitted.status_code == 302 and admitted["Location"] == "/admin/"
    assert staff_browser.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "line, hidden, shown",
    [
        ("kirim WA ke 081234567890 gagal", "081234567890", "62812****7890"),
        ("recipient=6281234567890 status=sent", "6281234567890", "62812****7890"),
        ("nomor +62 812-3456-7890", "812-3456-7890", "62812****7890"),
        ("Authorization: Bearer EAAGm0PX4ZCpsBAabcdefghijklmnop", "EAAGm0PX4ZCps", f"Bearer {REDACTED}"),
        ("GET /accounts/reset/MQ/cbn5xx-0123456789abcdef0123456789abcdef/ 200", "cbn5xx-0123",
         f"/reset/MQ/{REDACTED}/"),
        ("GET /webhook?hub.verify_token=rahasia123&hub.challenge=42", "rahasia123", REDACTED),
        ('{"access_token": "abc.def.ghi", "to": "62811000111"}', "abc.def.ghi", REDACTED),
        ("GET /berkas/x?X-Amz-Signature=deadbeef00&X-Amz-Credential=AKIA123", "deadbeef00", REDACTED),
    ],
)
def test_log_lines_never_carry_tokens_or_full_phone_numbers(line, hidden, shown):
    cleaned = redact(line, secrets=())
    assert hidden not in cleaned and shown in cleaned


@pytest.mark.parametrize(
    "line",
    [
        "72/REG-SENTRA/2026/0001 dicatat",  # register numbers
        "NIK 7203011234560001, NIB 9120001234567",  # identity numbers are not phone numbers
        "task 06234567-8901-4abc-9def-0123456789ab done in 0.0812345 s",
        "GET /legalisasi/42/verifikasi_dinas/107/execute/ 200",
    ],
)
def test_redaction_leaves_ordinary_log_lines_alone(line):
    assert redact(line, secrets=()) == line


def test_every_log_record_is_redacted_whoever_emits_it(settings):
    """Records are redacted when created, so Celery's own handlers print the masked text as well."""
    settings.WHATSAPP_TOKEN = "rahasia-token-whatsapp-xyz"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # a handler without our filter, like Celery's
    log = logging.getLogger("tests.redaction")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        log.info("sending to %s with token %s", "081234567890", "rahasia-token-whatsapp-xyz")
    finally:
        log.removeHandler(handler)
    assert stream.getvalue().strip() == f"sending to 62812****7890 with token {REDACTED}"
