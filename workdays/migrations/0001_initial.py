"""NonWorkingDay moves here from ``flows`` (its tables were made by flows 0002): state only."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("flows", "0004_inbox_indexes"),
        ("sentra", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NonWorkingDay",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(verbose_name="tanggal")),
                        ("name", models.CharField(max_length=200, verbose_name="keterangan")),
                        ("region", models.ForeignKey(blank=True, help_text="Kosongkan bila berlaku untuk semua wilayah.", null=True, on_delete=django.db.models.deletion.CASCADE, to="sentra.region", verbose_name="wilayah")),
                    ],
                    options={
                        "verbose_name": "hari libur tambahan",
                        "verbose_name_plural": "hari libur tambahan",
                        "ordering": ["date"],
                        "db_table": "flows_nonworkingday",
                        "constraints": [models.UniqueConstraint(fields=("date", "region"), name="non_working_day_unique")],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalNonWorkingDay",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("date", models.DateField(verbose_name="tanggal")),
                        ("name", models.CharField(max_length=200, verbose_name="keterangan")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        ("history_type", models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1)),
                        ("history_user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("region", models.ForeignKey(blank=True, db_constraint=False, help_text="Kosongkan bila berlaku untuk semua wilayah.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="sentra.region", verbose_name="wilayah")),
                    ],
                    options={
                        "verbose_name": "historical hari libur tambahan",
                        "verbose_name_plural": "historical hari libur tambahan",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                        "db_table": "flows_historicalnonworkingday",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]
