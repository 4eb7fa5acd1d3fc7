"""The embedded mode (``python3 run.py``): the app's own error pages, a quiet start, and a stop that ends
web, worker and beat."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import run  # noqa: E402  (run.py is a script at the repository's root)


def _embedded_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SKSENTRA_", "DATABASE_URL", "REDIS_URL"))}
    env["SKSENTRA_VAR_DIR"] = str(tmp_path)
    run_env = run.embedded_env()
    return {**env, **{k: v for k, v in run_env.items() if k.startswith(("DJANGO_", "SKSENTRA_"))}, "SKSENTRA_VAR_DIR": str(tmp_path)}


def test_the_embedded_mode_runs_without_debug_and_answers_an_unknown_address_with_the_apps_404(tmp_path):
    probe = textwrap.dedent("""
        from django.conf import settings
        from django.test import Client
        response = Client(HTTP_HOST="127.0.0.1").get("/tidak-ada/")
        html = response.content.decode()
        print(settings.DEBUG, response.status_code, "URLconf" in html, "Halaman tidak ditemukan" in html)
    """)
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-v", "0", "-c", probe],
                            cwd=ROOT, env=_embedded_env(tmp_path), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "404", "False", "True"]


@pytest.mark.django_db
def test_an_unknown_address_and_a_refused_page_show_the_apps_own_pages_on_the_light_frame(donggala):
    from tests.helpers import client_for

    client = client_for(donggala["pengusul"])
    missing = client.get("/legalisasi/999999/")
    assert missing.status_code == 404
    assert "Halaman tidak ditemukan" in missing.content.decode() and "Keluar" in missing.content.decode()
    refused = client.get("/register/dasbor/")  # the province dashboard is not the pengusul's
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Akses ditolak" in html and "Keluar" in html and "turbo" not in html.lower()


def test_the_embedded_check_for_demo_data_prints_nothing(tmp_path, capfd):
    env = _embedded_env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    capfd.readouterr()
    assert run.demo_loaded(env) is False
    out, err = capfd.readouterr()
    assert "imported automatically" not in out + err
    assert out + err == ""


SUPERVISOR = textwrap.dedent("""
    import subprocess, sys
    sys.path.insert(0, {root!r})
    import run
    stubborn = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
    polite = "import time; time.sleep(600)"

    def start(procs):
        for name, code in (("web", polite), ("worker", stubborn), ("beat", polite)):
            procs[name] = run.spawn([sys.executable, "-c", code], env=None)
        print(" ".join(str(p.pid) for p in procs.values()), flush=True)

    sys.exit(run.run_until_stopped(start, timeout=2))
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead: its parent (the supervisor) is gone or has reaped it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_run_py_ends_web_worker_and_beat_even_one_that_ignores_sigterm(signum):
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISOR.format(root=str(ROOT))],
                                  stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in supervisor.stdout.readline().split()]
    assert len(pids) == 3 and all(_alive(p) for p in pids)
    started = time.monotonic()
    supervisor.send_signal(signum)
    assert supervisor.wait(timeout=15) == 0
    assert time.monotonic() - started < 6
    assert not any(_alive(p) for p in pids)
