"""Every member belongs to its pengelola's sentra; every SK freezes the members its Lampiran lists.

Members are changed with ``save()`` one by one so that each gets its history row (by the ``sistem``
account, as migration 0009 did); the SK's ``lampiran_anggota`` is a frozen value of its own, written
the same way. The digest is the one of ``sentra.census.lampiran_snapshot`` (copied: a migration keeps
the rule of its day).
"""

import hashlib
import json

from django.db import migrations

_DIGEST_FIELDS = ("nib", "nik_pemilik", "nama_usaha", "pemilik", "kbli", "produk", "tenaga_kerja")


def _digest(rows) -> str:
    canonical = json.dumps(sorted([list(map(str, r)) for r in rows]), ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def fill(apps, schema_editor):
    AnggotaIKM = apps.get_model("sentra", "AnggotaIKM")
    HistoricalAnggotaIKM = apps.get_model("sentra", "HistoricalAnggotaIKM")
    Pengelola = apps.get_model("sentra", "Pengelola")
    SK = apps.get_model("sentra", "SK")
    for member in AnggotaIKM.objects.filter(sentra__isnull=True).select_related("pengelola").iterator():
        member.sentra_id = member.pengelola.sentra_id
        member.save(update_fields=["sentra"])
    # The members' history rows name the sentra too (the auditor's timeline reads them).
    for row in HistoricalAnggotaIKM.objects.filter(sentra__isnull=True, pengelola__isnull=False).iterator():
        sentra_id = Pengelola.objects.filter(pk=row.pengelola_id).values_list("sentra_id", flat=True).first()
        if sentra_id is not None:
            row.sentra_id = sentra_id
            row.save(update_fields=["sentra"])
    for sk in SK.objects.filter(lampiran_anggota={}).iterator():
        rows = list(AnggotaIKM.objects.filter(pengelola_id=sk.pengelola_id).values_list("pk", *_DIGEST_FIELDS))
        sk.lampiran_anggota = {"ids": sorted(r[0] for r in rows), "jumlah": len(rows),
                               "sha256": _digest([r[1:] for r in rows])}
        sk.save(update_fields=["lampiran_anggota"])


class Migration(migrations.Migration):

    dependencies = [("sentra", "0011_census_members_schema")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
