#!/usr/bin/env python
"""Benchmark: our inbox and queue pages against viewflow's stock list views, at 1k, 10k and 100k open
processes, in one run over the same data (PostgreSQL).

    .venv/bin/python bench/inbox.py                      # 1k, 10k, 100k
    .venv/bin/python bench/inbox.py --sizes 1000 10000   # quicker

Uses its own database ``sksentra_inboxbench`` on ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432),
dropped and created again. Each open process has one open ``verifikasi_dinas`` task with a deadline,
spread over the kab/kota; one task in five of Donggala's is claimed by ``verifikator_dinas.donggala``.
Pages are requested in-process with Django's test client (server time, not network): median of
``--runs`` requests after a warm-up, SQL statements of one request, HTML bytes. The test client keeps
its database connection between requests, as production does with ``DJANGO_CONN_MAX_AGE``. Viewers:

- ``inbox``: verifikator_dinas.donggala's inbox;
- ``queue``: verifikator_dinas.donggala's queue (Donggala's open tasks);
- ``queue-all``: a superuser's queue (every open task: the official who may claim everything);
- ``usulan``: verifikator_dinas.donggala's list of proposals (Donggala's processes).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import (  # noqa: E402
    PROCESS_DEFAULT_COLUMNS, PROCESS_DEFAULT_VALUES, migrated_database, page_timed, users_and_proposals,
)

DB_NAME = "sksentra_inboxbench"


def grow(total: int, templates, inbox_user):
    """Add open processes (one open verifikasi_dinas task each, with a deadline) until ``total``."""
    from django.db import connection
    from viewflow.workflow.models import Process, Task

    from flows.flows import LegalisasiFlow
    from flows.models import LegalisasiProcess

    have = LegalisasiProcess.objects.count()
    add = total - have
    if add <= 0:
        return
    template_task = Task.objects.get(process=templates[0], flow_task=LegalisasiFlow.verifikasi_dinas)
    n = len(templates)
    process_cols = [f.column for f in Process._meta.concrete_fields if f.column != "id"]
    task_cols = [f.column for f in Task._meta.concrete_fields if f.column != "id"]
    pengelola = ",".join(str(p.pengelola_id) for p in templates)
    regions = ",".join(f"'{p.region_id}'" for p in templates)
    pengusul = ",".join(str(p.diusulkan_oleh_id) for p in templates)
    donggala_index = [p.region_id for p in templates].index(inbox_user.region_id)

    p_select = ", ".join(
        "now() - make_interval(secs => g)" if c == "created" else f"t.{c}" for c in process_cols
    )
    task_exprs = {
        "created": "now() - make_interval(secs => np.g)",
        "process_id": "np.id",
        "status": f"CASE WHEN np.k = {donggala_index} AND np.g %% 5 = 0 THEN 'ASSIGNED' ELSE 'NEW' END",
        "owner_id": f"CASE WHEN np.k = {donggala_index} AND np.g %% 5 = 0 THEN {inbox_user.pk} ELSE NULL END",
        "assigned": f"CASE WHEN np.k = {donggala_index} AND np.g %% 5 = 0 THEN now() ELSE NULL END",
        "started": "NULL",
        "finished": "NULL",
    }
    t_select = ", ".join(task_exprs.get(c, f"tt.{c}") for c in task_cols)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH new_p AS (
                INSERT INTO viewflow_process ({", ".join(process_cols)})
                SELECT {p_select} FROM viewflow_process t, generate_series({have + 1}, {total}) g
                WHERE t.id = %s
                RETURNING id, extract(epoch FROM now() - created)::int AS g
            ), np AS (
                SELECT id, g, (g %% {n}) AS k FROM new_p
            ), lp AS (
                INSERT INTO flows_legalisasiprocess (process_ptr_id, pengelola_id, region_id, diusulkan_oleh_id, tahap, putaran,
                                                     {PROCESS_DEFAULT_COLUMNS})
                SELECT id, (ARRAY[{pengelola}])[k + 1], (ARRAY[{regions}])[k + 1], (ARRAY[{pengusul}])[k + 1],
                       'verifikasi_dinas', 1, {PROCESS_DEFAULT_VALUES}
                FROM np RETURNING process_ptr_id
            ), nt AS (
                INSERT INTO viewflow_task ({", ".join(task_cols)})
                SELECT {t_select} FROM np, viewflow_task tt WHERE tt.id = %s
                RETURNING id, process_id, created
            )
            INSERT INTO flows_taskdeadline (task_id, process_id, step, received_on, due_on, working_days,
                                            escalate_after, next_reminder_at, escalated)
            SELECT id, process_id, 'verifikasi_dinas', created::date, created::date + 7, 5, 3, NULL, false FROM nt
            """,
            [templates[0].pk, template_task.pk],
        )
        cursor.execute("ANALYZE")


def page_weight(db_url: str, username: str, password: str, task_path: str) -> dict:
    """Bytes transferred (compressed, as on the wire) by Chromium on a phone-sized screen, served by
    gunicorn with production static files: a first visit (empty cache) and a repeat visit of our inbox
    and of viewflow's stock inbox; our login page and our task page, with an empty cache and right
    after the inbox (the official's usual path, the stylesheet cached)."""
    import socket
    import subprocess
    import tempfile

    from playwright.sync_api import sync_playwright

    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
           "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix="sksentra-bench-static-"), "DJANGO_STATIC_MANIFEST": "1",
           "PYTHONPATH": str(ROOT)}
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "workflow_project.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--log-level", "warning"], cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                      "--disable-sync", "--no-first-run"],
            )

            def session():
                context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                transferred = {"bytes": 0, "requests": 0}

                def finished(event, t=transferred):
                    t["bytes"] += event.get("encodedDataLength", 0)
                    t["requests"] += 1

                cdp.on("Network.loadingFinished", finished)

                def visit(path, *, empty_cache=False):
                    if empty_cache:
                        cdp.send("Network.clearBrowserCache")
                    transferred.update(bytes=0, requests=0)
                    page.goto(f"{base}{path}", wait_until="networkidle")
                    return dict(transferred)

                def login():
                    page.fill("input[name=username]", username)
                    page.fill("input[name=password]", password)
                    page.locator("form").filter(has=page.locator("input[name=password]")).locator("[type=submit]").first.click()
                    page.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=20_000)

                return context, visit, login

            context, visit, login = session()
            results["login"] = {"first": visit("/accounts/login/", empty_cache=True)}
            login()
            results["ours"] = {"first": visit("/legalisasi/inbox/", empty_cache=True), "repeat": visit("/legalisasi/inbox/")}
            results["task"] = {"after inbox": visit(task_path), "first": visit(task_path, empty_cache=True)}
            context.close()

            context, visit, login = session()
            visit("/accounts/login/")
            login()
            results["stock"] = {"first": visit("/legalisasi/stock/inbox/", empty_cache=True),
                                "repeat": visit("/legalisasi/stock/inbox/")}
            context.close()
            browser.close()
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    migrated_database(DB_NAME)
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import User

    users, templates = users_and_proposals()
    official = User.objects.get(username="verifikator_dinas.donggala") if User.objects.filter(
        username="verifikator_dinas.donggala").exists() else users[("verifikator_dinas", "72.03")]
    admin = User.objects.create_superuser("bench-admin", "bench@example.test", "bench-password-123")

    pages = {
        "inbox": (official, "/legalisasi/inbox/", "/legalisasi/stock/inbox/"),
        "queue": (official, "/legalisasi/queue/", "/legalisasi/stock/queue/"),
        "queue-all": (admin, "/legalisasi/queue/", "/legalisasi/stock/queue/"),
        "usulan": (official, "/legalisasi/flows/", "/legalisasi/stock/flows/"),
    }
    results = {}
    with override_settings(ROOT_URLCONF="bench.inbox_urls"):
        clients = {}
        for name, (user, _, _) in pages.items():
            clients[name] = Client()
            clients[name].force_login(user)
        for size in args.sizes:
            grow(size, templates, official)
            for name, (user, ours_url, stock_url) in pages.items():
                ours = page_timed(clients[name], ours_url, args.runs)
                stock = page_timed(clients[name], stock_url, max(3, args.runs // 3))
                results[(size, name)] = (ours, stock)
                print(
                    f"{size:>7} open  {name:<9}  ours {ours['ms']:7.1f} ms {ours['queries']:>3} q {ours['bytes'] / 1024:8.1f} KB"
                    f"  |  stock {stock['ms']:8.1f} ms {stock['queries']:>3} q {stock['bytes'] / 1024:9.1f} KB"
                    f"  |  stock/ours time {stock['ms'] / ours['ms']:6.1f}x  bytes {stock['bytes'] / ours['bytes']:6.1f}x",
                    flush=True,
                )
    from flows.models import LegalisasiTask

    mine = LegalisasiTask.objects.filter(owner=official, status="ASSIGNED").order_by("-pk").first()
    task_path = f"/legalisasi/{mine.process_id}/{mine.flow_task.name}/{mine.pk}/execute/"
    weight = page_weight(os.environ["DATABASE_URL"], "verifikator_dinas.donggala", demo_password(), task_path)

    def kb(visit):
        return f"{visit['bytes'] / 1024:7.1f} KB in {visit['requests']:>2} requests"

    for label in ("ours", "stock"):
        w = weight[label]
        print(f"page weight  inbox {label:<5}  first visit {kb(w['first'])}  |  repeat visit {kb(w['repeat'])}")
    print(f"page weight  first visit ours/stock {weight['ours']['first']['bytes'] / weight['stock']['first']['bytes']:.2f}"
          f"  repeat ours/stock {weight['ours']['repeat']['bytes'] / weight['stock']['repeat']['bytes']:.2f}")
    print(f"page weight  login page  first visit {kb(weight['login']['first'])}")
    print(f"page weight  task page   first visit {kb(weight['task']['first'])}  |  after the inbox {kb(weight['task']['after inbox'])}")
    first, last = min(args.sizes), max(args.sizes)
    growth = {}
    if first != last:
        for name in pages:
            a, b = results[(first, name)][0], results[(last, name)][0]
            growth[name] = max(b["ms"] / a["ms"], b["queries"] / a["queries"], b["bytes"] / a["bytes"])
            print(f"growth {first} -> {last}  {name:<9}  ours time {b['ms'] / a['ms']:.2f}x  queries {b['queries'] / a['queries']:.2f}x"
                  f"  bytes {b['bytes'] / a['bytes']:.2f}x")
    # The targets, judged on this run's figures at the largest size.
    checks = []
    for name in ("inbox", "queue"):
        ours = results[(last, name)][0]
        checks += [
            (f"{name} median <= 40 ms at {last}", ours["ms"] <= 40, f"{ours['ms']:.1f} ms"),
            (f"{name} <= 15 queries at {last}", ours["queries"] <= 15, f"{ours['queries']}"),
            (f"{name} HTML <= 80 KB at {last}", ours["bytes"] <= 80 * 1024, f"{ours['bytes'] / 1024:.1f} KB"),
        ]
        if name in growth:
            checks.append((f"{name} growth {first} -> {last} <= 1.5x", growth[name] <= 1.5, f"{growth[name]:.2f}x"))
    ratio = weight["ours"]["first"]["bytes"] / weight["stock"]["first"]["bytes"]
    checks.append(("inbox first visit <= half of stock", ratio <= 0.5, f"{ratio:.2f}"))
    for label, ok, figure in checks:
        print(f"target  {'met   ' if ok else 'MISSED'}  {label:<38} {figure}")


def demo_password():
    from flows.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


if __name__ == "__main__":
    main()
