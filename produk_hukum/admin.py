"""Bagian Hukum keeps the legal basis and the office names of its region here (see docs/operations.md)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import DasarHukum, KantorDaerah


@admin.register(DasarHukum)
class DasarHukumAdmin(SimpleHistoryAdmin):
    list_display = ("kutipan_pendek", "jenis", "region", "bentuk_hukum", "aktif", "lengkap")
    list_filter = ("region", "bentuk_hukum", "jenis", "aktif")
    search_fields = ("sebutan", "tentang", "perubahan", "catatan")
    ordering = ("region_id", "jenis", "tahun", "nomor")
    fieldsets = (
        (None, {"fields": ("jenis", "sebutan", "nomor", "tahun", "tentang", "perubahan")}),
        (_("Berlaku untuk"), {"fields": ("region", "bentuk_hukum", "aktif")}),
        (None, {"fields": ("catatan",)}),
    )

    @admin.display(description=_("kutipan"))
    def kutipan_pendek(self, obj):
        text = obj.kutipan
        return text if len(text) <= 120 else f"{text[:117]}…"

    @admin.display(description=_("lengkap"), boolean=True)
    def lengkap(self, obj):
        return obj.lengkap


@admin.register(KantorDaerah)
class KantorDaerahAdmin(SimpleHistoryAdmin):
    list_display = ("region", "dinas_perindustrian", "bpkad", "bappeda", "bagian_hukum", "sekretariat_daerah")
    fieldsets = (
        (None, {"fields": ("region",)}),
        (_("Dinas urusan perindustrian"), {"fields": ("dinas_perindustrian", "dinas_perindustrian_singkatan")}),
        (_("Keuangan dan aset daerah"), {"fields": ("bpkad", "bpkad_singkatan")}),
        (_("Perencanaan"), {"fields": ("bappeda", "bappeda_singkatan")}),
        (_("Bagian Hukum"), {"fields": ("bagian_hukum", "bagian_hukum_singkatan")}),
        (_("Sekretariat Daerah"), {"fields": ("sekretariat_daerah", "sekretariat_daerah_singkatan")}),
    )
