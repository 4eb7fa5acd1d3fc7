"""The officials' search: a member's proposal by full NIK, identifiers, names; never across regions;
hostile input gets a message, never a 500."""

import pytest

from flows.demo import advance
from oversight.search import NAME, NIB, NIK, NUMBER, PROPOSAL, official_search, query_normalise, query_parse
from sentra.models import SK, AnggotaIKM, Pengurus
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions(donggala, poso, province, start_proposal, regions):
    users = {(role, "72.03"): u for role, u in donggala.items()} | {(role, "72.02"): u for role, u in poso.items()}
    users[("pencatat_provinsi", "72")] = province["pencatat_provinsi"]
    mine = start_proposal(donggala["pengusul"])
    theirs = start_proposal(poso["pengusul"])
    advance(theirs, users, regions["72.02"], "tercatat", seed=7)
    return mine, theirs


def test_a_member_s_proposal_is_found_by_full_nik_and_shown_masked(two_regions, donggala):
    mine, _ = two_regions
    member = AnggotaIKM.objects.filter(pengelola=mine.pengelola).first()
    results = official_search(donggala["verifikator_dinas"], member.nik_pemilik)
    assert results.query.kind == NIK
    assert [hit.process.pk for hit in results.proposals] == [mine.pk]
    reason = results.proposals[0].reasons[0]
    assert member.nik_pemilik not in reason and member.nik_pemilik[-4:] in reason and "*" * 12 in reason
    html = client_for(donggala["pimpinan"]).get("/pantau/cari/", {"q": member.nik_pemilik}).content.decode()
    assert f"/legalisasi/{mine.pk}/" in html and member.nik_pemilik not in html.split('name="q"')[1].split(">", 1)[1]
    pengurus = Pengurus.objects.filter(pengelola=mine.pengelola).first()
    assert [h.process.pk for h in official_search(donggala["pengusul"], pengurus.nik).proposals] == [mine.pk]
    # every NIK look-up is in the audit trail: who, how much was found, the NIK masked (never in full)
    from audit.models import Action, AuditEvent

    looks = list(AuditEvent.objects.filter(action=Action.NIK_SEARCH).order_by("seq"))
    assert [e.actor for e in looks] == [donggala["verifikator_dinas"], donggala["pimpinan"], donggala["pengusul"]]
    assert looks[0].details["found"] == 1 and looks[0].details["nik"].endswith(member.nik_pemilik[-4:])
    assert all(member.nik_pemilik not in str(e.details) and pengurus.nik not in str(e.details) for e in looks)
    assert looks[0].details["nik_hmac"] == looks[1].details["nik_hmac"] != looks[2].details["nik_hmac"]


def test_never_a_partial_nik(two_regions, donggala):
    mine, _ = two_regions
    nik = AnggotaIKM.objects.filter(pengelola=mine.pengelola).first().nik_pemilik
    for part in (nik[:15], nik[1:], nik[:10], nik[-6:] + "0000"):
        results = official_search(donggala["verifikator_dinas"], part)
        assert not results.proposals, part
    assert query_parse(nik[:15]).error


def test_nothing_of_another_region_is_found(two_regions, donggala, province):
    _, theirs = two_regions
    member = AnggotaIKM.objects.filter(pengelola=theirs.pengelola).first()
    sk = SK.objects.get(pengelola=theirs.pengelola)
    queries = [member.nik_pemilik, member.nib, sk.nomor, sk.nomor_register, theirs.pengelola.name,
               theirs.pengelola.sentra.name, f"#{theirs.pk}",
               Pengurus.objects.filter(pengelola=theirs.pengelola).first().nik]
    for role, user in donggala.items():
        for q in queries:
            results = official_search(user, q)
            assert results.query.kind and results.empty, (role, q)
            html = client_for(user).get("/pantau/cari/", {"q": q}).content.decode()
            assert f"/legalisasi/{theirs.pk}/" not in html and theirs.pengelola.name not in html.replace(
                f'value="{theirs.pengelola.name}"', ""), (role, q)
    # the province sees them all
    for q in queries:
        assert [h.process.pk for h in official_search(province["pencatat_provinsi"], q).proposals] == [theirs.pk], q


def test_identifiers_and_names(two_regions, poso):
    _, theirs = two_regions
    user = poso["pimpinan"]
    sk = SK.objects.get(pengelola=theirs.pengelola)
    member = AnggotaIKM.objects.filter(pengelola=theirs.pengelola).first()
    assert official_search(user, member.nib).query.kind == NIB
    assert [h.process.pk for h in official_search(user, member.nib).proposals] == [theirs.pk]
    for typed in (sk.nomor, sk.nomor.upper(), sk.nomor.lower(), f"  {sk.nomor}  ", sk.nomor_register.lower()):
        results = official_search(user, typed)
        assert results.query.kind == NUMBER and [s.pk for s in results.sks] == [sk.pk], typed
        assert [h.process.pk for h in results.proposals] == [theirs.pk], typed
    name = theirs.pengelola.name
    part = name.split()[1].lower()
    results = official_search(user, part)
    assert results.query.kind == NAME and theirs.pk in [h.process.pk for h in results.proposals]
    assert [h.process.pk for h in official_search(user, str(theirs.pk)).proposals] == [theirs.pk]
    assert official_search(user, str(theirs.pk)).query.kind == PROPOSAL


def test_input_is_normalised_unicode_digits_and_spaces(two_regions, donggala):
    mine, _ = two_regions
    nik = AnggotaIKM.objects.filter(pengelola=mine.pengelola).first().nik_pemilik
    fullwidth = "".join(chr(ord("０") + int(c)) for c in nik)
    arabic = "".join(chr(0x0660 + int(c)) for c in nik)
    spaced = " ".join(nik[i:i + 4] for i in range(0, 16, 4))
    for typed in (fullwidth, arabic, spaced, f"\u200b{nik}\u202e", f"\t{nik}\r\n"):
        assert query_normalise(typed).replace(" ", "") == nik
        assert [h.process.pk for h in official_search(donggala["pimpinan"], typed).proposals] == [mine.pk], repr(typed)


@pytest.mark.parametrize("typed", ["\x00", "a\x00b\x00c", "x" * 5000, "9" * 40, "#99999999999999999999999", "ab",
                                   "'; DROP TABLE sentra_sk; --", "%", "___", "𝟏𝟐𝟑", "1" * 14, "😀😀😀",
                                   "72/REG-SENTRA/../../", "\u0000" * 300])
def test_hostile_input_gets_a_message_or_nothing_never_a_500(donggala, typed):
    response = client_for(donggala["pimpinan"]).get("/pantau/cari/", {"q": typed})
    assert response.status_code in (200, 422), (typed, response.status_code)
    if response.status_code == 422:
        assert 'class="sk-error"' in response.content.decode()


def test_malformed_percent_encoding_is_not_a_500(donggala):
    for raw in ("%ED%A0%80", "%FF%FE", "%C0%AF", "%E2%80%AE7203"):
        assert client_for(donggala["pimpinan"]).get(f"/pantau/cari/?q={raw}").status_code in (200, 422), raw


def test_who_may_search_and_the_menu(donggala, province, make_user, regions):
    for user in (*donggala.values(), *province.values()):
        client = client_for(user)
        assert client.get("/pantau/cari/").status_code == 200
        assert 'href="/pantau/cari/"' in client.get("/register/").content.decode()
    assert client_for(donggala["pimpinan"]).post("/pantau/cari/", {"q": "x"}).status_code == 405
    menu = client_for(donggala["pimpinan"]).get("/pantau/cari/").content.decode()
    assert 'href="/pantau/kinerja/"' in menu
    assert 'href="/pantau/kinerja/"' not in client_for(donggala["verifikator_dinas"]).get("/pantau/cari/").content.decode()
    assert client_for(donggala["pimpinan"]).get("/pantau/cari/").status_code == 200
    assert client_for(donggala["pimpinan"]).get("/pantau/cari/?q=").status_code == 200


def test_a_census_member_without_a_proposal_leads_to_its_sentra(two_regions, donggala, poso, regions):
    from sentra.models import Sentra

    sentra = Sentra.objects.create(region=regions["72.03"], name="Sentra Sensus Tenun Donggala", komoditas="Tenun",
                                   alamat="Jl. Sensus 1")
    member = AnggotaIKM.objects.create(sentra=sentra, pengelola=None, nama_usaha="UD Sensus", pemilik="Wa Ode",
                                       nik_pemilik="7203014501900007", nib="9120000000777", kbli="13121",
                                       produk="Tenun", tenaga_kerja=2)
    for typed in (member.nik_pemilik, member.nib):
        results = official_search(donggala["pimpinan"], typed)
        assert not results.proposals and [s.pk for s in results.sentra_without_proposal] == [sentra.pk], typed
        assert official_search(poso["pimpinan"], typed).empty, typed
    html = client_for(donggala["pimpinan"]).get("/pantau/cari/", {"q": member.nik_pemilik}).content.decode()
    assert "Sentra Sensus Tenun Donggala" in html and "*" * 12 + "0007" in html
