"""NonWorkingDay now belongs to the ``workdays`` app (its tables stay; workdays 0002 renames them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("flows", "0004_inbox_indexes"),
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalNonWorkingDay"),
                migrations.DeleteModel(name="NonWorkingDay"),
            ],
            database_operations=[],
        ),
    ]
