#!/usr/bin/env python
"""Benchmark: BPKAD's DAK asset lines at their limits.

    .venv/bin/python bench/assets.py [--lines 2000] [--agreements 10000]

Uses its own database ``sksentra_assetsbench`` on ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432),
dropped and created again. Prints, each with its time and SQL statement count:
- the Excel import of the largest sheet allowed (``IMPORT_MAX_ROWS`` lines) into one sentra, then the same
  sheet again (every line updated);
- BPKAD's approval check (``asset_blockers``) and the draft SK (PDF and DOCX) of a sentra with that many lines;
- the daily reminder job with ``--agreements`` sewa lines spread over the 13 kab/kota, a tenth of them ending
  within the thresholds, run twice (the second run must write nothing).
"""

import argparse
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import fresh_database, setup_django  # noqa: E402


def measured(label, fn):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    print(f"{label:<62} {elapsed * 1000:9.0f} ms {len(ctx.captured_queries):7d} statements")
    return result


def sheet(n: int, *, kondisi: str = "Baik") -> bytes:
    from openpyxl import Workbook

    from sentra.asset_services import IMPORT_COLUMNS

    workbook = Workbook()
    ws = workbook.active
    ws.append([col.header for col in IMPORT_COLUMNS])
    for i in range(1, n + 1):
        ws.append(["B", "1.3.2.05.01.04.001", i, f"Mesin {i}", 2022, 185_000_000, "027/1/BAST",
                   dt.date(2022, 12, 15), "Dinas Perindustrian dan Perdagangan", None, kondisi, "Sewa",
                   f"030/{i}/PERJ", dt.date(2026, 1, 5), 5, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=None, help="lines in the imported sheet (default: the maximum)")
    parser.add_argument("--agreements", type=int, default=10_000)
    args = parser.parse_args()

    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    setup_django(fresh_database(server, "sksentra_assetsbench"))
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    from accounts.roles import Role
    from flows.demo import ensure_users, usulan_data
    from flows.operations import process_start
    from flows.reminders import asset_agreement_reminders
    from notifications.models import Kind, Notification
    from sentra.asset_services import IMPORT_MAX_ROWS, asset_blockers, import_xlsx
    from sentra.documents import sk_draft_render
    from sentra.models import AsetDAK, Region

    users = ensure_users()
    regions = list(Region.objects.filter(kind__in=["kabupaten", "kota"]).order_by("code"))
    processes = [process_start(user=users[(Role.PENGUSUL.value, r.code)], data=usulan_data(r, seed=i + 1))
                 for i, r in enumerate(regions)]
    first = processes[0]
    bpkad = users[(Role.VERIFIKATOR_ASET.value, first.region_id)]
    n = args.lines or IMPORT_MAX_ROWS
    content = sheet(n)
    print(f"sheet of {n} lines: {len(content) / 1024:.0f} KiB")
    result = measured(f"import {n} lines (new)", lambda: import_xlsx(sentra=first.pengelola.sentra, uploaded=io.BytesIO(content),
                                                                     user=bpkad))
    assert result.errors is None and result.saved == n, result.errors
    changed = sheet(n, kondisi="Rusak ringan")
    result = measured(f"import {n} lines again (each updated)",
                      lambda: import_xlsx(sentra=first.pengelola.sentra, uploaded=io.BytesIO(changed), user=bpkad))
    assert result.errors is None
    blockers = measured(f"asset_blockers over {n} lines", lambda: asset_blockers(first.pengelola))
    assert blockers == [], blockers[:3]
    pdf = measured(f"draft SK PDF with {n} lines in Lampiran III",
                   lambda: sk_draft_render(pengelola=first.pengelola, fmt="pdf"))
    docx = measured(f"draft SK DOCX with {n} lines in Lampiran III",
                    lambda: sk_draft_render(pengelola=first.pengelola, fmt="docx"))
    print(f"  PDF {len(pdf.content) / 1024:.0f} KiB, DOCX {len(docx.content) / 1024:.0f} KiB")

    # Agreements over all kab/kota: one in ten ends within 90 days of today.
    AsetDAK.objects.all().delete()
    today = dt.date.today()
    rows = []
    for i in range(args.agreements):
        process = processes[i % len(processes)]
        ends = today + dt.timedelta(days=(i % 10) * 100 + 20 if i % 10 else 20 + i % 60)
        rows.append(AsetDAK(
            sentra_id=process.pengelola.sentra_id, jenis_kib="B", kode_barang="1.3.2.05.01.04.001", nup=i + 1,
            nama=f"Mesin {i}", tahun_perolehan=2022, nilai_perolehan=1_000_000, nomor_bast="027/1",
            tanggal_bast=dt.date(2022, 1, 1), opd_pemilik="Disperindag", dasar_pemanfaatan="sewa",
            nomor_perjanjian=f"030/{i}", tanggal_perjanjian=ends.replace(year=ends.year - 5) + dt.timedelta(days=1),
            jangka_waktu_tahun=5, berakhir_pada=ends, updated_by=bpkad,
        ))
    AsetDAK.objects.bulk_create(rows, batch_size=2000)  # the bench's own rows: no history needed
    settings.SKSENTRA_OFFICE_HOURS_ENFORCED = False
    offered = measured(f"reminder job, {args.agreements} agreements (first run)", asset_agreement_reminders)
    reminders = Notification.objects.filter(kind=Kind.AGREEMENT_ENDING)
    written = reminders.count()
    measured(f"reminder job, {args.agreements} agreements (second run)", asset_agreement_reminders)
    print(f"  rows offered {offered}, written {written}, after the second run {reminders.count()}"
          f" ({'idempotent' if reminders.count() == written else 'NOT idempotent'})")


if __name__ == "__main__":
    main()
