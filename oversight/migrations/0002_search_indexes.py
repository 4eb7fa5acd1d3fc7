"""Indexes for the officials' search (``oversight.search``) and the service-level recorder.

Exact identifiers (a pengurus' NIK, an SK number compared without case) get btree indexes on both
databases (a member's NIK and NIB are indexed by ``sentra``); names get trigram GIN indexes on PostgreSQL (``pg_trgm``), matching
Django's ``icontains`` there (``UPPER(col::text) LIKE UPPER('%…%')``); SQLite (the embedded mode) has no
trigram index and scans its small tables. ``finished`` of viewflow's human tasks lets the recorder read
only the tasks finished since its watermark. ``IF NOT EXISTS``/``IF EXISTS`` keep it re-runnable.
"""

from django.db import migrations

# A member's NIK and NIB have the register's own indexes (sentra: anggota_nik_idx, anggota_nib_idx).
BTREE = {
    "sk_pengurus_nik_idx": "sentra_pengurus (nik)",
    "sk_sk_nomor_lower_idx": "sentra_sk (LOWER(nomor))",
    "sk_task_finished_idx": "viewflow_task (finished) WHERE status = 'DONE' AND flow_task_type = 'HUMAN'",
}

TRIGRAM = {
    "sk_sentra_name_trgm": "sentra_sentra USING gin (UPPER(name::text) gin_trgm_ops)",
    "sk_pengelola_name_trgm": "sentra_pengelola USING gin (UPPER(name::text) gin_trgm_ops)",
}


def trigram_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in TRIGRAM.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def trigram_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_step_durations"),
        ("sentra", "0010_sk_lifecycle_links_and_term"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        *[
            migrations.RunSQL(
                sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
                reverse_sql=f"DROP INDEX IF EXISTS {name}",
            )
            for name, definition in BTREE.items()
        ],
        migrations.RunPython(trigram_create, trigram_drop),
    ]
