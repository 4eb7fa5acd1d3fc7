"""Fill the SK's kab/kota, year and public verification token for SKs recorded before they existed."""

import secrets

from django.db import migrations


def fill(apps, schema_editor):
    SK = apps.get_model("sentra", "SK")
    HistoricalSK = apps.get_model("sentra", "HistoricalSK")
    for sk in SK.objects.select_related("pengelola__sentra").filter(verification_token__isnull=True):
        sk.region_id = sk.pengelola.sentra.region_id
        sk.tahun = sk.tanggal.year
        sk.verification_token = secrets.token_urlsafe(18)
        sk.save(update_fields=["region", "tahun", "verification_token"])
    # Past versions keep the values the SK has now: they describe the same decree.
    current = {row["pk"]: row for row in SK.objects.values("pk", "region_id", "tahun", "verification_token")}
    for version in HistoricalSK.objects.filter(tahun__isnull=True):
        now = current.get(version.id)
        version.tahun = version.tanggal.year
        if now is not None:
            version.region_id = now["region_id"]
            version.verification_token = now["verification_token"]
        else:  # a version of an SK deleted since: it keeps no public page
            version.verification_token = secrets.token_urlsafe(18)
        version.save(update_fields=["tahun", "region", "verification_token"])


class Migration(migrations.Migration):
    dependencies = [("sentra", "0003_sk_register_fields")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
