#!/usr/bin/env python
"""Benchmark: the provincial register's list (web page and REST API) at 1,000 and 100,000 recorded SKs.

    .venv/bin/python bench/register_list.py                  # 1,000 then 100,000
    .venv/bin/python bench/register_list.py --sizes 1000 10000

Uses its own database ``sksentra_registerbench`` on ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432),
dropped and created again. One real proposal per kab/kota gives the pengelola; the SKs are bulk rows
spread over them (recorded, in force). The first page is requested in-process with Django's test client
as the province's pencatat (sees every kab/kota) and as Donggala's Disperindag (sees its own): median of
``--runs`` requests after a warm-up, and the SQL statements of one request. The last lines print the
ratio of each figure at the largest size against the smallest: near 1 means the page's cost does not
follow the size of the register.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import migrated_database, signed_in_pages_timed, users_and_proposals  # noqa: E402

DB_NAME = "sksentra_registerbench"


def seed():
    users, processes = users_and_proposals()
    return users, [process.pengelola for process in processes]


def grow(pengelola, signer, start: int, stop: int):
    """Recorded SKs number ``start`` .. ``stop - 1``, in batches (bulk rows: no history, as an import would)."""
    import secrets

    from django.utils import timezone

    from sentra.choices import StatusPencatatan, StatusSK
    from sentra.models import SK

    now, today = timezone.now(), timezone.localdate()
    batch = []
    for i in range(start, stop):
        owner = pengelola[i % len(pengelola)]
        batch.append(SK(
            pengelola=owner, region_id=owner.sentra.region_id, nomor=f"100.3.3.2/{i}/DISPERINDAG/{today.year}",
            tanggal=today, tahun=today.year, penandatangan_nama="Vera Elena Laruni", penandatangan_kapasitas="definitif",
            file="sk/bench.pdf", sha256="0" * 64, status=StatusSK.BERLAKU, status_pencatatan=StatusPencatatan.TERCATAT,
            nomor_register=f"72/REG-SENTRA/{today.year}/{i + 1:06d}", dicatat_pada=now, ditetapkan_oleh=signer,
            verification_token=secrets.token_urlsafe(18),
        ))
        if len(batch) == 5000:
            SK.objects.bulk_create(batch)
            batch = []
    SK.objects.bulk_create(batch)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    migrated_database(DB_NAME)
    users, pengelola = seed()
    viewers = {"provinsi": users[("pencatat_provinsi", "72")], "donggala": users[("verifikator_dinas", "72.03")]}
    pages = {"web /register/": "/register/", "api /api/v1/register/": "/api/v1/register/"}
    results, made = {}, 0
    for size in sorted(args.sizes):
        grow(pengelola, users[("kepala_daerah", "72.03")], made, size)
        made = size
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE sentra_sk")
        for who, name, figures in signed_in_pages_timed(viewers, pages, args.runs):
            results[(size, who, name)] = figures
            print(f"{size:>7} SK  {who:<9} {name:<22} {figures['ms']:7.1f} ms  {figures['queries']:>3} queries  "
                  f"{figures['bytes']:>7} bytes")
    small, large = min(args.sizes), max(args.sizes)
    for who in viewers:
        for name in pages:
            a, b = results[(large, who, name)], results[(small, who, name)]
            print(f"ratio {large}/{small} {who:<9} {name:<22} time {a['ms'] / b['ms']:.2f}x, queries "
                  f"{a['queries'] / b['queries']:.2f}x")


if __name__ == "__main__":
    main()
