from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
        ("flows", "0005_nonworkingday_moved_to_workdays"),
    ]

    operations = [
        migrations.AlterModelTable(name="nonworkingday", table=None),
        migrations.AlterModelTable(name="historicalnonworkingday", table=None),
    ]
