"""Webhooks: a subscriber on loopback receives a signed event when an SK is recorded; a bad one is retried."""

import hashlib
import hmac
import http.server
import json
import threading

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscriber
from api.tasks import webhook_deliver
from api.webhooks import deliveries_create
from api.webhooks import MAX_ATTEMPTS, SIGNATURE_HEADER, backoff_seconds

from flows import services
from flows.demo import advance, change_data, checked_pdf
from flows.operations import change_start, open_task, revocation_start, task_act
from sentra.choices import KapasitasPenandatangan
from sentra.models import SK

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    """An HTTP server on 127.0.0.1 that records what it receives and answers ``status[0]``."""
    received, status = [], [204]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers, body))  # case-insensitive, as HTTP headers are
            self.send_response(status[0])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleReceiver(f"http://127.0.0.1:{server.server_port}/hook", received, status)
    server.shutdown()


class SimpleReceiver:
    def __init__(self, url, received, status):
        self.url, self.received, self.status = url, received, status


def _record(users, start_proposal, donggala, regions):
    process = start_proposal(donggala["pengusul"])
    advance(process, users, regions["72.03"], "tercatat", seed=21)
    return SK.objects.get(pengelola=process.pengelola)


def test_a_subscriber_receives_a_signed_event_when_an_sk_is_recorded(
        receiver, users, start_proposal, donggala, regions, django_capture_on_commit_callbacks):
    province = WebhookSubscriber.objects.create(name="SIINas", url=receiver.url, secret="s3cret", region=regions["72"])
    poso_only = WebhookSubscriber.objects.create(name="Poso", url=receiver.url, secret="x", region=regions["72.02"])
    with django_capture_on_commit_callbacks(execute=False):
        sk = _record(users, start_proposal, donggala, regions)
    assert not WebhookDelivery.objects.exists()  # nothing is written in the recording's transaction
    [made] = deliveries_create(sk.pk)  # what webhook_fanout does after the commit
    delivery = WebhookDelivery.objects.get(sk_id=sk.pk)
    assert delivery.pk == made and delivery.subscriber == province
    assert not WebhookDelivery.objects.filter(subscriber=poso_only).exists()
    webhook_deliver.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 1
    headers, body = receiver.received[0]
    timestamp, sent = dict(part.split("=", 1) for part in headers[SIGNATURE_HEADER].split(",")).values()
    expected = hmac.new(b"s3cret", f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(sent, expected)
    event = json.loads(body)
    assert event["event"] == "sk.dicatat" and event["data"]["nomor_register"] == sk.nomor_register
    # saving the SK again (e.g. the kab/kota answers notes) sends nothing twice
    sk.save()
    assert deliveries_create(sk.pk) == [] and WebhookDelivery.objects.filter(sk_id=sk.pk).count() == 1


def test_a_bad_receiver_is_retried_with_backoff_and_given_up(
        receiver, users, start_proposal, donggala, regions, django_capture_on_commit_callbacks):
    receiver.status[0] = 500
    WebhookSubscriber.objects.create(name="Rusak", url=receiver.url, secret="k", region=regions["72.03"])
    with django_capture_on_commit_callbacks(execute=False):
        sk = _record(users, start_proposal, donggala, regions)
    deliveries_create(sk.pk)
    delivery = WebhookDelivery.objects.get(sk_id=sk.pk)
    webhook_deliver.apply(args=[delivery.pk])  # eager: each retry runs at once
    delivery.refresh_from_db()
    assert delivery.attempts == MAX_ATTEMPTS == len(receiver.received)
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.response_code == 500
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120] and backoff_seconds(50) == 6 * 3600


def test_amending_and_revoking_an_sk_fire_their_events_once_with_the_chain(
        receiver, users, start_proposal, donggala, regions, django_capture_on_commit_callbacks):
    """Issue 17 with issue 15: ``sk.diubah`` when a later SK amends a recorded SK, ``sk.dicabut`` when one
    revokes it; each once per SK and subscriber, with the later SK's number in the body."""
    WebhookSubscriber.objects.create(name="SIINas", url=receiver.url, secret="s3cret", region=regions["72"])
    with django_capture_on_commit_callbacks(execute=False):
        first = _record(users, start_proposal, donggala, regions)
    deliveries_create(first.pk)

    def decide(process, step, user, hasil):
        task_act(task=open_task(process, step), user=user,
                 action=lambda a: services.step_decide(activation=a, user=user, hasil=hasil))

    def legal_steps_and_number(process, nomor):
        decide(process, "harmonisasi_hukum", donggala["bagian_hukum"], "disetujui")
        decide(process, "paraf_koordinasi", donggala["sekretariat_daerah"], "diparaf")
        decide(process, "penetapan_sk", donggala["kepala_daerah"], "ditandatangani")
        task_act(task=open_task(process, "penomoran_sk"), user=donggala["bagian_hukum"],
                 action=lambda a: services.penomoran_sk_decide(
                     activation=a, user=donggala["bagian_hukum"], hasil="dinomori",
                     sk_fields={"nomor": nomor, "tanggal": timezone.localdate(), "penandatangan_nama": "Vera Laruni",
                                "penandatangan_kapasitas": KapasitasPenandatangan.DEFINITIF, "srikandi_ref": ""},
                     pdf=checked_pdf("SK"), salinan=checked_pdf("Salinan")))
        task_act(task=open_task(process, "pencatatan_provinsi"), user=users[("pencatat_provinsi", "72")],
                 action=lambda a: services.pencatatan_provinsi_decide(
                     activation=a, user=users[("pencatat_provinsi", "72")], hasil="dicatat"))

    with django_capture_on_commit_callbacks(execute=False):
        amendment = change_start(user=donggala["pengusul"], sk=first, jenis="perubahan", data=change_data(first.pengelola))
        decide(amendment, "verifikasi_dinas", donggala["verifikator_dinas"], "disetujui")
        legal_steps_and_number(amendment, "100.3.3.2/500/DISPERINDAG/2026")
    second = SK.objects.get(mengubah=first)
    deliveries_create(first.pk)
    amended = WebhookDelivery.objects.get(sk_id=first.pk, event="sk.diubah")
    assert amended.payload["data"]["diubah_dengan"]["nomor"] == "100.3.3.2/500/DISPERINDAG/2026"
    assert amended.payload["data"]["status"] == "Diubah dengan Keputusan lain"

    with django_capture_on_commit_callbacks(execute=False):
        revocation = revocation_start(user=donggala["verifikator_dinas"], sk=second, reason="pembubaran",
                                      grounds="Rapat anggota membubarkan koperasi pengelola pada 2 Oktober.",
                                      evidence=checked_pdf("BA pembubaran"))
        legal_steps_and_number(revocation, "100.3.3.2/600/DISPERINDAG/2026")
    made = deliveries_create(second.pk)
    assert sorted(WebhookDelivery.objects.filter(pk__in=made).values_list("event", flat=True)) == ["sk.dicabut",
                                                                                                   "sk.dicatat"]
    revoked = WebhookDelivery.objects.get(sk_id=second.pk, event="sk.dicabut")
    assert revoked.payload["data"]["dicabut_dengan"]["nomor"] == "100.3.3.2/600/DISPERINDAG/2026"
    assert revoked.payload["data"]["mengubah"]["nomor"] == first.nomor
    webhook_deliver.apply(args=[revoked.pk])
    assert json.loads(receiver.received[-1][1])["event"] == "sk.dicabut"
    assert deliveries_create(second.pk) == []  # once per SK, event and subscriber


def test_a_broker_outage_at_recording_loses_no_event_and_breaks_no_request(
        receiver, users, start_proposal, donggala, regions, django_capture_on_commit_callbacks, monkeypatch):
    """Redis down when the province records: the recording commits without an error, and the sweep makes
    and sends the event once the broker is back (nothing is lost)."""
    from datetime import timedelta

    import time_machine
    from kombu.exceptions import OperationalError

    from api.tasks import webhook_fanout, webhook_sweep

    WebhookSubscriber.objects.create(name="SIINas", url=receiver.url, secret="s3cret", region=regions["72"])

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(webhook_fanout, "delay", broker_down)
    monkeypatch.setattr(webhook_deliver, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        sk = _record(users, start_proposal, donggala, regions)  # the fan-out's enqueue fails after the commit
    assert not WebhookDelivery.objects.exists()
    assert webhook_sweep.apply().get() == {"made": 1, "queued": 0}  # still down: made, not queued
    delivery = WebhookDelivery.objects.get(sk_id=sk.pk)
    assert delivery.status == WebhookDelivery.Status.PENDING and not receiver.received

    sent = []
    monkeypatch.setattr(webhook_deliver, "delay", lambda pk: sent.append(pk) or webhook_deliver.apply(args=[pk]))
    assert webhook_sweep.apply().get() == {"made": 0, "queued": 0}  # within the grace: not yet
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        assert webhook_sweep.apply().get() == {"made": 0, "queued": 1}
    delivery.refresh_from_db()
    assert sent == [delivery.pk] and delivery.status == WebhookDelivery.Status.DELIVERED
    assert len(receiver.received) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert webhook_sweep.apply().get() == {"made": 0, "queued": 0}  # delivered: never sent twice
