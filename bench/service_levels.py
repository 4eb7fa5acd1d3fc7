#!/usr/bin/env python
"""Benchmark: the service-level report and its recorder at N and 10×N finished tasks of history.

    .venv/bin/python bench/service_levels.py                        # 100,000 then 1,000,000 finished tasks
    .venv/bin/python bench/service_levels.py --sizes 20000 200000

Uses its own database ``sksentra_slabench`` on ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432),
dropped and created again. History is written by SQL (``generate_series``) at a steady 200 finished tasks a
day over the 13 kab/kota, eight tasks per proposal: each finished task as viewflow's task row (DONE), its
``TaskDeadline`` and its recorded ``StepDuration``; growing to 10×N adds the older years, so the report's
period (the last 90 days) holds the same rows while the history is ten times longer. 2,000 tasks are open
(a third overdue). At each size:

- the report (``service_level_report``) for Donggala's pimpinan and for the province's pencatat: median of
  ``--runs`` calls after a warm-up, and its SQL statements;
- the recorder (``durations_record``): 1,000 tasks finished since the watermark, recorded.

The last lines print each figure at 10×N against N: near 1 means the cost does not follow the history.
"""

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import PROCESS_DEFAULT_COLUMNS, PROCESS_DEFAULT_VALUES, migrated_database, timed  # noqa: E402

DB_NAME = "sksentra_slabench"
PER_DAY = 200
PER_PROCESS = 8
OPEN_TASKS = 2000
NEW_TASKS = 1000
STEPS = ("verifikasi_dinas", "verifikasi_aset", "harmonisasi_hukum", "paraf_koordinasi", "revisi_rancangan",
         "penetapan_sk", "penomoran_sk", "pencatatan_provinsi", "tanggapan_catatan")
TBASE = 10_000_000  # task ids of the generated history (far above the real rows)
PBASE = 10_000_000  # process ids of the generated history
OPEN_PBASE = 30_000_000


class Seeder:
    def __init__(self):
        from django.db import connection

        from flows.demo import ensure_users, usulan_data
        from flows.operations import process_start
        from sentra.models import Region

        self.users = ensure_users()
        regions = list(Region.objects.filter(kind__in=["kabupaten", "kota"]).order_by("code"))
        real = process_start(user=self.users[("pengusul", regions[0].code)], data=usulan_data(regions[0], seed=1))
        self.pengelola_id = real.pengelola_id
        self.connection = connection
        with connection.cursor() as cur:
            cur.execute("SELECT flow_class FROM viewflow_process WHERE id = %s", [real.pk])
            self.flow_class = cur.fetchone()[0]
            cur.execute("CREATE TABLE bench_region (i int PRIMARY KEY, code varchar, official int, pengusul int)")
            cur.executemany("INSERT INTO bench_region VALUES (%s, %s, %s, %s)", [
                (k, r.code, self.users[("verifikator_dinas", r.code)].pk, self.users[("pengusul", r.code)].pk)
                for k, r in enumerate(regions)])
            cur.execute("CREATE TABLE bench_step (i int PRIMARY KEY, step varchar)")
            cur.executemany("INSERT INTO bench_step VALUES (%s, %s)", list(enumerate(STEPS)))
        self.size = 0
        self.nr, self.ns = len(regions), len(STEPS)

    def _processes(self, cur, first: int, last: int, status: str, base: int, tahap: str = "verifikasi_dinas"):
        cur.execute(f"""
            INSERT INTO viewflow_process (id, flow_class, status, created, data)
            SELECT {base} + p, %s, %s, now(), '{{}}'::jsonb FROM generate_series({first}, {last}) p""",
                    [self.flow_class, status])
        cur.execute(f"""
            INSERT INTO flows_legalisasiprocess (process_ptr_id, tahap, putaran, diusulkan_oleh_id, pengelola_id, region_id,
                                                 {PROCESS_DEFAULT_COLUMNS})
            SELECT {base} + p, %s, 1, r.pengusul, {self.pengelola_id}, r.code, {PROCESS_DEFAULT_VALUES}
            FROM generate_series({first}, {last}) p JOIN bench_region r ON r.i = p %% {self.nr}""", [tahap])

    def grow(self, size: int):
        """Finished tasks ``self.size`` .. ``size - 1``: task k finished k // PER_DAY days ago (older as k grows)."""
        first, last = self.size, size - 1
        with self.connection.cursor() as cur:
            self._processes(cur, (first + PER_PROCESS - 1) // PER_PROCESS, last // PER_PROCESS, "DONE", PBASE, "tercatat")
            # task k: region (k // 8) % 13 (its process's), step k % 9, received (k % 7) working-ish days before finishing
            cur.execute(f"""
                CREATE TEMP TABLE bench_batch AS
                SELECT k, {PBASE} + k / {PER_PROCESS} AS process_id, r.code AS region_id, r.official, s.step,
                       (current_date - (k / {PER_DAY}) * interval '1 day')::date AS finished_on, k % 7 AS days
                FROM generate_series({first}, {last}) k
                JOIN bench_region r ON r.i = (k / {PER_PROCESS}) % {self.nr} JOIN bench_step s ON s.i = k % {self.ns}""")
            cur.execute(f"""
                INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, finished, token, owner_id,
                                           process_id, data)
                SELECT {TBASE} + k, 'flows/flows.LegalisasiFlow.' || step, 'HUMAN', 'DONE',
                       (finished_on - days) + time '09:00', finished_on + time '11:00', 'start', official, process_id,
                       '{{}}'::jsonb
                FROM bench_batch""")
            cur.execute(f"""
                INSERT INTO flows_taskdeadline (task_id, process_id, step, received_on, due_on, working_days,
                                                escalate_after, escalated)
                SELECT {TBASE} + k, process_id, step, finished_on - days, finished_on - days + 7, 5, 3, false FROM bench_batch""")
            cur.execute(f"""
                INSERT INTO oversight_stepduration (task_id, process_id, region_id, step, official_id, received_on,
                                                    finished_on, working_days, due_on, late)
                SELECT {TBASE} + k, process_id, region_id, step, official, finished_on - days, finished_on, days,
                       finished_on - days + 7, days > 5
                FROM bench_batch""")
            cur.execute("DROP TABLE bench_batch")
            cur.execute("ANALYZE")
        self.size = size

    def open_tasks(self):
        """OPEN_TASKS open tasks (half claimed), received over the last 20 days with a 7-day deadline."""
        with self.connection.cursor() as cur:
            self._processes(cur, 0, OPEN_TASKS - 1, "NEW", OPEN_PBASE)
            cur.execute(f"""
                INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, token, owner_id, process_id, data)
                SELECT {OPEN_PBASE} + k, 'flows/flows.LegalisasiFlow.' || s.step, 'HUMAN',
                       CASE WHEN k % 2 = 0 THEN 'NEW' ELSE 'ASSIGNED' END, now() - (k % 20) * interval '1 day', 'start',
                       CASE WHEN k % 2 = 0 THEN NULL ELSE r.official END, {OPEN_PBASE} + k, '{{}}'::jsonb
                FROM generate_series(0, {OPEN_TASKS - 1}) k JOIN bench_region r ON r.i = k % {self.nr}
                JOIN bench_step s ON s.i = k % {self.ns}""")
            cur.execute(f"""
                INSERT INTO flows_taskdeadline (task_id, process_id, step, received_on, due_on, working_days, escalate_after, escalated)
                SELECT t.id, t.process_id, split_part(t.flow_task, '.', 3), t.created::date, t.created::date + 7, 5, 3, false
                FROM viewflow_task t WHERE t.id >= {OPEN_PBASE}""")

    def finish_new(self, batch: int):
        """``NEW_TASKS`` tasks finished a minute ago (after the watermark), not yet recorded."""
        from django.utils import timezone

        from oversight.models import SlaWatermark

        start = 50_000_000 + batch * NEW_TASKS
        with self.connection.cursor() as cur:
            self._processes(cur, start, start + NEW_TASKS - 1, "NEW", 0)
            cur.execute(f"""
                INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, finished, token, owner_id, process_id, data)
                SELECT k, 'flows/flows.LegalisasiFlow.' || s.step, 'HUMAN', 'DONE', now() - (k % 9) * interval '1 day',
                       now() - interval '1 minute', 'start', r.official, k, '{{}}'::jsonb
                FROM generate_series({start}, {start + NEW_TASKS - 1}) k JOIN bench_region r ON r.i = k % {self.nr}
                JOIN bench_step s ON s.i = k % {self.ns}""")
        SlaWatermark.objects.update_or_create(name="step_durations",
                                              defaults={"finished_until": timezone.now() - dt.timedelta(minutes=2)})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000], metavar=("N", "TEN_N"))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    migrated_database(DB_NAME, announce=True)
    from django.utils import timezone

    seeder = Seeder()
    seeder.open_tasks()

    from oversight.service_levels import durations_record, service_level_report

    today = timezone.localdate()
    period = {"date_from": today - dt.timedelta(days=89), "date_to": today}
    people = [("Donggala pimpinan", seeder.users[("pimpinan", "72.03")]),
              ("province pencatat", seeder.users[("pencatat_provinsi", "72")])]
    figures = {}
    for index, size in enumerate(args.sizes):
        started = time.perf_counter()
        seeder.grow(size)
        print(f"\nhistory: {size:,} finished tasks over {size // PER_DAY:,} days "
              f"(generated in {time.perf_counter() - started:.0f} s)", flush=True)
        for who, user in people:
            ms, queries, report = timed(lambda: service_level_report(user, **period), args.runs)
            figures[(who, index)] = ms
            print(f"  report, {who:18} {ms:8.1f} ms  {queries:2d} queries  "
                  f"finished in period {report['totals']['finished']:,}, open {report['totals']['open']:,}, "
                  f"overdue {report['totals']['overdue']:,}, median {report['totals']['median']}, p90 {report['totals']['p90']}",
                  flush=True)
        seeder.finish_new(index)
        started = time.perf_counter()
        added = durations_record()
        ms = (time.perf_counter() - started) * 1000
        figures[("recorder", index)] = ms
        print(f"  recorder: {added:,} newly finished tasks recorded in {ms:.0f} ms", flush=True)
    n, ten_n = args.sizes
    print(f"\nratio at {ten_n:,} / {n:,} finished tasks (history x{ten_n / n:.0f}; the period holds the same rows):")
    for who in [p[0] for p in people] + ["recorder"]:
        print(f"  {'report, ' + who if who != 'recorder' else 'recorder':28} {figures[(who, 0)]:8.1f} ms -> "
              f"{figures[(who, 1)]:8.1f} ms   x{figures[(who, 1)] / figures[(who, 0)]:.2f}")


if __name__ == "__main__":
    main()
