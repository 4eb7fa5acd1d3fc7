"""Sulawesi Tengah and its 13 kab/kota, from the Kemendagri/BPS list shipped with the project."""

from django.db import migrations


def load(apps, schema_editor):
    from sentra.regions import SULTENG_CSV, read_region_rows, regions_load

    regions_load(read_region_rows(SULTENG_CSV), apps.get_model("sentra", "Region"))


class Migration(migrations.Migration):
    dependencies = [("sentra", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
