#!/usr/bin/env python
"""Benchmark: the pengelola's periodic reports at N sentra ber-SK (default 200 then 2,000).

    .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --sizes 500 5000

Uses its own database ``sksentra_reportsbench`` on ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432),
dropped and created again. Sentra, pengelola and SKs in force are bulk rows spread over the 13 kab/kota;
the reports themselves are opened by the real beat job (``flows.laporan.periods_open``: a viewflow start,
the pengelola's task, its message and audit event each), half of them then marked submitted and a
quarter accepted by an UPDATE. Printed per size: the opening's time per report and its SQL statements,
the second (idempotent) run, the province dashboard's compliance figures (time, statements), the
province's Excel export of the period (time, bytes, peak Python memory), and the report list page's
first page for the province. The last lines give the ratio of each figure at the largest size against
the smallest: near 1 means the cost does not follow the number of reports.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import fresh_database, setup_django  # noqa: E402

DB_NAME = "sksentra_reportsbench"
OPEN_DAY = dt.date(2027, 1, 4)  # the semester 2026-S2 has ended


def grow(signer, start: int, stop: int):
    """Sentra ``start`` .. ``stop - 1`` with a pengelola and a recorded SK in force (bulk rows)."""
    import secrets

    from django.utils import timezone

    from sentra.choices import StatusPencatatan, StatusSK
    from sentra.models import SK, Pengelola, Region, Sentra

    regions = list(Region.objects.filter(kind__in=["kabupaten", "kota"]).order_by("code"))
    now, day = timezone.now(), dt.date(2026, 7, 1)
    sentra = Sentra.objects.bulk_create([
        Sentra(region=regions[i % len(regions)], name=f"Sentra bench {i}", komoditas="Tenun", alamat=f"Jl. {i}")
        for i in range(start, stop)])
    pengelola = Pengelola.objects.bulk_create([
        Pengelola(sentra=s, name=f"Koperasi bench {s.name}", bentuk_hukum="koperasi", alamat="Jl. Bench") for s in sentra])
    SK.objects.bulk_create([
        SK(pengelola=p, region_id=p.sentra.region_id, nomor=f"100.3.3.2/{start + i}/BENCH/2026", tanggal=day, tahun=2026,
           penandatangan_nama="Vera Elena Laruni", penandatangan_kapasitas="definitif", file="sk/bench.pdf",
           sha256="0" * 64, status=StatusSK.BERLAKU, status_pencatatan=StatusPencatatan.TERCATAT,
           nomor_register=f"72/REG-SENTRA/2026/{start + i + 1:06d}", dicatat_pada=now, ditetapkan_oleh=signer,
           verification_token=secrets.token_urlsafe(18))
        for i, p in enumerate(pengelola)], batch_size=5000)


def timed(func, runs=1):
    """(result, median ms, SQL statements of one run); statements counted by an execute wrapper (Django's
    query log keeps only the last 9,000)."""
    from django.db import connection

    times, counted = [], []

    def count(execute, sql, params, many, context):
        counted[-1] += 1
        return execute(sql, params, many, context)

    for _ in range(runs):
        counted.append(0)
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - started)
    return result, statistics.median(times) * 1000, counted[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup_django(fresh_database(os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"), DB_NAME))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from flows import laporan
    from flows.demo import ensure_users
    from flows.models import LaporanProcess, StatusLaporan
    from sentra.models import Region

    users = ensure_users()
    period = laporan.period_by_label("2026-S2")
    pencatat = users[("pencatat_provinsi", "72")]
    results, made = {}, 0
    for size in sorted(args.sizes):
        grow(users[("kepala_daerah", "72.03")], made, size)
        added = size - made
        made = size
        opened, ms, queries = timed(lambda: laporan.periods_open(today=OPEN_DAY))
        assert opened == added, (opened, added)
        again, ms_again, queries_again = timed(lambda: laporan.periods_open(today=OPEN_DAY))
        assert again == 0
        ids = list(LaporanProcess.objects.order_by("pk").values_list("pk", flat=True))
        LaporanProcess.objects.filter(pk__in=ids[: len(ids) // 2]).update(
            diajukan_pada=timezone.now(), status_laporan=StatusLaporan.DIAJUKAN)
        LaporanProcess.objects.filter(pk__in=ids[: len(ids) // 4]).update(status_laporan=StatusLaporan.DITERIMA)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE flows_laporanprocess")
        data, ms_compliance, q_compliance = timed(lambda: laporan.compliance(pencatat, period), runs=args.runs)
        totals = data["totals"]
        assert totals["due"] == size, totals

        tracemalloc.start()
        content, ms_export, q_export = timed(lambda: laporan.reports_xlsx(pencatat, period))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        client = Client()
        client.force_login(pencatat)
        client.get("/laporan/")
        _, ms_list, q_list = timed(lambda: client.get("/laporan/"), runs=args.runs)
        results[size] = {"open_ms_per_report": ms / added, "compliance_ms": ms_compliance, "export_ms": ms_export,
                         "list_ms": ms_list, "export_peak_mb": peak / 1e6}
        print(f"{size:>6} reports  open: {ms / added:6.1f} ms/report, {queries / added:5.1f} statements/report "
              f"(again: {ms_again:6.1f} ms, {queries_again} statements)")
        print(f"{size:>6} reports  compliance: {ms_compliance:6.1f} ms, {q_compliance} statements "
              f"(due {totals['due']}, received {totals['received']}, accepted {totals['accepted']}, late {totals['late']})")
        print(f"{size:>6} reports  export: {ms_export:7.1f} ms, {q_export} statements, {len(content)} bytes, "
              f"peak {peak / 1e6:.1f} MB Python memory")
        print(f"{size:>6} reports  list /laporan/ (province): {ms_list:6.1f} ms, {q_list} statements")
    small, large = min(args.sizes), max(args.sizes)
    for key in ("open_ms_per_report", "compliance_ms", "list_ms", "export_ms", "export_peak_mb"):
        print(f"ratio {large}/{small} {key:<20} {results[large][key] / results[small][key]:.2f}x")


if __name__ == "__main__":
    main()
