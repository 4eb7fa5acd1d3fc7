"""Default deadlines per step (5 working days, UU 30/2014 art. 53); the revision step has none."""

from django.db import migrations

STEPS = {
    "verifikasi_dinas": 5,
    "verifikasi_aset": 5,
    "harmonisasi_hukum": 5,
    "penetapan_sk": 5,
    "pencatatan_provinsi": 5,
    "perbaikan": None,
}


def seed(apps, schema_editor):
    StepDeadline = apps.get_model("flows", "StepDeadline")
    for step, days in STEPS.items():
        StepDeadline.objects.get_or_create(step=step, defaults={"working_days": days, "escalate_after": 3})


class Migration(migrations.Migration):
    dependencies = [("flows", "0002_deadlines_and_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
