"""``Notification.process`` becomes a plain id (``process_id``, the same column): the outbox knows no process."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("flows", "0004_inbox_indexes"),
    ]

    operations = [
        # Drop the foreign key constraint first; the column and its index stay.
        migrations.AlterField(
            model_name="notification",
            name="process",
            field=models.ForeignKey(
                "flows.LegalisasiProcess", on_delete=models.DO_NOTHING, null=True, blank=True,
                related_name="notifications", db_constraint=False,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="notification", name="process"),
                migrations.AddField(
                    model_name="notification",
                    name="process_id",
                    field=models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="usulan"),
                ),
            ],
            database_operations=[],
        ),
    ]
