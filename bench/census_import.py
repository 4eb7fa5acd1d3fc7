#!/usr/bin/env python
"""Benchmark: importing a generated 5,000-row census file through the page's own path.

    .venv/bin/python bench/census_import.py [--rows 5000] [--existing 20000]

Uses its own PostgreSQL database (``sksentra_census_bench`` on ``BENCH_PG``, default
``postgres://postgres@127.0.0.1:5432``; dropped and created again) holding ``--existing`` members of
other sentra (the duplicate check reads them). The path is the page's: the upload is POSTed to
``/anggota/sentra/<id>/impor/`` by a logged-in pengusul, the check runs in a real Celery worker (a
thread of this process on the in-memory broker, as in the browser test), the confirmation is POSTed to
``/anggota/impor/<id>/simpan/`` and the worker saves. Prints the seconds of each phase (upload answered,
checked, saved) and the process's peak resident memory; then the same import once more under
``tracemalloc`` for the peak of Python allocations (slower: its times are not the figures).
"""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import fresh_database, setup_django  # noqa: E402

DB_NAME = "sksentra_census_bench"


def nik(i: int) -> str:
    # province 72, kab/kota and kecamatan, born 15-06-85, a sequence of 4 digits (+ kecamatan for more)
    return f"72{(i // 10000) % 100:02d}01150685{i % 10000:04d}"


def nib(i: int) -> str:
    return f"9{i:012d}"


def workbook(first: int, rows: int) -> bytes:
    from openpyxl import Workbook

    from sentra.census import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Anggota IKM")
    sheet.append([c.header for c in COLUMNS])
    for i in range(first, first + rows):
        sheet.append([f"Usaha {i}", f"Pemilik {i}", nik(i), nib(i), "10792", "Bawang goreng", 1 + i % 20,
                      f"0812{i:08d}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def wait_for(job_pk: int, statuses, timeout=120.0) -> str:
    from sentra.models import ImporAnggota

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        status = ImporAnggota.objects.filter(pk=job_pk).values_list("status", flat=True).get()
        if status in statuses:
            return status
        time.sleep(0.05)
    raise SystemExit(f"job {job_pk} still not in {statuses} after {timeout} s")


def import_once(client, sentra, content: bytes) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sentra.models import ImporAnggota

    t0 = time.perf_counter()
    response = client.post(f"/anggota/sentra/{sentra.pk}/impor/",
                           {"file": SimpleUploadedFile("anggota.xlsx", content)})
    assert response.status_code == 302, response.status_code
    job_pk = int(response["Location"].rstrip("/").split("/")[-1])
    t1 = time.perf_counter()
    status = wait_for(job_pk, {ImporAnggota.Status.SIAP, ImporAnggota.Status.ADA_KESALAHAN})
    t2 = time.perf_counter()
    assert status == ImporAnggota.Status.SIAP, ImporAnggota.objects.get(pk=job_pk).errors[:3]
    assert client.post(f"/anggota/impor/{job_pk}/simpan/").status_code == 302
    status = wait_for(job_pk, {ImporAnggota.Status.SELESAI, ImporAnggota.Status.ADA_KESALAHAN})
    t3 = time.perf_counter()
    assert status == ImporAnggota.Status.SELESAI
    return {"upload": t1 - t0, "check": t2 - t1, "save": t3 - t2, "total": t3 - t0, "job": job_pk}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--existing", type=int, default=20_000)
    args = parser.parse_args()
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    setup_django(fresh_database(server, DB_NAME))

    from celery.contrib.testing.worker import start_worker
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.roles import Role
    from flows.demo import ensure_users
    from sentra.models import AnggotaIKM, Region, Sentra
    from workflow_project.celery import app

    call_command("migrate", verbosity=0)
    users = ensure_users()
    donggala = Region.objects.get(code="72.03")
    pengusul = users[(Role.PENGUSUL.value, donggala.code)]
    other = Sentra.objects.create(region=Region.objects.get(code="72.02"), name="Sentra lain", komoditas="x", alamat="x")
    # The bench's own rows, written by the database (no Python objects: the memory figure is the import's).
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO sentra_anggotaikm (sentra_id, nama_usaha, pemilik, nik_pemilik, nib, kbli, produk,
                                              tenaga_kerja, telepon)
               SELECT %s, 'Lain ' || i, 'x', '72' || lpad(((i / 10000) %% 100)::text, 2, '0') || '01150685'
                      || lpad((i %% 10000)::text, 4, '0'), '9' || lpad(i::text, 12, '0'), '10792', 'x', 1, ''
               FROM generate_series(%s, %s) AS i""",
            [other.pk, 100_000, 100_000 + args.existing - 1],
        )
    targets = [Sentra.objects.create(region=donggala, name=f"Sentra bench {n}", komoditas="bawang", alamat="x")
               for n in (1, 2)]
    client = Client()
    client.force_login(pengusul)
    files = [workbook(1, args.rows), workbook(1 + args.rows, args.rows)]
    print(f"file: {args.rows} rows, {len(files[0]) / 1024:.0f} KiB; {args.existing} members of another sentra in the "
          f"database")

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        timed = import_once(client, targets[0], files[0])
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        saved = AnggotaIKM.objects.filter(sentra=targets[0]).count()
        history = AnggotaIKM.history.filter(sentra=targets[0]).count()
        print(f"import of {args.rows} rows: upload answered {timed['upload']:.2f} s, checked {timed['check']:.2f} s, "
              f"saved {timed['save']:.2f} s, total {timed['total']:.2f} s ({saved} members, {history} history rows)")
        print(f"peak resident memory of the process (web + worker): {rss_after:.0f} MiB "
              f"(before the import {rss_before:.0f} MiB)")
        tracemalloc.start()
        traced = import_once(client, targets[1], files[1])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python allocations during a second import (tracemalloc, total {traced['total']:.2f} s "
              f"under tracing): {peak / 1024 / 1024:.1f} MiB")
    verdict = "met" if timed["total"] < 30 else "MISSED"
    print(f"target 'a 5,000-row file well under a minute' (< 30 s here): {verdict}")


if __name__ == "__main__":
    main()
