#!/usr/bin/env python
"""Benchmark: the province dashboard (led by the DAK sentra indicator) and the list behind its total, with
100 sentra and with 1,000 sentra and 50,000 IKM members.

    .venv/bin/python bench/sentra_dashboard.py
    .venv/bin/python bench/sentra_dashboard.py --runs 9

Uses its own database ``sksentra_dashboardbench`` on ``BENCH_PG`` (default postgres://postgres@127.0.0.1:5432),
dropped and created again. One real proposal per kab/kota, then bulk rows: DAK sentra spread over the 13
kab/kota, each with a DAK allocation and a pengelola; a third with an SK in force, a sixth with an open
proposal, some with an SK past its term or revoked; 50 anggota IKM per sentra. Three stages are measured
as the province's pencatat (every kab/kota) and as Donggala's pimpinan (its own): 100 sentra with 5,000
members, 1,000 sentra with the same 5,000 members, then 1,000 sentra with 50,000 members. The page is
requested in-process with Django's test client: median of ``--runs`` after a warm-up, and the SQL statements
of one request. The last lines print the ratios: 1,000 sentra + 50,000 members against 100 sentra, and
50,000 members against 5,000 at 1,000 sentra (the members alone: should be 1.0x queries and ~1x time).
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._setup import migrated_database, signed_in_pages_timed, timed, users_and_proposals  # noqa: E402

DB_NAME = "sksentra_dashboardbench"


def grow_sentra(users, start: int, stop: int) -> None:
    """Sentra ``start`` .. ``stop - 1`` with their DAK year, pengelola, and SK or open proposal (bulk rows)."""
    import secrets

    from django.utils import timezone

    from flows.flows import LegalisasiFlow
    from flows.models import LegalisasiProcess, Tahap
    from sentra.choices import BentukHukum, StatusPencatatan, StatusSK
    from sentra.models import SK, DakAlokasi, Pengelola, Region, Sentra

    regions = list(Region.objects.filter(kind__in=["kabupaten", "kota"]).order_by("code"))
    today, now = timezone.localdate(), timezone.now()
    signer = users[("kepala_daerah", "72.03")]
    sentra = Sentra.objects.bulk_create([
        Sentra(region=regions[i % len(regions)], name=f"Sentra Bench {i}", komoditas="Rotan", alamat=f"Desa {i}",
               kecamatan="Banawa", confirmed=True)
        for i in range(start, stop)
    ])
    DakAlokasi.objects.bulk_create([DakAlokasi(sentra=s, tahun=2018 + i % 7, nilai=1_000_000_000) for i, s in enumerate(sentra)])
    pengelola = Pengelola.objects.bulk_create([
        Pengelola(sentra=s, name=f"Pengelola {s.name}", bentuk_hukum=BentukHukum.KOPERASI, alamat="Jl. Bench") for s in sentra
    ])
    sks, processes = [], []
    for n, p in enumerate(pengelola, start=start):
        if n % 3 == 0 or n % 11 == 0 or n % 13 == 0:
            status = StatusSK.DICABUT if n % 13 == 0 and n % 3 else StatusSK.BERLAKU
            end = today - dt.timedelta(days=30) if n % 11 == 0 and n % 3 else None
            sks.append(SK(
                pengelola=p, region_id=p.sentra.region_id, nomor=f"100.3.3.2/{n}/BENCH/{today.year}", tanggal=today,
                tahun=today.year, penandatangan_nama="Vera Elena Laruni", penandatangan_kapasitas="definitif",
                file="sk/bench.pdf", sha256="0" * 64, status=status, status_pencatatan=StatusPencatatan.TERCATAT,
                nomor_register=f"72/REG-SENTRA/{today.year}/{n + 1:06d}", dicatat_pada=now, ditetapkan_oleh=signer,
                verification_token=secrets.token_urlsafe(18), masa_bakti_berakhir=end,
            ))
        elif n % 6 == 1:
            processes.append(LegalisasiProcess(
                flow_class=LegalisasiFlow, pengelola=p, region_id=p.sentra.region_id, tahap=Tahap.VERIFIKASI_DINAS,
                diusulkan_oleh=users[("pengusul", p.sentra.region_id)],
            ))
    SK.objects.bulk_create(sks)
    for process in processes:  # a multi-table model (viewflow's Process): one INSERT pair each
        process.save()


def grow_members(start: int, stop: int) -> None:
    """Anggota IKM ``start`` .. ``stop - 1``, spread over every bench pengelola (bulk rows)."""
    from sentra.models import AnggotaIKM, Pengelola

    pengelola = list(
        Pengelola.objects.filter(name__startswith="Pengelola Sentra Bench").values_list("pk", "sentra_id")
    )
    batch = []
    for i in range(start, stop):
        pengelola_id, sentra_id = pengelola[i % len(pengelola)]
        batch.append(AnggotaIKM(
            sentra_id=sentra_id, pengelola_id=pengelola_id, nama_usaha=f"IKM {i}", pemilik=f"Pemilik {i}",
            nik_pemilik=f"7203{i:012d}"[:16], nib=f"{i:013d}", kbli="13134", produk="Tenun", tenaga_kerja=3,
        ))
        if len(batch) == 10_000:
            AnggotaIKM.objects.bulk_create(batch)
            batch = []
    AnggotaIKM.objects.bulk_create(batch)


def measure_indicator(user, runs: int) -> dict:
    """The indicator's own reads (``oversight.sentra_register.indicator``), without the page around them."""
    from oversight.sentra_register import indicator

    ms, queries, _ = timed(lambda: indicator(user), runs)
    return {"ms": ms, "queries": queries}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    migrated_database(DB_NAME)
    from django.db import connection

    users, _ = users_and_proposals()
    viewers = {"provinsi": users[("pencatat_provinsi", "72")], "donggala": users[("pimpinan", "72.03")]}
    pages = {"dasbor": "/register/dasbor/", "daftar indikator": "/register/sentra/?indikator=on"}
    stages = [("100 sentra, 5,000 anggota", 100, 5_000), ("1,000 sentra, 5,000 anggota", 1_000, 5_000),
              ("1,000 sentra, 50,000 anggota", 1_000, 50_000)]
    results, sentra_made, members_made = {}, 0, 0
    for label, n_sentra, n_members in stages:
        grow_sentra(users, sentra_made, n_sentra)
        sentra_made = n_sentra
        grow_members(members_made, n_members)
        members_made = n_members
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        indicator = {"indikator (SQL)": lambda user: measure_indicator(user, args.runs)}
        for who, name, figures in signed_in_pages_timed(viewers, pages, args.runs, also=indicator):
            results[(label, who, name)] = figures
            print(f"{label:<29} {who:<9} {name:<17} {figures['ms']:7.1f} ms  {figures['queries']:>3} queries")
    for (big, small) in ((stages[2][0], stages[0][0]), (stages[2][0], stages[1][0])):
        for who in viewers:
            for name in [*pages, "indikator (SQL)"]:
                a, b = results[(big, who, name)], results[(small, who, name)]
                print(f"ratio [{big}] / [{small}] {who:<9} {name:<17} time {a['ms'] / b['ms']:.2f}x, "
                      f"queries {a['queries'] / b['queries']:.2f}x")


if __name__ == "__main__":
    main()
