#!/usr/bin/env python3
"""SK Sentra in one command, with nothing but Python installed.

    python3 run.py          install into .venv, migrate, load demo data, start web + Celery worker + beat
    python3 run.py test     install the test dependencies into .venv and run the test suite (pytest args follow)

The embedded mode uses SQLite (var/db.sqlite3), Celery's file-system broker (var/celery-broker) and
writes emails to var/sent-emails. Set DATABASE_URL / REDIS_URL to use PostgreSQL and Redis instead.
Only the standard library is used here, so this file runs before anything is installed.
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VAR = Path(os.environ.get("SKSENTRA_VAR_DIR", ROOT / "var"))
PY = VENV / "bin" / "python"
HOST, PORT = os.environ.get("SKSENTRA_HOST", "127.0.0.1"), os.environ.get("SKSENTRA_PORT", "8000")


def log(message: str) -> None:
    print(f"[sk-sentra] {message}", flush=True)


def ensure_venv(requirements: Path) -> None:
    """Create .venv and install ``requirements`` unless the same file was installed before."""
    if not PY.exists():
        log(f"creating virtual environment in {VENV.name}/")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for path in sorted((ROOT / "requirements").glob("*.txt")):
        digest.update(path.read_bytes())
    stamp = VENV / f".installed-{requirements.stem}"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    log(f"installing {requirements.relative_to(ROOT)} (first run only)")
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "-r", requirements], check=True)
    stamp.write_text(digest.hexdigest())


def embedded_env() -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "workflow_project.settings")
    env.setdefault("DJANGO_DEBUG", "1")
    env.setdefault("SKSENTRA_VAR_DIR", str(VAR))
    env.setdefault("SKSENTRA_BASE_URL", f"http://{HOST}:{PORT}")
    # A demo at night or on a Sunday should still show its emails in var/sent-emails right away.
    env.setdefault("SKSENTRA_OFFICE_HOURS_ENFORCED", "0")
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def up() -> int:
    ensure_venv(ROOT / "requirements" / "base.txt")
    env = embedded_env()
    for folder in ("celery-broker/out", "celery-broker/processed", "sent-emails", "media"):
        (VAR / folder).mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    has_demo = subprocess.run(
        [PY, "manage.py", "shell", "-c",
         "from accounts.models import User; import sys; sys.exit(0 if User.objects.exists() else 1)"],
        cwd=ROOT, env=env,
    ).returncode == 0
    if not has_demo:
        log("loading demo data for the 13 kab/kota (about 15 seconds)")
        manage(env, "load_demo")
    celery = [PY, "-m", "celery", "-A", "workflow_project"]
    procs = {
        "web": subprocess.Popen([PY, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"], cwd=ROOT, env=env),
        "worker": subprocess.Popen([*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"], cwd=ROOT, env=env),
        "beat": subprocess.Popen(
            [*celery, "beat", "--loglevel", "INFO", "--schedule", str(VAR / "celerybeat-schedule")], cwd=ROOT, env=env
        ),
    }
    time.sleep(2)
    print(
        f"""
  SK Sentra is running: http://{HOST}:{PORT}/
  Demo logins (password: sentra-demo-2026), one per role and kab/kota, e.g.
    pengusul.donggala  verifikator_dinas.donggala  verifikator_aset.donggala  bagian_hukum.donggala
    kepala_daerah.donggala  pimpinan.donggala  pencatat_provinsi.sulawesitengah  auditor.sulawesitengah
  Emails are written to {VAR / 'sent-emails'}. Stop with Ctrl+C.
""",
        flush=True,
    )

    def stop(*_):
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(proc.poll() is None for proc in procs.values()):
            time.sleep(0.5)
        dead = [name for name, proc in procs.items() if proc.poll() is not None]
        log(f"stopped: {', '.join(dead)}; shutting down the rest")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()
        for proc in procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test(args: list[str]) -> int:
    ensure_venv(ROOT / "requirements" / "test.txt")
    return subprocess.run([PY, "-m", "pytest", *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        return test(argv[1:])
    if argv[:1] in ([], ["up"]):
        return up()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
