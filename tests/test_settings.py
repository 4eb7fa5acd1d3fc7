"""Production settings: secure by default, and no start without a secret key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SKSENTRA_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "workflow_project.settings", **env_overrides})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_settings_pass_check_deploy_at_warning_level(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="sksentra.sultengprov.go.id",
        SKSENTRA_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage("check", DJANGO_ALLOWED_HOSTS="sksentra.sultengprov.go.id", SKSENTRA_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_the_embedded_default_needs_no_configuration(tmp_path):
    result = _manage("check", DJANGO_DEBUG="1", SKSENTRA_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
