"""Public verification: anyone, without logging in, checks an SK against the provincial register,
and learns nothing personal or internal from it."""

import pytest
from django.test import Client, override_settings

from accounts.phone import normalize_phone
from flows.models import Hasil
from sentra.models import SK
from tests.flows.test_legalisasi_http import ASET_OK, sign_and_number, sk_post, start_over_http
from tests.helpers import act, assets_recorded, client_for, decision, form_errors

pytestmark = pytest.mark.django_db

INTERNAL_NOTE = "Catatan internal: ketua masih kerabat kepala dinas, pantau."


@pytest.fixture
def registered(donggala, province):
    """A proposal carried over HTTP to a recorded SK, with notes on the way and phone numbers on file."""
    process = start_over_http(donggala["pengusul"])
    act(donggala["verifikator_dinas"], process, "verifikasi_dinas", decision(Hasil.DISETUJUI, INTERNAL_NOTE))
    assets_recorded(process, donggala["verifikator_aset"])
    act(donggala["verifikator_aset"], process, "verifikasi_aset", ASET_OK)
    act(donggala["bagian_hukum"], process, "harmonisasi_hukum", decision(Hasil.DISETUJUI, "Cek diktum KETIGA."))
    act(donggala["sekretariat_daerah"], process, "paraf_koordinasi", decision(Hasil.DIPARAF))
    assert sign_and_number(process, donggala, sk_post(process.region)).status_code == 302
    assert (
        act(
            province["pencatat_provinsi"], process, "pencatatan_provinsi", decision(Hasil.DICATAT, "Dicatat.")
        ).status_code
        == 302
    )
    return SK.objects.get(pengelola=process.pengelola)


def test_anyone_sees_the_register_entry_without_logging_in(registered, client):
    response = client.get(f"/verifikasi/{registered.verification_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    pengelola = registered.pengelola
    for value in (
        registered.nomor_register,
        registered.nomor,
        registered.sha256,
        pengelola.name,
        pengelola.sentra.name,
        "Kabupaten Donggala",
        "Berlaku",
        "Koperasi",
    ):
        assert value in html, value
    assert "BERLAKU" in html
    # The production middleware stack leaves the public page alone, with its security headers.
    assert "Content-Security-Policy" in response and "<script" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_verification_page_shows_no_nik_no_phone_number_and_no_internal_note(registered, client):
    pengelola = registered.pengelola
    niks = [p.nik for p in pengelola.pengurus_set.all()] + [a.nik_pemilik for a in pengelola.anggota_set.all()]
    phones = [p.telepon for p in pengelola.pengurus_set.all() if p.telepon]
    assert len(niks) == 9 and len(phones) == 3  # the proposal does carry them
    html = client.get(f"/verifikasi/{registered.verification_token}/").content.decode()
    for nik in niks:
        assert nik not in html
    for phone in phones:
        local = "0" + phone.removeprefix("62")
        assert phone not in html and local not in html and normalize_phone(local) not in html
    for note in (INTERNAL_NOTE, "Cek diktum KETIGA.", "Dicatat."):
        assert note not in html
    for person in pengelola.pengurus_set.all():
        assert person.nama not in html
    # No database id in the public address either.
    assert f"/verifikasi/{registered.pk}/" not in html
    assert Client().get(f"/verifikasi/{registered.pk}/").status_code == 404


@pytest.mark.parametrize("field", ["nomor_register", "nomor"])
def test_the_lookup_by_register_or_sk_number_leads_to_the_entry(registered, client, field):
    value = getattr(registered, field)
    response = client.get("/verifikasi/", {"q": f"  {value.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verifikasi/{registered.verification_token}/"


def test_an_unknown_number_or_address_is_said_to_be_unknown(registered, client):
    response = client.get("/verifikasi/", {"q": "100.3.3.2/999/DISPERINDAG/2026"})
    assert response.status_code == 200 and "Tidak ditemukan dalam register provinsi" in response.content.decode()
    response = client.get("/verifikasi/AAAAAAAAAAAAAAAAAAAAAAAA/")
    assert response.status_code == 404 and "tidak dikenal dalam register provinsi" in response.content.decode()
    assert client.get("/verifikasi/").status_code == 200


def test_an_sk_not_yet_recorded_by_the_province_cannot_be_verified(donggala, recorded, client):
    process = recorded(donggala["pengusul"], until="pencatatan_provinsi")
    sk = SK.objects.get(pengelola=process.pengelola)
    assert client.get(f"/verifikasi/{sk.verification_token}/").status_code == 404
    assert "Tidak ditemukan" in client.get("/verifikasi/", {"q": sk.nomor}).content.decode()


def test_a_number_used_in_two_kabupaten_lists_both_entries(donggala, poso, recorded, client):
    mine = SK.objects.get(pengelola=recorded(donggala["pengusul"]).pengelola)
    theirs = SK.objects.get(pengelola=recorded(poso["pengusul"]).pengelola)
    theirs.nomor = mine.nomor  # each kab/kota numbers its own decrees
    theirs.save()
    html = client.get("/verifikasi/", {"q": mine.nomor}).content.decode()
    assert f"/verifikasi/{mine.verification_token}/" in html and f"/verifikasi/{theirs.verification_token}/" in html
    assert "Kabupaten Donggala" in html and "Kabupaten Poso" in html


def test_a_revoked_sk_is_shown_as_revoked(registered, client):
    registered.status = "dicabut"
    registered.save()
    html = client.get(f"/verifikasi/{registered.verification_token}/").content.decode()
    assert "Dicabut" in html and "BERLAKU." not in html


@override_settings(SKSENTRA_VERIFY_MAX_PER_MINUTE=5)
def test_the_public_pages_are_rate_limited_per_client_address(registered):
    url = f"/verifikasi/{registered.verification_token}/"
    one, other = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.9")
    assert [one.get(url).status_code for _ in range(5)] == [200] * 5
    refused = one.get("/verifikasi/", {"q": registered.nomor})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Terlalu banyak permintaan verifikasi" in refused.content.decode()
    assert one.get(url).status_code == 429
    assert other.get(url).status_code == 200  # another address is not held back


def test_a_proposal_naming_a_recorded_sentra_changes_neither_the_sentra_nor_its_public_page(registered, donggala):
    """A new proposal that leaves the sentra choice empty and types a recorded sentra's name (any case)
    was matched by name and copied its fields over the sentra: the register's public page then showed
    the new name and address. It is refused, and the public page shows what was recorded."""
    from sentra.models import Sentra
    from tests.flows.test_legalisasi_http import usulan_post

    sk = SK.objects.get(pengelola=registered.pengelola)
    sentra = registered.pengelola.sentra
    before = (sentra.name, sentra.alamat, sentra.komoditas)
    page_before = Client().get(f"/verifikasi/{sk.verification_token}/").content.decode()
    post = usulan_post(registered.region, seed=9, **{
        "sentra-sentra": "", "sentra-name": sentra.name.upper(), "sentra-alamat": "Alamat palsu 1", "sentra-komoditas": "Lain",
    })
    response = client_for(donggala["pengusul"]).post("/legalisasi/usulan/", post)
    assert response.status_code in (200, 422)
    assert "sudah terdaftar" in form_errors(response)
    sentra.refresh_from_db()
    assert (sentra.name, sentra.alamat, sentra.komoditas) == before
    assert Sentra.objects.filter(region=registered.region).count() == 1
    # and even a change made behind the register's back (e.g. in the admin) does not alter the entry
    sentra.name, sentra.alamat = "Sentra Lain", "Jl. Lain"
    sentra.save()
    page_after = Client().get(f"/verifikasi/{sk.verification_token}/").content.decode()
    assert before[0] in page_after and "Sentra Lain" not in page_after
    assert page_before.count(before[0]) == page_after.count(before[0])
