"""Two-factor sign-in (issue 18, item 12): who must, enrolment, the code page, backup codes, the
admin's reset and the throttle of wrong codes. The suite's settings keep the requirement off; these
tests turn it on."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginThrottle
from accounts.roles import Role
from audit.models import Action, AuditEvent
from flows.demo import advance
from tests.conftest import DONGGALA, PASSWORD
from tests.helpers import client_for, task_of, task_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]

SETUP, VERIFY, BACKUP = "/accounts/2fa/aktifkan/", "/accounts/2fa/verifikasi/", "/accounts/2fa/kode-cadangan/"


@pytest.fixture
def two_factor_on():
    with override_settings(SKSENTRA_2FA_REQUIRED=True):
        yield


@pytest.fixture
def signing_task(donggala, province, start_proposal, regions):
    """A Donggala proposal standing at the kepala daerah's signature (``penetapan_sk``)."""
    users = {(role, DONGGALA): user for role, user in donggala.items()}
    users[(Role.PENCATAT_PROVINSI.value, "72")] = province["pencatat_provinsi"]
    process = start_proposal(donggala["pengusul"])
    advance(process, users, regions[DONGGALA], "penetapan_sk", seed=7)
    return task_url(task_of(process, "penetapan_sk"), "detail")


def code_now(device, *, at=None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [f"code{i:04d}" for i in range(10)]
    for code in codes:
        StaticToken.objects.create(device=backup, token=code)
    return device, codes


def password_login(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def verified_client(user, device) -> Client:
    client = password_login(user)
    response = client.post(VERIFY, {"kode": code_now(device)})
    assert response.status_code == 302, response.content[:300]
    return client


def test_a_signer_without_a_second_factor_is_sent_to_enrolment_and_reaches_the_task_after_enrolling(
    donggala, signing_task
):
    signer = donggala["kepala_daerah"]
    client = password_login(signer)

    refused = client.get(signing_task)
    assert refused.status_code == 302
    assert refused["Location"].startswith(SETUP) and "next=" in refused["Location"]
    assert client.get("/legalisasi/inbox/")["Location"].startswith(SETUP)  # nothing else either

    page = client.get(refused["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "otpauth" not in html  # the QR code inline; the URI is only inside it
    device = TOTPDevice.objects.get(user=signer, confirmed=False)
    assert re.sub(r"\s", "", re.search(r'class="sk-secret">([^<]+)<', html).group(1)) in device.config_url

    wrong = client.post(refused["Location"], {"kode": "000000" if code_now(device) != "000000" else "111111"})
    assert wrong.status_code == 422 and "Kode salah" in wrong.content.decode()

    confirmed = client.post(refused["Location"], {"kode": code_now(device)})
    assert confirmed.status_code == 302 and confirmed["Location"].startswith(BACKUP)
    shown = client.get(confirmed["Location"])
    assert shown.status_code == 200
    codes = [t.token for t in StaticToken.objects.filter(device__user=signer)]
    assert len(codes) == 10 and all(code in shown.content.decode() for code in codes)
    assert client.get(BACKUP).status_code == 302  # shown once
    assert AuditEvent.objects.filter(action=Action.TWO_FACTOR_ENROLLED, actor=signer).count() == 1

    assert client.get(signing_task).status_code == 200

    # The next login asks for the code (a later one: a code is accepted once), then the task opens.
    later = timezone.now() + timedelta(seconds=60)
    with time_machine.travel(later, tick=False):
        again = password_login(signer)
        asked = again.get(signing_task)
        assert asked.status_code == 302 and asked["Location"].startswith(VERIFY)
        device.refresh_from_db()
        answered = again.post(asked["Location"], {"kode": code_now(device, at=later)})
        assert answered.status_code == 302 and answered["Location"] == signing_task
        assert again.get(signing_task).status_code == 200


def test_a_verified_session_reaches_the_task_page(donggala, signing_task):
    signer = donggala["kepala_daerah"]
    device, _codes = enrolled(signer)
    client = password_login(signer)
    asked = client.get(signing_task)
    assert asked.status_code == 302 and asked["Location"].startswith(VERIFY)
    answered = client.post(asked["Location"], {"kode": code_now(device)})
    assert answered.status_code == 302 and answered["Location"] == signing_task
    assert client.get(signing_task).status_code == 200
    assert client.get("/legalisasi/inbox/").status_code == 200


def test_a_backup_code_works_once(donggala, signing_task):
    signer = donggala["kepala_daerah"]
    _device, codes = enrolled(signer)

    first = password_login(signer)
    used = first.post(VERIFY + "?next=" + signing_task, {"kode": codes[3].upper()})
    assert used.status_code == 302 and used["Location"] == signing_task
    assert first.get(signing_task).status_code == 200
    assert StaticToken.objects.filter(device__user=signer).count() == 9

    second = password_login(signer)
    refused = second.post(VERIFY, {"kode": codes[3]})
    assert refused.status_code == 422
    assert second.get(signing_task)["Location"].startswith(VERIFY)
    assert second.post(VERIFY, {"kode": codes[4]}).status_code == 302


@pytest.mark.parametrize("role", [Role.PENGUSUL, Role.VERIFIKATOR_DINAS, Role.PIMPINAN])
def test_a_user_of_an_optional_role_is_not_forced_but_may_enrol(make_user, role):
    user = make_user(role, DONGGALA, username=f"opsional.{role.value}")
    client = password_login(user)
    assert client.get("/legalisasi/inbox/").status_code == 200
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200 and SETUP in page.content.decode()


def test_staff_and_every_signing_or_recording_role_are_forced(make_user, donggala, province):
    staff = make_user(Role.PENGUSUL, DONGGALA, username="staf.pengusul")
    staff.is_staff = True
    staff.save()
    for user in (staff, donggala["bagian_hukum"], donggala["kepala_daerah"], province["pencatat_provinsi"]):
        response = client_for(user).get("/legalisasi/inbox/")
        assert response.status_code == 302 and response["Location"].startswith(SETUP), user.username


def test_an_admin_reset_removes_the_devices_and_records_the_audit_event(donggala, make_user, signing_task):
    signer = donggala["kepala_daerah"]
    signer_device, _codes = enrolled(signer)
    signer_session = verified_client(signer, signer_device)
    assert signer_session.get(signing_task).status_code == 200

    admin_user = make_user(Role.PIMPINAN, DONGGALA, username="admin.sksentra")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    admin_device, _ = enrolled(admin_user)
    admin = verified_client(admin_user, admin_device)

    response = admin.post("/admin/accounts/user/", {
        "action": "two_factor_reset_action", "_selected_action": [signer.pk], "index": 0,
    })
    assert response.status_code == 302, response.content[:500]

    assert not TOTPDevice.objects.filter(user=signer).exists()
    assert not StaticDevice.objects.filter(user=signer).exists()
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    event = AuditEvent.objects.get(action=Action.TWO_FACTOR_RESET)
    assert event.actor == admin_user and event.object_id == str(signer.pk)
    assert event.details["user"] == signer.username and event.details["devices"] == 2

    # The signer's verified session is verified no more: enrol again before anything else.
    again = signer_session.get(signing_task)
    assert again.status_code == 302
    follow = signer_session.get(again["Location"])
    assert follow.status_code == 302 and follow["Location"].startswith(SETUP)


def test_wrong_codes_are_throttled(donggala, settings):
    signer = donggala["kepala_daerah"]
    device, _codes = enrolled(signer)
    client = password_login(signer)
    right = code_now(device)
    wrong = "123456" if right != "123456" else "654321"
    answers = [client.post(VERIFY, {"kode": wrong}) for _ in range(settings.SKSENTRA_LOGIN_MAX_FAILURES)]
    assert all(a.status_code == 422 for a in answers)
    assert "Terlalu banyak kode salah" in answers[-1].content.decode()
    assert "Terlalu banyak kode salah" not in answers[0].content.decode()

    locked = client.post(VERIFY, {"kode": right})
    assert locked.status_code == 422 and "Terlalu banyak kode salah" in locked.content.decode()
    assert client.get("/legalisasi/inbox/")["Location"].startswith(VERIFY)
    assert LoginThrottle.objects.get(username=f"2fa:{signer.pk}").locked_until is not None

    # Another browser of the same user is locked too (the count is per user, over every address).
    other = password_login(signer)
    assert other.post(VERIFY, {"kode": right}, REMOTE_ADDR="10.9.8.7").status_code == 422


def test_an_auditor_may_enrol_although_read_only(province):
    """Read-only is about the register's data: an auditor's own second factor is theirs to set up."""
    auditor = province["auditor"]
    client = password_login(auditor)
    assert client.get("/audit/").status_code == 200  # optional role: not forced
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=auditor, confirmed=False)
    confirmed = client.post(SETUP, {"kode": code_now(device)})
    assert confirmed.status_code == 302 and confirmed["Location"].startswith(BACKUP)
    assert TOTPDevice.objects.get(user=auditor).confirmed


def test_with_the_requirement_off_a_signer_is_not_forced(donggala, signing_task):
    """The embedded demo's setting: demo logins reach their pages; enrolling stays possible."""
    with override_settings(SKSENTRA_2FA_REQUIRED=False):
        client = password_login(donggala["kepala_daerah"])
        assert client.get(signing_task).status_code == 200
        assert client.get(SETUP).status_code == 200
