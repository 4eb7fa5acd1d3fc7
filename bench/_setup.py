"""What every benchmark does first (a database of its own, dropped and created again, and Django on it),
and what several do alike: one real proposal per kab/kota, and the median time and SQL statements of a call
or of a page."""

import os
import statistics
import time

# The columns of ``flows_legalisasiprocess`` that Django fills from the model's defaults (the table has no
# database defaults), and those values: what a benchmark's raw INSERT of proposals adds to its own columns.
PROCESS_DEFAULT_COLUMNS = "jenis, asset_review, revocation_reason, revocation_grounds"
PROCESS_DEFAULT_VALUES = "'penetapan', true, '', ''"


def fresh_database(server: str, name: str) -> str:
    """Drop and create ``name`` on the PostgreSQL ``server`` (``postgres://user@host:port``); its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workflow_project.settings_test")
    import django

    django.setup()


def migrated_database(name: str, *, announce: bool = False) -> str:
    """The benchmark's own database ``name`` on the server ``BENCH_PG`` (default
    postgres://postgres@127.0.0.1:5432), dropped, created again and migrated, with Django set up on it;
    its URL. ``announce``: say so before migrating (a long run's first line)."""
    setup_django(fresh_database(os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"), name))
    from django.core.management import call_command

    if announce:
        print(f"migrating {name} ...", flush=True)
    call_command("migrate", verbosity=0)
    return os.environ["DATABASE_URL"]


def users_and_proposals() -> tuple[dict, list]:
    """The demo users (``flows.demo.ensure_users``) and one real proposal per kab/kota (by region code),
    started by its pengusul: the flow's own rows, which a benchmark's bulk rows follow."""
    from accounts.roles import Role
    from flows.demo import ensure_users, usulan_data
    from flows.operations import process_start
    from sentra.models import Region

    users = ensure_users()
    return users, [
        process_start(user=users[(Role.PENGUSUL.value, region.code)], data=usulan_data(region, seed=i + 1))
        for i, region in enumerate(Region.objects.filter(kind__in=["kabupaten", "kota"]).order_by("code"))
    ]


def signed_in_pages_timed(viewers: dict, pages: dict, runs: int, *, also: dict | None = None):
    """Each viewer (name: user), signed in on a test client of its own, requests each page (name: URL),
    timed as ``page_timed``; then ``also`` (name: function of the user, answering such figures).
    Yields (viewer's name, page's name, figures)."""
    from django.test import Client

    for who, user in viewers.items():
        client = Client()
        client.force_login(user)
        for name, url in pages.items():
            yield who, name, page_timed(client, url, runs)
        for name, figures_of in (also or {}).items():
            yield who, name, figures_of(user)


def timed(fn, runs: int) -> tuple[float, int, object]:
    """(median ms of ``runs`` calls of ``fn`` after a warm-up call, SQL statements of one more call, the
    warm-up's result). The statements come from Django's query log, which keeps the last 9,000."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return statistics.median(times), len(ctx.captured_queries), result


def page_timed(client, url: str, runs: int) -> dict:
    """A page requested in-process with Django's test ``client`` (server time, not network), as ``timed``
    measures a call; every answer must be 200. ``{"ms", "queries", "bytes"}`` (bytes of the HTML)."""

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    ms, queries, response = timed(get, runs)
    return {"ms": ms, "queries": queries, "bytes": len(response.content)}
