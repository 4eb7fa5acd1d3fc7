"""Reads: the region scope of a token and of a session, NIK masking, ETags, problem details, the schema."""

import hashlib

import pytest
from drf_spectacular.validation import validate_schema

from api.models import ApiToken, Scope
from api.tokens import token_revoke
from sentra.models import SK, AnggotaIKM

pytestmark = pytest.mark.django_db


def _ids(response):
    assert response.status_code == 200, response.content[:500]
    return {row["id"] for row in response.json()["results"]}


def test_a_donggala_token_sees_nothing_of_poso_in_lists_or_object_urls(recorded, make_token, api_client):
    _, secret = make_token(region="72.03", scopes=[Scope.REGISTER_READ, Scope.PERSONAL_READ])
    client = api_client(secret)
    dg, poso = recorded["donggala"], recorded["poso"]
    dg_sk, poso_sk = SK.objects.get(pengelola=dg.pengelola), SK.objects.get(pengelola=poso.pengelola)
    assert _ids(client.get("/api/v1/register/")) == {dg_sk.pk}
    assert _ids(client.get("/api/v1/usulan/")) == {dg.pk}
    assert _ids(client.get("/api/v1/pengelola/")) == {dg.pengelola_id}
    assert _ids(client.get("/api/v1/sentra/")) == {dg.pengelola.sentra_id}
    assert _ids(client.get("/api/v1/anggota/")) == set(AnggotaIKM.objects.filter(pengelola=dg.pengelola).values_list("pk", flat=True))
    # filtering on another region gives nothing, never the other region's rows
    assert _ids(client.get("/api/v1/register/?wilayah=72.02")) == set()
    poso_urls = [f"/api/v1/register/{poso_sk.pk}/", f"/api/v1/usulan/{poso.pk}/",
                 f"/api/v1/usulan/{recorded['poso_waiting'].pk}/", f"/api/v1/pengelola/{poso.pengelola_id}/",
                 f"/api/v1/sentra/{poso.pengelola.sentra_id}/"]
    poso_urls += [f"/api/v1/anggota/{a.pk}/" for a in AnggotaIKM.objects.filter(pengelola=poso.pengelola)]
    for url in poso_urls:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert poso.pengelola.name not in response.content.decode()
    assert client.get(f"/api/v1/usulan/{dg.pk}/").status_code == 200


def test_a_province_token_sees_every_kabupaten(recorded, make_token, api_client):
    _, secret = make_token(region="72")
    ids = _ids(api_client(secret).get("/api/v1/usulan/"))
    assert {recorded["donggala"].pk, recorded["poso"].pk, recorded["poso_waiting"].pk} <= ids


def test_register_entry_shows_legal_and_recording_status_and_the_history(recorded, make_token, api_client):
    _, secret = make_token(region="72.03")
    client = api_client(secret)
    entry = client.get("/api/v1/register/").json()["results"][0]
    assert entry["status"] == "berlaku" and entry["status_pencatatan"] == "tercatat"
    assert entry["nomor_register"].startswith("72/REG-SENTRA/")
    usulan = client.get(f"/api/v1/usulan/{recorded['donggala'].pk}/").json()
    assert usulan["tahap"] == "tercatat"
    assert [k["langkah"] for k in usulan["keputusan"]][:2] == ["usulan", "verifikasi_dinas"]
    assert usulan["keputusan"][-1]["hasil"] == "dicatat"


def test_nik_is_masked_without_personal_read(recorded, make_token, api_client):
    anggota = AnggotaIKM.objects.filter(pengelola=recorded["donggala"].pengelola).first()
    _, plain = make_token(region="72.03")
    _, personal = make_token(region="72.03", scopes=[Scope.REGISTER_READ, Scope.PERSONAL_READ])
    masked = api_client(plain).get(f"/api/v1/anggota/{anggota.pk}/").json()
    full = api_client(personal).get(f"/api/v1/anggota/{anggota.pk}/").json()
    assert full["nik_pemilik"] == anggota.nik_pemilik
    assert masked["nik_pemilik"] != anggota.nik_pemilik and masked["nik_pemilik"].endswith(anggota.nik_pemilik[-4:])
    assert set(masked["nik_pemilik"][:-4]) == {"*"}
    pengurus = api_client(plain).get(f"/api/v1/pengelola/{anggota.pengelola_id}/").json()["pengurus"]
    assert pengurus and all(set(p["nik"][:-4]) == {"*"} for p in pengurus)
    assert anggota.nik_pemilik not in api_client(plain).get("/api/v1/anggota/").content.decode()


def test_a_token_without_the_read_scope_is_refused(recorded, make_token, api_client):
    _, secret = make_token(region="72.03", scopes=[])
    response = api_client(secret).get("/api/v1/register/")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"


def test_a_service_token_refused_is_in_the_audit_trail_by_its_name(regions, make_token, api_client):
    from audit.models import Action, AuditEvent

    token, secret = make_token(region="72.03", scopes=[])
    assert api_client(secret).get("/api/v1/register/").status_code == 403
    event = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert event.actor_id is None and event.actor_username == f"token:{token.pk}"
    assert event.details["region"] == "72.03" and event.details["path"] == "/api/v1/register/"


def test_tokens_are_stored_hashed_used_and_revoked(regions, make_token, api_client):
    token, secret = make_token(region="72.03")
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().first().values()]
    assert not any(secret in value for value in stored)
    assert token.last_used_at is None
    assert api_client(secret).get("/api/v1/register/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    token_revoke(token)
    response = api_client(secret).get("/api/v1/register/")
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == 401 and "dicabut" in body["detail"]
    assert api_client("sks_not-a-token").get("/api/v1/register/").status_code == 401
    anonymous = api_client().get("/api/v1/register/")
    assert anonymous.status_code == 401 and anonymous["Content-Type"] == "application/problem+json"


def test_etag_answers_304_when_nothing_changed(recorded, make_token, api_client):
    _, secret = make_token(region="72.03")
    client = api_client(secret)
    first = client.get("/api/v1/register/")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/register/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get("/api/v1/register/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.parametrize("query", [
    "wilayah=%D9%A7%D9%A2.03", "status=nope", "sejak=2026-13-01", "sejak=%D9%A2%D9%A0%D9%A2%D9%A6-01-01",
    "jumlah=99999999999999999999999", "jumlah=0", "cursor=%%%", "cursor=" + "A" * 500, "status_pencatatan[]=x",
])
def test_bad_query_parameters_are_problems_not_500(recorded, make_token, api_client, query):
    _, secret = make_token(region="72.03")
    response = api_client(secret).get(f"/api/v1/register/?{query}")
    assert response.status_code in (200, 400, 404, 422), (query, response.status_code)
    if response.status_code != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"]


def test_cursor_pagination_walks_every_entry_once(recorded, make_token, api_client):
    _, secret = make_token(region="72")
    client = api_client(secret)
    seen, url = [], "/api/v1/usulan/?jumlah=1"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) >= 3


def test_the_schema_is_valid_openapi_and_its_page_uses_no_cdn(donggala, api_client):
    client = api_client(user=donggala["pengusul"])
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/register/" in schema["paths"] and "/api/v1/tugas/{id}/putuskan/" in schema["paths"]
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert api_client().get("/api/v1/schema/").status_code == 401


def test_the_spectacular_command_validates_the_schema_without_warnings(tmp_path, db):
    """What an operator runs (docs/operations.md): ``manage.py spectacular --validate``, here with
    ``--fail-on-warn`` so that a view drf-spectacular cannot describe fails CI too."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/tugas/{id}/putuskan/" in text and "application/problem+json" in text
