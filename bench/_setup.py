"""What every benchmark does first: a database of its own, dropped and created again, and Django on it."""

import os


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
