"""Office hours per run of weekdays, standing or for a date range, for one region or all; seeded with
Monday–Thursday 07:30–16:00 and Friday 07:30–16:30 for all regions."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from workdays.seed import office_hours_seed


def seed(apps, schema_editor):
    office_hours_seed(apps.get_model("workdays", "OfficeHours"))


class Migration(migrations.Migration):

    dependencies = [
        ('sentra', '0001_initial'),
        ('workdays', '0002_table_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalOfficeHours',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='keterangan')),
                ('valid_from', models.DateField(blank=True, help_text='Kosongkan kedua tanggal untuk jam kerja tetap; isi keduanya untuk suatu masa (mis. Ramadan).', null=True, verbose_name='berlaku dari')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='berlaku sampai')),
                ('first_weekday', models.PositiveSmallIntegerField(choices=[(0, 'Senin'), (1, 'Selasa'), (2, 'Rabu'), (3, 'Kamis'), (4, 'Jumat'), (5, 'Sabtu'), (6, 'Minggu')], verbose_name='dari hari')),
                ('last_weekday', models.PositiveSmallIntegerField(choices=[(0, 'Senin'), (1, 'Selasa'), (2, 'Rabu'), (3, 'Kamis'), (4, 'Jumat'), (5, 'Sabtu'), (6, 'Minggu')], verbose_name='sampai hari')),
                ('start', models.TimeField(verbose_name='jam masuk')),
                ('end', models.TimeField(verbose_name='jam pulang')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('region', models.ForeignKey(blank=True, db_constraint=False, help_text='Kosongkan bila berlaku untuk semua wilayah.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='sentra.region', verbose_name='wilayah')),
            ],
            options={
                'verbose_name': 'historical jam kerja',
                'verbose_name_plural': 'historical jam kerja',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='OfficeHours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='keterangan')),
                ('valid_from', models.DateField(blank=True, help_text='Kosongkan kedua tanggal untuk jam kerja tetap; isi keduanya untuk suatu masa (mis. Ramadan).', null=True, verbose_name='berlaku dari')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='berlaku sampai')),
                ('first_weekday', models.PositiveSmallIntegerField(choices=[(0, 'Senin'), (1, 'Selasa'), (2, 'Rabu'), (3, 'Kamis'), (4, 'Jumat'), (5, 'Sabtu'), (6, 'Minggu')], verbose_name='dari hari')),
                ('last_weekday', models.PositiveSmallIntegerField(choices=[(0, 'Senin'), (1, 'Selasa'), (2, 'Rabu'), (3, 'Kamis'), (4, 'Jumat'), (5, 'Sabtu'), (6, 'Minggu')], verbose_name='sampai hari')),
                ('start', models.TimeField(verbose_name='jam masuk')),
                ('end', models.TimeField(verbose_name='jam pulang')),
                ('region', models.ForeignKey(blank=True, help_text='Kosongkan bila berlaku untuk semua wilayah.', null=True, on_delete=django.db.models.deletion.CASCADE, to='sentra.region', verbose_name='wilayah')),
            ],
            options={
                'verbose_name': 'jam kerja',
                'verbose_name_plural': 'jam kerja',
                'ordering': ['valid_from', 'first_weekday'],
                'constraints': [models.CheckConstraint(condition=models.Q(('start__lt', models.F('end'))), name='office_hours_start_before_end'), models.CheckConstraint(condition=models.Q(('first_weekday__lte', models.F('last_weekday'))), name='office_hours_weekday_order'), models.CheckConstraint(condition=models.Q(models.Q(('valid_from__isnull', True), ('valid_until__isnull', True)), models.Q(('valid_from__isnull', False), ('valid_from__lte', models.F('valid_until')), ('valid_until__isnull', False)), _connector='OR'), name='office_hours_range_both_or_neither')],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
