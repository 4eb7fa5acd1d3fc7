#!/usr/bin/env python
"""Benchmark: the reminder sweep's cost follows the number of due reminders, not of open tasks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sksentra .venv/bin/python bench/reminder_sweep.py

Uses its own database (``<name>_bench``, dropped and created again). Scenario A: 100,000 open tasks
of which 10,000 are due; scenario B: 10,000 open tasks, all 10,000 due. Prints the sweep's time and
SQL query count for each and their ratio (A / B): close to 1 means the open-but-not-due tasks cost
nothing. Then measures the WhatsApp delivery rate with 2 worker processes against a local Cloud API
server that answers error 130429 above 80 messages/second (``--delivery 0`` skips it).
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import fresh_database, setup_django  # noqa: E402

WITA = ZoneInfo("Asia/Makassar")
NOW = dt.datetime(2026, 11, 9, 8, 0, tzinfo=WITA)  # a Monday, in office hours


def recreate_database(base_url: str) -> str:
    """``<name>_bench`` beside the database of ``base_url``."""
    server, name = base_url.rsplit("/", 1)
    return fresh_database(server, name + "_bench")


def populate(open_tasks: int, due: int):
    """``open_tasks`` open verification tasks with deadlines, ``due`` of them owing a reminder at NOW."""
    from django.db import connection
    from viewflow.workflow.models import Task

    from accounts.roles import Role
    from flows.demo import ensure_users, usulan_data
    from flows.flows import LegalisasiFlow
    from flows.models import LegalisasiProcess, TaskDeadline
    from flows.operations import process_start
    from sentra.models import Region

    users = ensure_users()
    processes = list(LegalisasiProcess.objects.all()[:13])
    if not processes:
        for i, region in enumerate(Region.objects.filter(kind__in=["kabupaten", "kota"]).order_by("code")):
            processes.append(process_start(user=users[(Role.PENGUSUL.value, region.code)], data=usulan_data(region, seed=i + 1)))
    # The bench's own rows go with raw SQL: an ORM delete of 100k tasks would write 100k history rows.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification, flows_taskdeadline CASCADE")
        cursor.execute("DELETE FROM viewflow_task WHERE data->>'bench' = 'true'")

    later = dt.datetime(2026, 12, 1, 7, 30, tzinfo=WITA)
    batch = 5000
    for start in range(0, open_tasks, batch):
        count = min(batch, open_tasks - start)
        tasks = Task.objects.bulk_create([
            Task(process_id=processes[(start + i) % len(processes)].pk, flow_task=LegalisasiFlow.verifikasi_dinas,
                 flow_task_type="HUMAN", status="NEW", data={"bench": True},
                 owner_permission="flows.can_verifikasi_dinas_legalisasiprocess")
            for i in range(count)
        ])
        TaskDeadline.objects.bulk_create([
            TaskDeadline(
                task_id=task.pk, process_id=task.process_id, step="verifikasi_dinas",
                received_on=dt.date(2026, 11, 2), due_on=dt.date(2026, 11, 9), working_days=5, escalate_after=3,
                next_reminder_at=(NOW - dt.timedelta(minutes=1)) if start + i < due else later,
            )
            for i, task in enumerate(tasks)
        ])


def measure_sweep(open_tasks: int, due: int) -> dict:
    from django.db import connection

    from flows import reminders
    from notifications.models import Notification

    populate(open_tasks, due)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        written = reminders.reminders_create_due(now=NOW)
        elapsed = time.perf_counter() - started
    assert Notification.objects.filter(kind="due_today").count() == written
    if os.environ.get("BENCH_SHOW_QUERIES"):
        from collections import Counter

        for sql, n in Counter(s[:120] for s in statements).most_common(8):
            print(f"{n:>7}  {sql}")
    return {"open": open_tasks, "due": due, "seconds": elapsed, "queries": len(statements), "written": written}


def measure_delivery(db_url: str, messages: int) -> dict:
    """Deliver ``messages`` WhatsApp rows with 2 worker processes to a local Cloud API server."""
    import shutil
    import socket

    from django.utils import timezone

    from accounts.models import User
    from notifications.models import Kind, Notification, Status
    from tests.fakes.cloud_api import FakeCloudAPI

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    redis_proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--save", "", "--appendonly", "no"],
                                  stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    cloud = FakeCloudAPI(max_per_second=80).start()
    redis_url = f"redis://127.0.0.1:{port}/0"
    user = User.objects.filter(groups__name="verifikator_dinas").first()
    user.phone = "081234567890"
    user.save()
    Notification.objects.all().delete()
    now = timezone.now()
    Notification.objects.bulk_create([
        Notification(dedup_key=f"bench:{i}", kind=Kind.TASK_CREATED, channel="whatsapp", recipient=user,
                     context={"task": "Verifikasi", "pengelola": "Bench", "region": "Donggala", "due": "9 November 2026",
                              "url": "http://127.0.0.1/"}, not_before=now)
        for i in range(messages)
    ])
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "workflow_project.settings_test",
           "SKSENTRA_TEST_BROKER_URL": redis_url, "REDIS_URL": redis_url, "WHATSAPP_ENABLED": "1",
           "WHATSAPP_API_BASE_URL": cloud.base_url, "WHATSAPP_TOKEN": cloud.token,
           "WHATSAPP_PHONE_NUMBER_ID": cloud.phone_number_id, "SKSENTRA_OFFICE_HOURS_ENFORCED": "0"}
    workers = [subprocess.Popen([sys.executable, "-m", "celery", "-A", "workflow_project", "worker", "-l", "WARNING",
                                 "-c", "4", "--without-gossip", "--without-mingle", "-n", f"bench{i}@localhost"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for i in range(2)]
    try:
        time.sleep(4)
        subprocess.run([sys.executable, "-c", (
            "import django; django.setup(); from notifications import outbox; outbox.outbox_pickup()")],
            cwd=ROOT, env=env, check=True)
        started = time.perf_counter()
        deadline = started + 300
        while time.perf_counter() < deadline:
            sent = Notification.objects.filter(status=Status.SENT).count()
            if sent >= messages:
                break
            time.sleep(0.2)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(20)
        cloud.stop()
        redis_proc.terminate()
    stamps = sorted(r["at"] for r in cloud.requests)
    # The rate is read off the Cloud API server's own clock: first to last request it received.
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    per_second: dict[int, int] = {}
    for stamp in stamps:
        per_second[int(stamp)] = per_second.get(int(stamp), 0) + 1
    return {"messages": messages, "sent": sent, "seconds": span, "rate": (len(stamps) - 1) / span if span else 0,
            "peak_per_second": max(per_second.values()) if per_second else 0, "throttled_130429": cloud.throttled}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--delivery", type=int, default=2000, help="WhatsApp messages for the rate test (0: skip)")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/sksentra")
    db_url = recreate_database(base)
    setup_django(db_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    a = measure_sweep(args.open, args.due)
    b = measure_sweep(args.due, args.due)
    print(f"sweep A: {a['open']:>7} open, {a['due']:>6} due -> {a['seconds']:.2f} s, {a['queries']} queries, {a['written']} rows")
    print(f"sweep B: {b['open']:>7} open, {b['due']:>6} due -> {b['seconds']:.2f} s, {b['queries']} queries, {b['written']} rows")
    print(f"ratio A/B: time {a['seconds'] / b['seconds']:.2f}x, queries {a['queries'] / b['queries']:.2f}x "
          f"(open tasks {a['open'] / b['open']:.0f}x)")
    if args.delivery:
        d = measure_delivery(db_url, args.delivery)
        print(f"delivery: {d['sent']}/{d['messages']} WhatsApp messages in {d['seconds']:.1f} s with 2 workers = "
              f"{d['rate']:.1f} msg/s, peak {d['peak_per_second']} in one second, "
              f"{d['throttled_130429']} answered with 130429 (limit 80/s)")


if __name__ == "__main__":
    main()
