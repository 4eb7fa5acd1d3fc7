"""The WhatsApp channel against a local server speaking the Cloud API, and the webhook."""

import datetime as dt
import hashlib
import hmac
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from accounts.roles import Role
from flows import reminders
from notifications import delivery, outbox
from notifications.models import Channel, ChannelState, Kind, Notification, Status, WhatsAppStatus
from tests.fakes.cloud_api import FakeCloudAPI

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
NOON = dt.datetime(2026, 11, 2, 10, 0, tzinfo=WITA)
APP_SECRET = "test-app-secret"


@pytest.fixture
def cloud_api(settings):
    fake = FakeCloudAPI().start()
    settings.WHATSAPP_ENABLED = True
    settings.WHATSAPP_API_BASE_URL = fake.base_url
    settings.WHATSAPP_TOKEN = fake.token
    settings.WHATSAPP_PHONE_NUMBER_ID = fake.phone_number_id
    settings.WHATSAPP_API_VERSION = fake.version
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    settings.WHATSAPP_TIMEOUT_SECONDS = 1
    yield fake
    fake.stop()


@pytest.fixture
def wa_row(cloud_api, donggala, start_proposal):
    donggala["verifikator_dinas"].phone = "0812-3456-7890"
    donggala["verifikator_dinas"].save()
    with time_machine.travel(NOON, tick=False):
        start_proposal(donggala["pengusul"])
    return Notification.objects.get(kind=Kind.TASK_CREATED, channel=Channel.WHATSAPP)


def test_a_template_message_that_meets_the_contract_is_accepted(cloud_api, wa_row):
    assert delivery.notification_deliver(wa_row.pk, now=NOON)[0] == delivery.Outcome.SENT
    assert cloud_api.invalid == []
    body = cloud_api.requests[0]["body"]
    assert body["to"] == "6281234567890"
    assert body["template"]["name"] == "sksentra_tugas_baru" and body["template"]["language"] == {"code": "id"}
    texts = [p["text"] for p in body["template"]["components"][0]["parameters"]]
    assert texts[0] == "Verifikasi Disperindag" and wa_row.context["pengelola"] in texts
    assert body["biz_opaque_callback_data"] == str(wa_row.pk)
    wa_row.refresh_from_db()
    assert wa_row.status == Status.SENT and wa_row.provider_message_id.startswith("wamid.")


def test_a_transient_error_is_retried_later(cloud_api, wa_row):
    cloud_api.script = [("error", 130429)]
    outcome, delay = delivery.notification_deliver(wa_row.pk, now=NOON)
    wa_row.refresh_from_db()
    assert outcome == delivery.Outcome.RETRY and 1 <= delay <= 30
    assert wa_row.status == Status.PENDING and "130429" in wa_row.last_error
    assert delivery.notification_deliver(wa_row.pk, now=wa_row.not_before)[0] == delivery.Outcome.SENT


def test_a_hanging_provider_times_out_and_is_retried(cloud_api, wa_row):
    cloud_api.script = [("hang", 3)]
    assert delivery.notification_deliver(wa_row.pk, now=NOON)[0] == delivery.Outcome.RETRY
    wa_row.refresh_from_db()
    assert wa_row.status == Status.PENDING and "tidak terjangkau" in wa_row.last_error


def test_an_undeliverable_message_falls_back_to_email(cloud_api, wa_row, donggala):
    Notification.objects.filter(channel=Channel.EMAIL).delete()  # the user had chosen WhatsApp only
    cloud_api.script = [("error", 131026)]
    assert delivery.notification_deliver(wa_row.pk, now=NOON)[0] == delivery.Outcome.FAILED
    wa_row.refresh_from_db()
    assert wa_row.status == Status.FAILED and "131026" in wa_row.last_error
    email = Notification.objects.get(channel=Channel.EMAIL, kind=Kind.TASK_CREATED)
    assert delivery.notification_deliver(email.pk, now=NOON)[0] == delivery.Outcome.SENT
    assert mail.outbox[0].to == [donggala["verifikator_dinas"].email]
    assert "WhatsApp tidak dapat dikirim" in mail.outbox[0].body


def test_an_expired_token_stops_the_channel_and_alerts_the_operators(cloud_api, wa_row, donggala, make_user, start_proposal):
    admin = make_user(Role.PIMPINAN, "72", username="operator")
    admin.is_superuser = True
    admin.save()
    cloud_api.script = [("error", 190)]
    assert delivery.notification_deliver(wa_row.pk, now=NOON)[0] == delivery.Outcome.FAILED
    assert ChannelState.objects.get(channel=Channel.WHATSAPP).stopped
    alert = Notification.objects.get(kind=Kind.ALERT, recipient=admin)
    assert delivery.notification_deliver(alert.pk, now=NOON)[0] == delivery.Outcome.SENT
    assert "dihentikan" in mail.outbox[-1].subject
    # while stopped, new messages go by email only, and nothing more is sent to the Cloud API
    with time_machine.travel(NOON, tick=False):
        start_proposal(donggala["pengusul"])
    newest = Notification.objects.filter(kind=Kind.TASK_CREATED).order_by("-pk")
    assert newest.first().channel == Channel.EMAIL
    assert len(cloud_api.requests) == 1


def _signed(body: dict, secret: str = APP_SECRET) -> tuple[bytes, str]:
    raw = json.dumps(body).encode()
    return raw, "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def _statuses(wamid: str, *statuses: str, callback: str = "") -> dict:
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "statuses": [{"id": wamid, "status": s, "timestamp": str(1793000000 + i), "recipient_id": "6281234567890",
                      "biz_opaque_callback_data": callback} for i, s in enumerate(statuses)],
    }}]}]}


def test_the_webhook_subscription_handshake(cloud_api):
    client = Client()
    ok = client.get("/notifikasi/whatsapp/webhook/", {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get("/notifikasi/whatsapp/webhook/", {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "x"})
    assert bad.status_code == 403


def test_a_webhook_with_a_bad_signature_is_refused_and_stores_nothing(cloud_api, wa_row):
    delivery.notification_deliver(wa_row.pk, now=NOON)
    wa_row.refresh_from_db()
    raw, _ = _signed(_statuses(wa_row.provider_message_id, "delivered"))
    for header in ("sha256=" + "0" * 64, "", _signed({"other": 1})[1]):
        response = Client().post("/notifikasi/whatsapp/webhook/", raw, content_type="application/json",
                                 HTTP_X_HUB_SIGNATURE_256=header)
        assert response.status_code == 403
    assert WhatsAppStatus.objects.count() == 0
    wa_row.refresh_from_db()
    assert wa_row.status == Status.SENT


def test_duplicate_and_out_of_order_statuses_end_in_the_right_final_status(cloud_api, wa_row):
    delivery.notification_deliver(wa_row.pk, now=NOON)
    wa_row.refresh_from_db()
    wamid = wa_row.provider_message_id
    for statuses in (("read",), ("delivered", "sent"), ("read", "delivered"), ("failed",)):
        raw, signature = _signed(_statuses(wamid, *statuses, callback=str(wa_row.pk)))
        response = Client().post("/notifikasi/whatsapp/webhook/", raw, content_type="application/json",
                                 HTTP_X_HUB_SIGNATURE_256=signature)
        assert response.status_code == 200
    wa_row.refresh_from_db()
    assert wa_row.status == Status.READ
    assert sorted(WhatsAppStatus.objects.filter(wamid=wamid).values_list("status", flat=True)) == [
        "delivered", "failed", "read", "sent"
    ]
    assert not Notification.objects.filter(kind=Kind.TASK_CREATED, channel=Channel.EMAIL, context__fallback_reason__isnull=False).exists()


def test_a_failed_status_before_delivery_falls_back_to_email(cloud_api, wa_row):
    Notification.objects.filter(channel=Channel.EMAIL).delete()
    delivery.notification_deliver(wa_row.pk, now=NOON)
    wa_row.refresh_from_db()
    raw, signature = _signed(_statuses(wa_row.provider_message_id, "sent", "failed"))
    Client().post("/notifikasi/whatsapp/webhook/", raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature)
    wa_row.refresh_from_db()
    assert wa_row.status == Status.FAILED
    assert Notification.objects.filter(channel=Channel.EMAIL, kind=Kind.TASK_CREATED).count() == 1


@pytest.mark.parametrize("body", [
    {"entry": "x"},
    {"entry": [{"changes": "x"}]},
    {"entry": [{"changes": [["x"]]}]},
    {"entry": [{"changes": [{"value": {"statuses": ["x", 1, None]}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.1", "status": "failed", "errors": "x"}]}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.2", "status": "failed", "errors": {"code": 1}}]}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": [
        {"id": "wamid.3", "status": "failed", "errors": [{"code": "teks", "title": 5}]}]}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.4", "status": "sent", "timestamp": "9" * 40}]}}]}]},
    {"entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.5", "status": "sent", "timestamp": -5,
                                                      "biz_opaque_callback_data": "9" * 40}]}}]}]},
    [1, 2],
    "teks",
])
def test_a_signed_webhook_of_any_shape_is_answered_without_an_error(cloud_api, body):
    raw, signature = _signed(body)
    response = Client().post("/notifikasi/whatsapp/webhook/", raw, content_type="application/json",
                             HTTP_X_HUB_SIGNATURE_256=signature)
    assert response.status_code == 200
    # Statuses of unknown messages are kept once each, with what could be read of them.
    for status in WhatsAppStatus.objects.all():
        assert status.notification_id is None and (status.error_code is None or isinstance(status.error_code, int))
