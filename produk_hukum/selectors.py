"""What a region's Keputusan cites and how it names its offices, as plain values for the documents."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from .models import DEFAULT_OFFICES, DasarHukum, KantorDaerah

# The regions' office names are read by every decision that titles a step after an office and by every
# inbox page: kept in Django's cache across requests (an hour at most) and dropped from it whenever a
# row is saved or deleted (``offices_forget``, connected in ``apps``).
OFFICES_KEY = "produk_hukum:kantordaerah:v1"
OFFICES_TTL = 3600
_OFFICE_FIELDS = [name for key in DEFAULT_OFFICES for name in (key, f"{key}_singkatan")]


def _office_rows() -> dict[str, KantorDaerah]:
    """Every region's office row (unsaved copies), keyed by region code, from the cache (one query otherwise)."""
    rows = cache.get(OFFICES_KEY)
    if rows is None:
        rows = {code: values for code, *values in KantorDaerah.objects.values_list("region_id", *_OFFICE_FIELDS)}
        cache.set(OFFICES_KEY, rows, OFFICES_TTL)
    return {code: KantorDaerah(region_id=code, **dict(zip(_OFFICE_FIELDS, values))) for code, values in rows.items()}


def offices_forget(sender=None, **kwargs) -> None:
    """An office row was saved or deleted: the next reader reads them again (and again after the commit)."""
    cache.delete(OFFICES_KEY)
    if kwargs.get("signal") is not None:
        transaction.on_commit(lambda: cache.delete(OFFICES_KEY))


@dataclass(frozen=True)
class Kantor:
    """One office: ``nama`` with the region (``Badan Pengelolaan … Kabupaten Banggai``), ``singkatan`` (``BPKAD``)."""

    nama: str
    singkatan: str


@dataclass(frozen=True)
class KantorWilayah:
    dinas_perindustrian: Kantor
    bpkad: Kantor
    bappeda: Kantor
    bagian_hukum: Kantor
    sekretariat_daerah: Kantor


def kantor_wilayah(region) -> KantorWilayah:
    """The offices of ``region`` (a ``sentra.Region``) as its admin set them, else the generic names.

    Taken once per region object, from the cache: a page naming several offices of one region costs
    at most one query.
    """
    memo = getattr(region, "_kantor_wilayah", None)
    if memo is None:
        memo = region._kantor_wilayah = _kantor_wilayah(region)
    return memo


def kantor_wilayah_of(regions) -> dict[str, KantorWilayah]:
    """The offices of several regions (keyed by code), taken at once: a list of many kab/kota."""
    regions = {region.pk: region for region in regions}
    rows = _office_rows()
    return {code: _offices(region, rows.get(code)) for code, region in regions.items()}


def _kantor_wilayah(region) -> KantorWilayah:
    return _offices(region, _office_rows().get(region.pk))


def _offices(region, row) -> KantorWilayah:
    row = row or KantorDaerah(region_id=region.pk)
    offices = {}
    for key in DEFAULT_OFFICES:
        nama = getattr(row, key).strip() or DEFAULT_OFFICES[key][0]
        singkatan = getattr(row, f"{key}_singkatan").strip() or DEFAULT_OFFICES[key][1]
        offices[key] = Kantor(nama=f"{nama} {region}", singkatan=singkatan)
    return KantorWilayah(**offices)


def mengingat(region, keys: list[str]) -> list[str]:
    """The laws a Keputusan of ``region`` cites for a pengelola of the legal-form ``keys``, higher laws
    first: ``["koperasi"]``, or ``["uptd", "blud"]`` for a UPTD applying PPK-BLUD
    (``sentra.models.Pengelola.dasar_hukum_keys``).

    Entries for every region, for ``region`` and for its province; Permendagri 1/2023 never. A law
    entered under two of the keys is cited once.
    """
    if isinstance(keys, str):
        keys = [keys]
    codes = [code for code in (region.pk, region.parent_id) if code]
    cited: list[str] = []
    for entry in DasarHukum.objects.for_keputusan(region_codes=codes, keys=list(keys)):
        if entry.kutipan not in cited:
            cited.append(entry.kutipan)
    return cited
