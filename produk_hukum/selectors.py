"""What a region's Keputusan cites and how it names its offices, as plain values for the documents."""

from __future__ import annotations

from dataclasses import dataclass

from .models import DEFAULT_OFFICES, DasarHukum, KantorDaerah


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

    Read once per region object: a page naming several offices of one region costs one query.
    """
    memo = getattr(region, "_kantor_wilayah", None)
    if memo is None:
        memo = region._kantor_wilayah = _kantor_wilayah(region)
    return memo


def kantor_wilayah_of(regions) -> dict[str, KantorWilayah]:
    """The offices of several regions (keyed by code), read in one query: a list of many kab/kota."""
    regions = {region.pk: region for region in regions}
    rows = {row.region_id: row for row in KantorDaerah.objects.filter(region_id__in=list(regions))}
    return {code: _offices(region, rows.get(code)) for code, region in regions.items()}


def _kantor_wilayah(region) -> KantorWilayah:
    return _offices(region, KantorDaerah.objects.filter(region_id=region.pk).first())


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
