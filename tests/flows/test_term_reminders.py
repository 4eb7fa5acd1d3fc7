"""Issue 15 §2: the end of the pengurus' term is reminded through the outbox 90 and 30 days before and
on the day, to the region's pengusul and Disperindag, once per SK and threshold, on real dates.

The term ends on Sunday 31 January 2027: 90 days before is Monday 2 November 2026, 30 days before is
Friday 1 January 2027 (Tahun Baru, a national holiday), the day itself a Sunday. Thresholds are
calendar days; a message written on a day off leaves at the start of office hours of the next
working day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from flows.demo import advance, change_data
from flows.operations import change_start
from flows.term_reminders import term_reminders_create
from notifications.models import Kind, Notification
from tests.helpers import client_for
from sentra.choices import StatusSK
from workdays.calendar import BusinessCalendar

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
END = dt.date(2027, 1, 31)


def at(y, m, d, hour=7):
    return dt.datetime(y, m, d, hour, 0, tzinfo=WITA)


@pytest.fixture
def sk_in_force(donggala, province, start_proposal, regions):
    users = {(role, "72.03"): user for role, user in donggala.items()}
    users[("pencatat_provinsi", "72")] = province["pencatat_provinsi"]
    process = start_proposal(donggala["pengusul"])
    advance(process, users, regions["72.03"], "tercatat", seed=1)
    sk = process.pengelola.sk_set.get()
    sk.masa_bakti_berakhir = END
    sk.save()
    return sk


def reminders(sk, threshold=None):
    qs = Notification.objects.filter(kind=Kind.TERM_ENDING, slot__startswith=f"sk{sk.pk}-")
    return qs.filter(slot=f"sk{sk.pk}-{threshold}") if threshold is not None else qs


def test_90_30_and_0_days_before_on_real_dates_once_each_and_holidays_deliver_next_working_day(sk_in_force, donggala):
    sk = sk_in_force
    calendar = BusinessCalendar(sk.region)
    told = {donggala["pengusul"].pk, donggala["verifikator_dinas"].pk}

    with time_machine.travel(at(2026, 11, 1), tick=False):  # 91 days before: nothing yet
        assert term_reminders_create() == 0
    with time_machine.travel(at(2026, 11, 2), tick=False):  # Monday, 90 days before
        assert term_reminders_create() == 2
        assert term_reminders_create() == 0  # a rerun writes nothing twice
    ninety = reminders(sk, 90)
    assert set(ninety.values_list("recipient_id", flat=True)) == told
    assert all(n.not_before == at(2026, 11, 2, 7).replace(minute=30) for n in ninety)  # office opens 07:30
    assert ninety.first().context["days_left"] == 90 and ninety.first().context["end"] == "31 Januari 2027"
    assert f"/legalisasi/perpanjangan/{sk.pk}/" in ninety.first().context["url"]

    with time_machine.travel(at(2026, 12, 15), tick=False):  # between thresholds: nothing new
        assert term_reminders_create() == 0

    assert calendar.holiday_name(dt.date(2027, 1, 1))  # Tahun Baru Masehi
    with time_machine.travel(at(2027, 1, 1), tick=False):  # 30 days before, on a holiday
        assert term_reminders_create() == 2
    thirty = list(reminders(sk, 30))
    next_open = calendar.next_office_moment(at(2027, 1, 1))
    assert next_open.date() > dt.date(2027, 1, 3) and calendar.is_working_day(next_open.date())
    assert all(n.not_before == next_open for n in thirty)

    with time_machine.travel(at(2027, 1, 31), tick=False):  # the day itself, a Sunday
        assert term_reminders_create() == 2
        assert term_reminders_create() == 0
    today = list(reminders(sk, 0))
    assert all(n.not_before == calendar.next_office_moment(at(2027, 1, 31)) for n in today)
    assert all(n.not_before.astimezone(WITA).date() == dt.date(2027, 2, 1) for n in today)  # Monday 1 February 2027
    assert reminders(sk).count() == 6

    with time_machine.travel(at(2027, 2, 10), tick=False):  # after the catch-up window: nothing more
        assert term_reminders_create() == 0


def test_a_missed_run_catches_up_with_the_latest_threshold_only(sk_in_force):
    with time_machine.travel(at(2027, 1, 10), tick=False):  # 21 days before, no run since the 90 days
        assert term_reminders_create() == 2
    assert set(reminders(sk_in_force).values_list("slot", flat=True)) == {f"sk{sk_in_force.pk}-30"}


def test_no_reminder_for_an_sk_no_longer_in_force_or_with_a_proposal_under_way(sk_in_force, donggala):
    change_start(user=donggala["pengusul"], sk=sk_in_force, jenis="perpanjangan", data=change_data(sk_in_force.pengelola))
    with time_machine.travel(at(2027, 1, 31), tick=False):
        assert term_reminders_create() == 0
    sk_in_force.status = StatusSK.DIUBAH
    sk_in_force.save()
    with time_machine.travel(at(2027, 1, 31), tick=False):
        assert term_reminders_create() == 0


def test_an_sk_past_its_term_without_renewal_shows_as_berakhir(sk_in_force, donggala):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        register = client_for(donggala["pengusul"]).get("/register/").content.decode()
        assert "berakhir: masa bakti habis 31 Jan 2027" in register
        public = Client().get(f"/verifikasi/{sk_in_force.verification_token}/").content.decode()
        assert "masa bakti pengurusnya BERAKHIR pada 31 Januari 2027" in public
    with time_machine.travel(at(2027, 1, 31, 9), tick=False):  # the last day of the term: still in force
        assert "berakhir:" not in client_for(donggala["pengusul"]).get("/register/").content.decode()
