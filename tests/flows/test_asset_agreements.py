"""DAK asset agreements approaching their end: on the province dashboard, and reminded once per threshold
through the outbox to the kab/kota's BPKAD and Disperindag."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from flows.reminders import asset_agreement_reminders
from notifications.channels import send_email
from notifications.models import Kind, Notification
from sentra.asset_services import aset_save
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

WITA = dt.timezone(dt.timedelta(hours=8))


def _line(process, bpkad, *, ends_in_days: int, nup: int, today: dt.date):
    """A sewa line whose 5-year agreement ends ``ends_in_days`` after ``today``."""
    end = today + dt.timedelta(days=ends_in_days)
    start = end.replace(year=end.year - 5) + dt.timedelta(days=1)
    return aset_save(sentra=process.pengelola.sentra, user=bpkad, fields={
        "jenis_kib": "B", "kode_barang": "02.06.01.01.001", "nup": nup, "nama": f"Mesin {nup}",
        "tahun_perolehan": 2020, "nilai_perolehan": "1000000", "nomor_bast": "027/1/BAST", "tanggal_bast": start,
        "opd_pemilik": "Dinas Perindustrian dan Perdagangan", "kondisi": "baik", "dasar_pemanfaatan": "sewa",
        "nomor_perjanjian": f"030/{nup}/PERJ", "tanggal_perjanjian": start, "jangka_waktu_tahun": 5,
    })


def test_agreements_ending_are_reminded_once_per_threshold_to_bpkad_and_the_disperindag(
    donggala, poso, start_proposal, settings
):
    settings.SKSENTRA_OFFICE_HOURS_ENFORCED = False
    now = dt.datetime(2026, 3, 2, 6, 0, tzinfo=WITA)
    today = now.date()
    process = start_proposal(donggala["pengusul"])
    soon = _line(process, donggala["verifikator_aset"], ends_in_days=20, nup=1, today=today)
    _line(process, donggala["verifikator_aset"], ends_in_days=200, nup=2, today=today)  # not yet
    start_proposal(poso["pengusul"])

    asset_agreement_reminders(now=now)
    asset_agreement_reminders(now=now)  # a second run (or a second worker) writes nothing more
    rows = Notification.objects.filter(kind=Kind.AGREEMENT_ENDING)
    assert {(n.recipient.username, n.slot) for n in rows} == {
        (donggala["verifikator_aset"].username, f"aset{soon.pk}:30"),
        (donggala["verifikator_dinas"].username, f"aset{soon.pk}:30"),
    }
    assert rows.count() == 2  # one channel (email) each

    # Later days inside the same threshold write nothing; crossing the next one writes again.
    asset_agreement_reminders(now=now + dt.timedelta(days=5))
    assert rows.count() == 2
    asset_agreement_reminders(now=now + dt.timedelta(days=14))
    assert sorted(rows.values_list("slot", flat=True)) == [f"aset{soon.pk}:30"] * 2 + [f"aset{soon.pk}:7"] * 2

    message = rows.filter(recipient=donggala["verifikator_aset"], slot__endswith=":30").get()
    send_email(message)
    sent = mail.outbox[-1]
    assert "Perjanjian Sewa berakhir" in sent.subject and soon.label in sent.subject
    assert "akan berakhir dalam 20 hari" in sent.body and f"/aset/sentra/{soon.sentra_id}/" in sent.body


def test_the_province_dashboard_lists_agreements_ending_soon(donggala, province, start_proposal):
    today = timezone.localdate()
    process = start_proposal(donggala["pengusul"])
    soon = _line(process, donggala["verifikator_aset"], ends_in_days=45, nup=1, today=today)
    later = _line(process, donggala["verifikator_aset"], ends_in_days=400, nup=2, today=today)
    html = client_for(province["pimpinan"]).get("/register/dasbor/").content.decode()
    assert "Perjanjian pemanfaatan aset DAK yang berakhir dalam 90 hari" in html
    assert soon.label in html and soon.nomor_perjanjian in html
    assert later.label not in html
