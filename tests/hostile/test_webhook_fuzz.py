"""The WhatsApp webhook under generated bodies (issue 18.3): bodies drawn from the contract's schema
(``tests/contracts/whatsapp-cloud-api/``, the delivery statuses inside Meta's webhook envelope) and
bodies of any JSON shape, each correctly signed, never get a 5xx."""

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st
from hypothesis_jsonschema import from_schema

from notifications.models import Channel, Kind, Notification


APP_SECRET = "fuzz-app-secret"
URL = "/notifikasi/whatsapp/webhook/"
CONTRACT = json.loads(
    (Path(__file__).resolve().parents[1] / "contracts" / "whatsapp-cloud-api" / "messages.schema.json").read_text()
)
KNOWN_WAMID = "wamid.FUZZKNOWN"


def _webhook_schema() -> dict:
    """Meta's webhook envelope around the contract's ``Statuses`` objects (the part we read)."""
    status = {"allOf": [{"$ref": "#/$defs/Statuses"},
                        {"type": "object", "properties": {"biz_opaque_callback_data": {"type": "string"}}}]}
    value = {"type": "object", "properties": {
        "messaging_product": {"const": "whatsapp"},
        "metadata": {"type": "object", "properties": {"display_phone_number": {"type": "string"},
                                                      "phone_number_id": {"type": "string"}}},
        "statuses": {"type": "array", "items": status, "minItems": 1, "maxItems": 3},
    }, "required": ["statuses"]}
    change = {"type": "object", "properties": {"field": {"const": "messages"}, "value": value},
              "required": ["field", "value"]}
    entry = {"type": "object", "properties": {"id": {"type": "string"},
                                              "changes": {"type": "array", "items": change, "minItems": 1, "maxItems": 2}},
             "required": ["id", "changes"]}
    return {"$defs": CONTRACT["$defs"], "type": "object", "properties": {
        "object": {"const": "whatsapp_business_account"},
        "entry": {"type": "array", "items": entry, "minItems": 1, "maxItems": 2},
    }, "required": ["object", "entry"]}


KEYS = ["object", "entry", "id", "changes", "field", "value", "statuses", "status", "timestamp", "errors",
        "code", "title", "message", "recipient_id", "biz_opaque_callback_data", "error_data", "pricing"]
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
    | st.sampled_from(["sent", "delivered", "read", "failed", KNOWN_WAMID, "١٢٣", "²", "9" * 40, "-1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner,
                                                                 max_size=5),
    max_leaves=25,
)

FUZZ = hypothesis_settings(max_examples=60, deadline=None, derandomize=True,
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                  HealthCheck.data_too_large, HealthCheck.filter_too_much])


@pytest.fixture
def webhook(settings, donggala, start_proposal):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "verify-me"
    donggala["verifikator_dinas"].phone = "081234567890"
    donggala["verifikator_dinas"].save()
    start_proposal(donggala["pengusul"])
    row = Notification.objects.filter(kind=Kind.TASK_CREATED).first()
    Notification.objects.filter(pk=row.pk).update(provider_message_id=KNOWN_WAMID, channel=Channel.WHATSAPP)
    client = Client()

    def post(body) -> int:
        raw = json.dumps(body).encode()
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        return client.post(URL, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature).status_code

    return post


@pytest.mark.django_db
@FUZZ
@given(body=from_schema(_webhook_schema()), known=st.booleans(),
       callback=st.sampled_from(["", "7", "١٢٣", "²", "٣", "9" * 40, "-1", "abc"]))
def test_bodies_drawn_from_the_contract_never_get_a_server_error(webhook, body, known, callback):
    for entry in body["entry"]:
        for change in entry["changes"]:
            for status in change["value"]["statuses"]:
                if known:  # the status names a message we sent, so the notification is updated too
                    status["id"] = KNOWN_WAMID
                else:  # an unknown message: our callback data (the outbox id) is read instead
                    status["biz_opaque_callback_data"] = callback
    assert webhook(body) == 200


@pytest.mark.django_db
@FUZZ
@given(body=ANY_JSON)
def test_bodies_of_any_shape_never_get_a_server_error(webhook, body):
    assert webhook(body) < 500


@hypothesis_settings(max_examples=30, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(body=from_schema(_webhook_schema()))
def test_every_status_drawn_from_the_contract_is_read(body):
    """The parser reads what the contract describes: each drawn status with an id becomes a report."""
    from notifications.whatsapp import webhook_statuses

    drawn = [s for e in body["entry"] for c in e["changes"] for s in c["value"]["statuses"] if s["id"]]
    reports = webhook_statuses(body)
    drawn = [s for s in drawn if "\x00" not in s["id"]]  # NUL: no wamid (PostgreSQL cannot store it)
    assert [r.wamid for r in reports] == [s["id"][:128] for s in drawn]
    assert [r.status for r in reports] == [s["status"] for s in drawn]
