"""Schemathesis against the live schema: every operation of ``/api/v1/`` is called with data drawn from the
schema the API itself serves (valid and invalid), as a Donggala official's user token, through the site's
whole WSGI stack (middleware, authentication, scope, idempotency) on the test database (PostgreSQL in CI).
Every answer must be no 5xx and conform to the schema (status documented, body, headers, content type)."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks
from schemathesis.core.failures import FailureGroup

from api.models import Scope
from flows.models import Keputusan
from sentra.models import SK, AnggotaIKM
from tests.helpers import client_for, task_of, task_url

# The cases drawn for each operation and mode (valid data, then data that breaks the schema): bounded so that
# the 16 operations stay well under two minutes on a loaded machine.
MAX_EXAMPLES = 15
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({
    "seed": 1717,  # the same examples on every run: a failure in CI is one a developer can replay
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
})
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance]


@pytest.fixture
def world(users, recorded, start_proposal, donggala, make_token, two_officials):
    """A Donggala verifikator's user token (every scope), with data to find: recorded SKs, a waiting
    proposal, a task in the queue and one claimed by the token's user."""
    official = donggala["verifikator_dinas"]
    queued = task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    claimed = task_of(start_proposal(donggala["pengusul"]), "verifikasi_dinas")
    assert client_for(official).post(task_url(claimed, "assign")).status_code == 302
    _, secret = make_token(user=official, scopes=[Scope.REGISTER_READ, Scope.PERSONAL_READ, Scope.INBOX_WRITE])
    sk = SK.objects.get(pengelola=recorded["donggala"].pengelola)
    return {"headers": {"Authorization": f"Bearer {secret}"}, "sk": sk, "process": recorded["donggala"],
            "anggota": AnggotaIKM.objects.filter(pengelola=sk.pengelola).first(), "queued": queued, "claimed": claimed}


@pytest.fixture
def token_headers(world):
    return world["headers"]


@pytest.fixture
def wsgi_app():
    """The site's WSGI application, as Django's test client runs it: the database connection is not
    closed at the end of each request (on PostgreSQL that would end the test's transaction)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def api_schema(token_headers, settings, wsgi_app):
    """The schema as the API serves it to that token."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"token": "100000/min"}}  # the rate limit is tested elsewhere
    cache.clear()
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app, headers=token_headers,
                                          config=CONFIG)


MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def _run(operation, mode, headers, failures):
    """``MAX_EXAMPLES`` cases of one operation in one mode, each called and checked; what fails is kept
    (the first failure of each check), the run goes on so one run shows every broken operation."""

    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                failures.setdefault((operation.label, failure.title), f"{operation.label}: {group}")

    check()


def test_every_operation_answers_within_its_schema_and_never_5xx(api_schema, token_headers):
    failures, labels = {}, []
    for result in api_schema.get_all_operations():
        operation = result.ok()  # an operation the schema describes wrongly fails here
        labels.append(operation.label)
        for mode in MODES:
            _run(operation, mode, token_headers, failures)
    assert not failures, "\n\n".join(failures.values())
    assert len(labels) == 16, labels  # every operation of the schema was exercised


def test_every_operation_on_real_objects_answers_within_its_schema(api_schema, world):
    """The generated ids above mostly name nothing (404): here each operation is called on objects that
    exist, so every 200 body (details, a claim, a release, a decision) is checked against the schema too."""
    sk, process, queued, claimed = world["sk"], world["process"], world["queued"], world["claimed"]
    key = iter(range(1, 100))
    write = lambda: {**world["headers"], "Idempotency-Key": f"uji-{next(key)}"}  # noqa: E731
    calls = [
        ("GET", "/api/v1/register/{id}/", sk.pk, None, world["headers"]),
        ("GET", "/api/v1/sentra/{id}/", sk.pengelola.sentra_id, None, world["headers"]),
        ("GET", "/api/v1/pengelola/{id}/", sk.pengelola_id, None, world["headers"]),
        ("GET", "/api/v1/anggota/{id}/", world["anggota"].pk, None, world["headers"]),
        ("GET", "/api/v1/usulan/{id}/", process.pk, None, world["headers"]),
        ("GET", "/api/v1/tugas/{id}/", claimed.pk, None, world["headers"]),
        ("POST", "/api/v1/tugas/{id}/ambil/", queued.pk, {}, write()),
        ("POST", "/api/v1/tugas/{id}/lepas/", queued.pk, {}, write()),
        ("POST", "/api/v1/tugas/{id}/putuskan/", claimed.pk, {"hasil": "dikembalikan"}, write()),  # no note: 422
        ("POST", "/api/v1/tugas/{id}/putuskan/", claimed.pk, {"hasil": "disetujui", "catatan": "Lengkap."}, write()),
        ("POST", "/api/v1/tugas/{id}/putuskan/", claimed.pk, {"hasil": "disetujui"}, write()),  # done: 409
    ]
    statuses = []
    for method, path, pk, body, headers in calls:
        operation = api_schema[path][method]
        case = operation.Case(path_parameters={"id": pk}, headers=headers,
                              **({"body": body, "media_type": "application/json"} if body is not None else {}))
        response = case.call_and_validate(checks=CHECKS)
        statuses.append(response.status_code)
    assert statuses == [200] * 8 + [422, 200, 409], statuses
    assert Keputusan.objects.filter(task=claimed).count() == 1
