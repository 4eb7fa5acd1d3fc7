"""The legal basis of a BUM Desa Bersama (UU 6/2014 as amended, PP 11/2021) for installations seeded
before that legal form existed. Only these rows are added: entries Bagian Hukum edited or removed stay
as they are."""

from django.db import migrations

from produk_hukum.seed import BUMDES_BERSAMA_BASIS, legal_basis_add


def add(apps, schema_editor):
    legal_basis_add(apps.get_model("produk_hukum", "DasarHukum"), BUMDES_BERSAMA_BASIS)


class Migration(migrations.Migration):
    dependencies = [("produk_hukum", "0002_seed_legal_basis_offices_ibu_kota")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
