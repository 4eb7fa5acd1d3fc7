"""Legal forms: BUM Desa Bersama beside BUM Desa; BLUD becomes a UPTD applying PPK-BLUD.

A BLUD is not a body of its own but the financial pattern of a UPTD (Permendagri 79/2018). Pengelola
proposed as "blud" become "uptd" with ``ppk_blud`` set; each change gets a history row (the data
migration bypasses django-simple-history's signals) by the system account, as changes made outside a
web request do. Past history rows keep the "blud" they recorded.

The schema changes come first and the row updates last: PostgreSQL refuses an ALTER TABLE after row
updates in one transaction ("pending trigger events").
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import migrations, models
from django.utils import timezone

# audit.services.SYSTEM_USERNAME: the named account that acts outside a web request.
SYSTEM_USERNAME = "sistem"
CHANGE_REASON = "BLUD menjadi UPTD dengan PPK-BLUD"


def _system_user(apps):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User.objects.create(
            username=SYSTEM_USERNAME,
            first_name="Sistem",
            last_name="SK Sentra",
            is_active=False,
            password=make_password(None),
        )
    return user


def blud_to_uptd(apps, schema_editor):
    Pengelola = apps.get_model("sentra", "Pengelola")
    HistoricalPengelola = apps.get_model("sentra", "HistoricalPengelola")
    old = list(Pengelola.objects.filter(bentuk_hukum="blud").order_by("pk"))
    if not old:
        return
    actor = _system_user(apps)
    now = timezone.now()
    for pengelola in old:
        pengelola.bentuk_hukum = "uptd"
        pengelola.ppk_blud = True
        pengelola.save(update_fields=["bentuk_hukum", "ppk_blud"])
        HistoricalPengelola.objects.create(
            id=pengelola.pk,
            sentra_id=pengelola.sentra_id,
            name=pengelola.name,
            bentuk_hukum="uptd",
            ppk_blud=True,
            alamat=pengelola.alamat,
            masa_bakti_tahun=pengelola.masa_bakti_tahun,
            created_at=pengelola.created_at,
            history_date=now,
            history_type="~",
            history_user=actor,
            history_change_reason=CHANGE_REASON,
        )


def uptd_to_blud(apps, schema_editor):
    """Back: a UPTD with PPK-BLUD is proposed as "blud" again (the old schema had no flag)."""
    Pengelola = apps.get_model("sentra", "Pengelola")
    for pengelola in Pengelola.objects.filter(bentuk_hukum="uptd", ppk_blud=True):
        pengelola.bentuk_hukum = "blud"
        pengelola.ppk_blud = False
        pengelola.save(update_fields=["bentuk_hukum", "ppk_blud"])


class Migration(migrations.Migration):

    dependencies = [
        ('sentra', '0008_sk_number_constraint_and_register_snapshot'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalpengelola',
            name='ppk_blud',
            field=models.BooleanField(default=False, help_text='Hanya untuk UPTD yang menerapkan Pola Pengelolaan Keuangan BLUD; unggah keputusan kepala daerah tentang penerapannya.', verbose_name='UPTD menerapkan PPK-BLUD'),
        ),
        migrations.AddField(
            model_name='pengelola',
            name='ppk_blud',
            field=models.BooleanField(default=False, help_text='Hanya untuk UPTD yang menerapkan Pola Pengelolaan Keuangan BLUD; unggah keputusan kepala daerah tentang penerapannya.', verbose_name='UPTD menerapkan PPK-BLUD'),
        ),
        migrations.AlterField(
            model_name='dokumen',
            name='jenis',
            field=models.CharField(choices=[('surat_permohonan', 'Surat permohonan'), ('berita_acara', 'Berita acara rapat anggota pembentukan pengelola'), ('ad_art', 'AD/ART'), ('akta_ahu', 'Akta pendirian dan pengesahan AHU'), ('perdes', 'Peraturan Desa pendirian BUM Desa'), ('peraturan_bersama_kades', 'Peraturan Bersama Kepala Desa pendirian BUM Desa Bersama'), ('sertifikat_bh_bumdes', 'Sertifikat pendaftaran badan hukum BUM Desa/BUM Desa Bersama (Kemenkumham/Kementerian Hukum, PP 11/2021)'), ('perda', 'Peraturan Daerah pendirian BUMD'), ('perkada_uptd', 'Peraturan Kepala Daerah pembentukan UPTD'), ('keputusan_ppk_blud', 'Keputusan kepala daerah tentang penerapan PPK-BLUD pada UPTD'), ('daftar_pengurus', 'Daftar pengurus'), ('rencana_kerja', 'Rencana kerja'), ('pernyataan_komitmen', 'Surat pernyataan komitmen mengoperasikan, memelihara dan melapor'), ('dokumen_aset', 'Dokumen aset (BAST, petikan KIB, perjanjian pemanfaatan)'), ('rancangan_sk', 'Rancangan SK'), ('lainnya', 'Lainnya')], max_length=30, verbose_name='jenis dokumen'),
        ),
        migrations.AlterField(
            model_name='historicaldokumen',
            name='jenis',
            field=models.CharField(choices=[('surat_permohonan', 'Surat permohonan'), ('berita_acara', 'Berita acara rapat anggota pembentukan pengelola'), ('ad_art', 'AD/ART'), ('akta_ahu', 'Akta pendirian dan pengesahan AHU'), ('perdes', 'Peraturan Desa pendirian BUM Desa'), ('peraturan_bersama_kades', 'Peraturan Bersama Kepala Desa pendirian BUM Desa Bersama'), ('sertifikat_bh_bumdes', 'Sertifikat pendaftaran badan hukum BUM Desa/BUM Desa Bersama (Kemenkumham/Kementerian Hukum, PP 11/2021)'), ('perda', 'Peraturan Daerah pendirian BUMD'), ('perkada_uptd', 'Peraturan Kepala Daerah pembentukan UPTD'), ('keputusan_ppk_blud', 'Keputusan kepala daerah tentang penerapan PPK-BLUD pada UPTD'), ('daftar_pengurus', 'Daftar pengurus'), ('rencana_kerja', 'Rencana kerja'), ('pernyataan_komitmen', 'Surat pernyataan komitmen mengoperasikan, memelihara dan melapor'), ('dokumen_aset', 'Dokumen aset (BAST, petikan KIB, perjanjian pemanfaatan)'), ('rancangan_sk', 'Rancangan SK'), ('lainnya', 'Lainnya')], max_length=30, verbose_name='jenis dokumen'),
        ),
        migrations.AlterField(
            model_name='historicalpemeriksaanaset',
            name='status_pemanfaatan',
            field=models.CharField(choices=[('belum', 'Belum ada dasar pemanfaatan'), ('pinjam_pakai', 'Pinjam pakai'), ('sewa', 'Sewa'), ('ksp', 'Kerja sama pemanfaatan (KSP)'), ('penggunaan_opd', 'Digunakan OPD (termasuk UPTD, dengan atau tanpa PPK-BLUD)'), ('penyertaan_modal', 'Penyertaan modal daerah (BUMD)')], max_length=20, verbose_name='status/bentuk pemanfaatan'),
        ),
        migrations.AlterField(
            model_name='historicalpengelola',
            name='bentuk_hukum',
            field=models.CharField(choices=[('uptd', 'UPTD (Unit Pelaksana Teknis Daerah)'), ('bumd', 'BUMD / Perusda'), ('bumdes', 'BUM Desa'), ('bumdes_bersama', 'BUM Desa Bersama'), ('koperasi', 'Koperasi'), ('pengurus', 'Pengurus non-badan-hukum')], max_length=20, verbose_name='bentuk kelembagaan'),
        ),
        migrations.AlterField(
            model_name='pemeriksaanaset',
            name='status_pemanfaatan',
            field=models.CharField(choices=[('belum', 'Belum ada dasar pemanfaatan'), ('pinjam_pakai', 'Pinjam pakai'), ('sewa', 'Sewa'), ('ksp', 'Kerja sama pemanfaatan (KSP)'), ('penggunaan_opd', 'Digunakan OPD (termasuk UPTD, dengan atau tanpa PPK-BLUD)'), ('penyertaan_modal', 'Penyertaan modal daerah (BUMD)')], max_length=20, verbose_name='status/bentuk pemanfaatan'),
        ),
        migrations.AlterField(
            model_name='pengelola',
            name='bentuk_hukum',
            field=models.CharField(choices=[('uptd', 'UPTD (Unit Pelaksana Teknis Daerah)'), ('bumd', 'BUMD / Perusda'), ('bumdes', 'BUM Desa'), ('bumdes_bersama', 'BUM Desa Bersama'), ('koperasi', 'Koperasi'), ('pengurus', 'Pengurus non-badan-hukum')], max_length=20, verbose_name='bentuk kelembagaan'),
        ),
        migrations.RunPython(blud_to_uptd, uptd_to_blud),
    ]
