from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin, ViewOnlyAdminMixin

from .forms import SKTemplateForm
from .models import (
    SK, AnggotaIKM, AsetDAK, DakAlokasi, Dokumen, ImporAnggota, PemeriksaanAset, Pengelola, Pengurus, Region, Sentra,
    SKTemplate,
)


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "bps_code", "parent", "timezone", "ibu_kota")
    list_filter = ("kind",)


class DakAlokasiInline(admin.TabularInline):
    model = DakAlokasi
    extra = 0


@admin.register(Sentra)
class SentraAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "komoditas", "tahun_dak", "confirmed")
    list_filter = ("region", "confirmed")
    search_fields = ("name", "komoditas")
    inlines = [DakAlokasiInline]


class PengurusInline(admin.TabularInline):
    model = Pengurus
    extra = 0


class AnggotaInline(admin.TabularInline):
    model = AnggotaIKM
    extra = 0
    exclude = ("sentra",)  # the pengelola's sentra (AnggotaIKM.save)


@admin.register(ImporAnggota)
class ImporAnggotaAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """The census imports, for operators: status, counts, report; changed only by their jobs."""

    list_display = ("original_name", "sentra", "status", "total_rows", "saved_rows", "error_count", "created_by",
                    "created_at")
    list_filter = ("status", "sentra__region")
    readonly_fields = [f.name for f in ImporAnggota._meta.fields]


@admin.register(Pengelola)
class PengelolaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sentra", "bentuk_hukum", "created_at")
    list_filter = ("bentuk_hukum", "sentra__region")
    inlines = [PengurusInline, AnggotaInline]


@admin.register(Dokumen)
class DokumenAdmin(SimpleHistoryAdmin):
    list_display = ("pengelola", "jenis", "original_name", "sha256", "uploaded_by", "uploaded_at", "superseded")
    list_filter = ("jenis", "superseded")


@admin.register(PemeriksaanAset)
class PemeriksaanAsetAdmin(SimpleHistoryAdmin):
    list_display = ("pengelola", "kode_kib", "nomor_bast", "status_pemanfaatan")


@admin.register(AsetDAK)
class AsetDAKAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """BPKAD's DAK asset lines, to read: they are written on BPKAD's pages (``/aset/``), where the basis
    of use is checked against the pengelola's legal form."""

    list_display = ("sentra", "jenis_kib", "kode_barang", "nup", "nama", "dasar_pemanfaatan", "berakhir_pada")
    list_filter = ("jenis_kib", "dasar_pemanfaatan", "sentra__region")
    search_fields = ("kode_barang", "nama", "nomor_perjanjian")


@admin.register(SK)
class SKAdmin(SimpleHistoryAdmin):
    list_display = ("nomor", "pengelola", "region", "tanggal", "penandatangan_kapasitas", "status", "nomor_register")
    list_filter = ("status", "penandatangan_kapasitas", "region")
    search_fields = ("nomor", "nomor_register")
    readonly_fields = ("tahun", "verification_token")


@admin.register(SKTemplate)
class SKTemplateAdmin(SimpleHistoryAdmin):
    """Replace the draft SK's Word template for one kab/kota (or for all that have none of their own).

    Start from the shipped ``sentra/templates_sk/default.docx``: its tags are listed in
    ``sentra/documents/builder.py``. An upload that is not a .docx or does not fill in is refused.
    """

    form = SKTemplateForm
    list_display = ("__str__", "catatan", "sha256", "uploaded_at")
    readonly_fields = ("sha256", "uploaded_at")

    def save_model(self, request, obj, form, change):
        checked = getattr(form, "checked", None)
        if checked is not None:
            obj.sha256 = checked.sha256
        super().save_model(request, obj, form, change)
