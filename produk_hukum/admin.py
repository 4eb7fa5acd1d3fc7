"""Bagian Hukum keeps the legal basis and the office names of its region here (see docs/operations.md).

A staff member who is not a superuser works within their region scope
(``accounts.selectors.user_visible_region_codes``): a kab/kota's Bagian Hukum sees the entries for every
region (read-only) and its own, and changes only its own; an entry for every region, and the
seeding of new office rows, is the superuser's.
"""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.selectors import user_visible_region_codes

from .models import DasarHukum, KantorDaerah


def _own_codes(request) -> frozenset[str] | None:
    """The regions whose entries ``request.user`` may change; ``None``: every region and the shared ones."""
    return user_visible_region_codes(request.user)


class _RegionScopedAdmin(SimpleHistoryAdmin):
    def _may_change(self, request, obj) -> bool:
        codes = _own_codes(request)
        return obj is None or codes is None or obj.region_id in codes

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        codes = _own_codes(request)
        if db_field.name == "region" and codes is not None:
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(code__in=codes)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DasarHukum)
class DasarHukumAdmin(_RegionScopedAdmin):
    list_display = ("kutipan_pendek", "jenis", "region", "bentuk_hukum", "aktif", "lengkap")
    list_filter = ("region", "bentuk_hukum", "jenis", "aktif")
    search_fields = ("sebutan", "tentang", "perubahan", "catatan")
    ordering = ("region_id", "jenis", "tahun", "nomor")
    fieldsets = (
        (None, {"fields": ("jenis", "sebutan", "nomor", "tahun", "tentang", "perubahan")}),
        (_("Berlaku untuk"), {"fields": ("region", "bentuk_hukum", "aktif")}),
        (None, {"fields": ("catatan",)}),
    )

    def get_queryset(self, request):
        codes = _own_codes(request)
        queryset = super().get_queryset(request)
        if codes is None:
            return queryset
        return queryset.filter(Q(region__isnull=True) | Q(region_id__in=codes))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if _own_codes(request) is not None and "region" in form.base_fields:
            form.base_fields["region"].required = True  # an entry for every region is the superuser's
        return form

    @admin.display(description=_("kutipan"))
    def kutipan_pendek(self, obj):
        text = obj.kutipan
        return text if len(text) <= 120 else f"{text[:117]}…"

    @admin.display(description=_("lengkap"), boolean=True)
    def lengkap(self, obj):
        return obj.lengkap


@admin.register(KantorDaerah)
class KantorDaerahAdmin(_RegionScopedAdmin):
    list_display = ("region", "dinas_perindustrian", "bpkad", "bappeda", "bagian_hukum", "sekretariat_daerah")
    fieldsets = (
        (None, {"fields": ("region",)}),
        (_("Dinas urusan perindustrian"), {"fields": ("dinas_perindustrian", "dinas_perindustrian_singkatan")}),
        (_("Keuangan dan aset daerah"), {"fields": ("bpkad", "bpkad_singkatan")}),
        (_("Perencanaan"), {"fields": ("bappeda", "bappeda_singkatan")}),
        (_("Bagian Hukum"), {"fields": ("bagian_hukum", "bagian_hukum_singkatan")}),
        (_("Sekretariat Daerah"), {"fields": ("sekretariat_daerah", "sekretariat_daerah_singkatan")}),
    )

    def get_queryset(self, request):
        codes = _own_codes(request)
        queryset = super().get_queryset(request)
        return queryset if codes is None else queryset.filter(region_id__in=codes)

    def get_readonly_fields(self, request, obj=None):
        return ("region",) if obj is not None else ()

    def has_add_permission(self, request):
        return super().has_add_permission(request) and _own_codes(request) is None
