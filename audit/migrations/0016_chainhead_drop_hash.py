"""The chain head keeps only the number of the last event: the hash is read from that event
(``audit.services._chain_reserve``, ``chain_head``), which saves every append the head's UPDATE."""

from django.db import migrations, models

GENESIS_HASH = "0" * 64


def noop(apps, schema_editor):
    pass


def hash_refill(apps, schema_editor):
    """Going back: the head's copy of the hash, taken from the event it numbers."""
    ChainHead, AuditEvent = apps.get_model("audit", "ChainHead"), apps.get_model("audit", "AuditEvent")
    for head in ChainHead.objects.all():
        head.hash = AuditEvent.objects.filter(seq=head.seq).values_list("hash", flat=True).first() or GENESIS_HASH
        head.save(update_fields=["hash"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0015_nik_search_action")]

    operations = [
        migrations.RunPython(noop, hash_refill),
        migrations.RemoveField(model_name="chainhead", name="hash"),
    ]
