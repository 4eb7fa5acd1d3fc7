"""Pelimpahan on a phone, from the site root logged out: an official records their absence (refused
first: the end before the start), and the region's pimpinan moves an official's task (refused first:
no note) and ends a Plt. early (refused first: no reason), found by visible labels."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import Absence
from accounts.roles import Role
from audit.models import Action, AuditEvent
from flows import forms as flow_forms
from tests.browser.test_legalisasi_browser import Official, browser, collected_static, fits, label  # noqa: F401
from tests.conftest import DONGGALA
from tests.helpers import task_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_absence_and_a_move_of_tasks_on_a_phone(collected_static, browser, live_server, donggala, make_user,  # noqa: F811
                                                   start_proposal):
    process = start_proposal(donggala["pengusul"])
    task = task_of(process, "verifikasi_dinas")
    holder = donggala["verifikator_dinas"]
    second = make_user(Role.VERIFIKATOR_DINAS, DONGGALA, username="verifikator.kedua")
    second.first_name, second.last_name = "Nurul", "Hidayah"
    second.save()
    shots = []

    official = Official(browser, live_server, holder, shots)
    try:
        official.arrive_and_log_in()
        page = official.page
        page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pelimpahan").click()
        page.get_by_role("heading", name="Pelimpahan tugas").wait_for()
        fits(page)
        page.get_by_role("link", name="Catat ketidakhadiran").click()
        form = flow_forms.AbsenceForm
        today = timezone.localdate()
        page.get_by_label(label(form, "starts_on")).fill((today + dt.timedelta(days=3)).isoformat())
        page.get_by_label(label(form, "ends_on")).fill(today.isoformat())
        page.get_by_label(label(form, "substitute")).select_option(label="Nurul Hidayah")
        page.get_by_role("button", name="Simpan").click()
        error = page.get_by_role("alert").filter(has_text="Tanggal selesai tidak boleh sebelum tanggal mulai.")
        error.wait_for()
        fits(page)
        official.shot("ketidakhadiran-ditolak")
        assert not Absence.objects.exists()
        page.get_by_label(label(form, "ends_on")).fill((today + dt.timedelta(days=10)).isoformat())
        page.get_by_role("button", name="Simpan").click()
        page.get_by_text("Ketidakhadiran dicatat").wait_for()
        official.shot("ketidakhadiran-dicatat")
        assert Absence.objects.get().substitute == second
    finally:
        official.close()

    pimpinan = Official(browser, live_server, donggala["pimpinan"], shots)
    try:
        pimpinan.arrive_and_log_in()
        page = pimpinan.page
        page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pelimpahan").click()
        row = page.get_by_role("listitem").filter(has_text=str(holder))
        row.get_by_role("link", name="Alihkan").click()
        form = flow_forms.ReassignForm
        page.get_by_label(label(form, "to_user")).select_option(label="Nurul Hidayah")
        page.get_by_label(label(form, "note")).fill("   ")  # blank in all but name: refused by the server
        page.get_by_role("button", name="Simpan").click()
        note = page.locator(".sk-field").filter(has=page.get_by_label(label(form, "note")))
        note.get_by_role("alert").wait_for()
        fits(page)
        pimpinan.shot("alihkan-ditolak")
        task.refresh_from_db()
        assert task.owner == holder
        page.get_by_label(label(form, "note")).fill("Cuti tahunan sepuluh hari")
        page.get_by_role("button", name="Simpan").click()
        page.get_by_text("1 tugas dialihkan kepada Nurul Hidayah").wait_for()
        pimpinan.shot("alihkan-tersimpan")
        task.refresh_from_db()
        assert task.owner == second
        assert AuditEvent.objects.filter(action=Action.TASK_REASSIGN, task_id=task.pk).exists()
    finally:
        pimpinan.close()


def test_the_pimpinan_ends_a_plt_early_on_a_phone(collected_static, browser, live_server, donggala, make_user,  # noqa: F811
                                                 regions, start_proposal):
    """From the site root logged out: "Akhiri" on the Plt.'s row without a reason is refused (the reason
    is asked again, nothing ends); with one, the grant ends and the task the Plt. took goes back to the queue."""
    from accounts.models import ActingGrant
    from tests.flows.test_acting_officials import _grant
    from tests.helpers import client_for, task_url

    plt = make_user(Role.PENGUSUL, DONGGALA, username="sekretaris.dinas")
    plt.first_name, plt.last_name = "Rahmat", "Lamasigi"
    plt.save()
    grant = _grant(plt, Role.VERIFIKATOR_DINAS, regions[DONGGALA], donggala["pimpinan"])
    task = task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    assert client_for(plt).post(task_url(task, "assign")).status_code == 302
    shots = []

    pimpinan = Official(browser, live_server, donggala["pimpinan"], shots)
    try:
        pimpinan.arrive_and_log_in()
        page = pimpinan.page
        page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pelimpahan").click()
        row = page.get_by_role("listitem").filter(has_text="Rahmat Lamasigi").filter(
            has=page.get_by_role("button", name="Akhiri"))
        fits(page)
        reason = re.compile(r"^Alasan mengakhiri( \*)?$")
        row.get_by_label(reason).fill("   ")  # blank in all but name: refused by the server
        row.get_by_role("button", name="Akhiri").click()
        page.get_by_role("alert").filter(has_text="Alasan wajib diisi").wait_for()
        fits(page)
        pimpinan.shot("akhiri-plt-ditolak")
        grant.refresh_from_db()
        task.refresh_from_db()
        assert grant.ended_at is None and task.owner == plt
        page.get_by_label(reason).fill("Pejabat definitif telah dilantik")
        page.get_by_role("button", name="Akhiri").click()
        page.get_by_text("1 tugas dikembalikan ke antrean").wait_for()
        fits(page)
        pimpinan.shot("akhiri-plt-tersimpan")
        assert not ActingGrant.objects.in_force().exists()
        task.refresh_from_db()
        assert task.owner_id is None
        assert AuditEvent.objects.filter(action=Action.ACTING_GRANT_END_EARLY, object_id=str(grant.pk)).exists()
    finally:
        pimpinan.close()
