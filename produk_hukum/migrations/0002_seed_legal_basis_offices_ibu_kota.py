"""The seeded legal basis, a row of generic office names per region, and each region's capital.

The 14 regions of Sulawesi Tengah were loaded without their capital (``Region.ibu_kota``), so every
draft said "Ditetapkan di Banggai" instead of Luwuk. Capitals already set by an admin are kept.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from produk_hukum.seed import ibu_kota_fill, seed_defaults

    region = apps.get_model("sentra", "Region")
    ibu_kota_fill(region)
    seed_defaults(
        region_model=region,
        dasar_hukum_model=apps.get_model("produk_hukum", "DasarHukum"),
        kantor_model=apps.get_model("produk_hukum", "KantorDaerah"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("produk_hukum", "0001_legal_basis_and_offices"),
        ("sentra", "0006_sk_signed_on_behalf"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
