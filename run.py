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
    # Development defaults (no secret key, plain HTTP, emails to files) with DEBUG off: officials trying
    # the demo see the app's own 403/404 pages, never Django's debug page listing every URL pattern.
    env.setdefault("SKSENTRA_EMBEDDED", "1")
    env.setdefault("SKSENTRA_VAR_DIR", str(VAR))
    env.setdefault("SKSENTRA_BASE_URL", f"http://{HOST}:{PORT}")
    # A demo at night or on a Sunday should still show its emails in var/sent-emails right away.
    env.setdefault("SKSENTRA_OFFICE_HOURS_ENFORCED", "0")
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def demo_loaded(env: dict) -> bool:
    """Whether the database has users already (quietly: no shell banner, no auto-import count)."""
    return subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-v", "0", "-c",
         "from accounts.models import User; import sys; sys.exit(0 if User.objects.exists() else 1)"],
        cwd=ROOT, env=env,
    ).returncode == 0


class Stop(Exception):
    """A stop signal (SIGTERM, SIGINT/Ctrl+C, SIGHUP) received by run.py."""


def _on_signal(signum, _frame):
    raise Stop(signal.Signals(signum).name)


def catch_stop_signals() -> None:
    """From here on a stop signal unwinds run.py through ``shutdown``: nothing it started is left behind."""
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _on_signal)


def spawn(args: list, env: dict) -> subprocess.Popen:
    """A child in its own process group, so that stopping it also stops what it forked (Celery's pool)."""
    return subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def shutdown(procs: dict, timeout: float = 10.0) -> None:
    """SIGTERM to every child's group, wait up to ``timeout`` seconds for all of them, then SIGKILL the rest."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not cut the shutdown short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for proc in procs.values():
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for name, proc in procs.items():
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop within {timeout:.0f} s; killing it")
    for proc in procs.values():
        _signal_group(proc, signal.SIGKILL)  # also any child a stopped process left behind
        proc.wait()


def run_until_stopped(start, timeout: float = 10.0) -> int:
    """Call ``start(procs)`` (which fills ``procs`` with the children it spawns), then wait until a child
    dies (1) or a stop signal comes (0); either way every child is stopped before returning, including
    when the signal arrives while they are still being started."""
    procs: dict = {}
    catch_stop_signals()
    try:
        start(procs)
        while all(proc.poll() is None for proc in procs.values()):
            time.sleep(0.5)
        dead = [name for name, proc in procs.items() if proc.poll() is not None]
        log(f"stopped: {', '.join(dead)}; shutting down the rest")
        return 1
    except Stop as stop:
        log(f"{stop} received; stopping web, worker and beat")
        return 0
    finally:
        shutdown(procs, timeout)


def up() -> int:
    ensure_venv(ROOT / "requirements" / "base.txt")
    env = embedded_env()
    for folder in ("celery-broker/out", "celery-broker/processed", "sent-emails", "media"):
        (VAR / folder).mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    if not demo_loaded(env):
        log("loading demo data for the 13 kab/kota (about 15 seconds)")
        manage(env, "load_demo")
    celery = [PY, "-m", "celery", "-A", "workflow_project"]

    def start(procs: dict) -> None:
        procs["web"] = spawn([PY, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"], env)
        procs["worker"] = spawn([*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"], env)
        procs["beat"] = spawn([*celery, "beat", "--loglevel", "INFO", "--schedule", str(VAR / "celerybeat-schedule")], env)
        time.sleep(2)
        print(
            f"""
  SK Sentra is running: http://{HOST}:{PORT}/
  Demo logins (password: sentra-demo-2026), one per role and kab/kota, e.g.
    pengusul.donggala  verifikator_dinas.donggala  verifikator_aset.donggala  bagian_hukum.donggala
    kepala_daerah.donggala  pimpinan.donggala  pencatat_provinsi.sulawesitengah  auditor.sulawesitengah
  Emails are written to {VAR / 'sent-emails'}. Stop with Ctrl+C (or SIGTERM): web, worker and beat all stop.
""",
            flush=True,
        )

    return run_until_stopped(start)


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
