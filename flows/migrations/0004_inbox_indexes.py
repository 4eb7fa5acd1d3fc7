"""Indexes for the inbox, queue and archive queries (flows.task_lists) on viewflow's task table.

viewflow's ``Task`` has single-column indexes only; its lists then sort or filter large sets. These
partial indexes match the three lists exactly (portable SQL: PostgreSQL and SQLite both accept
partial and descending indexes). ``IF NOT EXISTS``/``IF EXISTS`` keep the migration re-runnable.
"""

from django.db import migrations

INDEXES = {
    # inbox: owner's assigned tasks, newest first
    "sk_task_inbox_idx": "viewflow_task (owner_id, created DESC) WHERE status = 'ASSIGNED'",
    # queue: open human tasks, newest first (the scan stops at the page's LIMIT)
    "sk_task_queue_idx": "viewflow_task (created DESC) WHERE status = 'NEW' AND flow_task_type = 'HUMAN'",
    # queue of one region: open tasks of a process, reached from the process's region index
    "sk_task_open_process_idx": "viewflow_task (process_id) WHERE status IN ('NEW', 'ASSIGNED')",
    # archive: owner's finished tasks, most recent first
    "sk_task_archive_idx": "viewflow_task (owner_id, finished DESC) WHERE finished IS NOT NULL",
}


class Migration(migrations.Migration):
    dependencies = [
        ("flows", "0003_step_deadlines"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES.items()
    ]
