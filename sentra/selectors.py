"""Reads of the provincial register: the register list and an entry's public face; the census of members."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.queries import filter_given

from .choices import RegionKind, StatusPencatatan, StatusSK
from .documents.context import date_id, lokasi, signing_office
from .models import SK, AnggotaIKM, Region, Sentra

# Legal statuses an SK can have once it is in the register (it stays there when amended or revoked).
REGISTER_STATUSES = (StatusSK.BERLAKU, StatusSK.DIUBAH, StatusSK.DICABUT)


# --- The register ----------------------------------------------------------------------------------


def register_entries(
    *,
    user,
    region_code: str | None = None,
    status: str | None = None,
    bentuk_hukum: str | None = None,
    tahun: int | None = None,
) -> QuerySet[SK]:
    """The register's entries ``user`` may see, newest register number first, narrowed by the filters.

    ``tahun`` is the register's year (the year of the register number), not the SK's.
    """
    entries = filter_given(
        SK.objects.visible_to(user).exclude(nomor_register="").select_related("region", "pengelola__sentra"),
        region_id=region_code, status=status, pengelola__bentuk_hukum=bentuk_hukum,
        # The register number's year is the local year of the recording (services.sk_record).
        dicatat_pada__year=tahun,
    )
    # Register numbers end in /<year>/<4-digit sequence>: their text order is the register's order.
    return entries.order_by("-nomor_register")


def register_regions(user) -> QuerySet[Region]:
    """The kab/kota whose entries ``user`` may filter on."""
    return Region.objects.visible_to(user).filter(kind__in=[RegionKind.KABUPATEN, RegionKind.KOTA])


def register_entries_with_counts(entries: QuerySet[SK]) -> QuerySet[SK]:
    """``entries`` with the number of pengurus and anggota IKM of each (for the export)."""
    return entries.annotate(
        jumlah_pengurus=Count("pengelola__pengurus_set", distinct=True),
        jumlah_anggota=Count("pengelola__anggota_set", distinct=True),
    )


# --- An entry's public face --------------------------------------------------------------------------


def verification_url(sk: SK) -> str:
    """The absolute address of ``sk``'s public verification page (printed as a QR code)."""
    return settings.SKSENTRA_BASE_URL.rstrip("/") + reverse("verifikasi:detail", args=[sk.verification_token])


def signer_office(sk: SK) -> str:
    """``Plt. BUPATI DONGGALA``, or ``a.n. BUPATI DONGGALA, SEKRETARIS DAERAH``: in which capacity and
    office the SK was signed, on one line (the draft's two-line heading, ``signing_office``, joined)."""
    return signing_office(sk.region, sk.penandatangan_kapasitas).replace("\n", ", ")


def register_entry_public(sk: SK) -> dict:
    """What anyone may know of a register entry: an allowlist, so that nothing else can leak.

    Never NIK, telephone numbers, names of pengurus or anggota, officials' notes or internal ids:
    the verification page and the printed summary show only these values.
    """
    return {**_live_public(sk), **(sk.register_snapshot or {})}


def register_snapshot(sk: SK) -> dict:
    """The pengelola's and sentra's public facts as they stand now, to freeze in the register entry."""
    live = _live_public(sk)
    return {key: live[key] for key in SNAPSHOT_KEYS}


# The facts of a register entry that come from rows that live on (the pengelola, its sentra).
SNAPSHOT_KEYS = ("pengelola", "bentuk_hukum", "sentra", "lokasi", "wilayah", "provinsi")


def _live_public(sk: SK) -> dict:
    sentra = sk.pengelola.sentra
    return {
        "nomor_register": sk.nomor_register,
        "dicatat_pada": date_id(timezone.localtime(sk.dicatat_pada).date()) if sk.dicatat_pada else "",
        "status": str(StatusSK(sk.status).label),
        "status_pencatatan": str(StatusPencatatan(sk.status_pencatatan).label),
        "berlaku": sk.status == StatusSK.BERLAKU,
        "nomor": sk.nomor,
        "tanggal": date_id(sk.tanggal),
        "penandatangan": signer_office(sk),
        "pengelola": sk.pengelola.name,
        "bentuk_hukum": sk.pengelola.get_bentuk_hukum_display(),
        "sentra": sentra.name,
        "lokasi": lokasi(sentra),
        "wilayah": str(sk.region),
        "provinsi": str(sk.region.province).upper(),
        "sha256": sk.sha256,
    }


def _registered() -> QuerySet[SK]:
    return SK.objects.exclude(nomor_register="").select_related("region__parent", "pengelola__sentra")


def verification_entry(token: str) -> SK | None:
    """The register entry whose public page is ``token``, if it is in the register."""
    return _registered().filter(verification_token=token).first()


def verification_lookup(query: str, *, limit: int = 20) -> list[SK]:
    """Register entries whose register number or SK number is ``query`` (exactly, ignoring case).

    An SK number is unique only within its kab/kota and year, so a number may name several entries.
    """
    query = " ".join((query or "").split())
    if not query:
        return []
    return list(_registered().filter(Q(nomor_register__iexact=query) | Q(nomor__iexact=query)).order_by("-pk")[:limit])


# --- The census of IKM members ---------------------------------------------------------------------


def census_sentra(*, user, region_code: str | None = None) -> QuerySet:
    """The sentra ``user`` may see, with their number of members, by kab/kota and name."""
    return filter_given(
        Sentra.objects.visible_to(user).select_related("region").annotate(jumlah_anggota=Count("anggota_set")),
        region_id=region_code,
    ).order_by("region_id", "name")


def census_members(*, user, sentra=None, region_code: str | None = None) -> QuerySet:
    """The members ``user`` may see: of one sentra, of one kab/kota or of all (the province)."""
    members = filter_given(
        AnggotaIKM.objects.visible_to(user).select_related("sentra__region", "pengelola"),
        sentra=sentra, sentra__region_id=region_code,
    )
    return members.order_by("sentra__region_id", "sentra__name", "pk")


def sentra_sks_listing_members(sentra) -> list[SK]:
    """The SKs in force of the sentra's pengelola: each lists its members in Lampiran II."""
    return list(SK.objects.filter(pengelola__sentra=sentra, status=StatusSK.BERLAKU).order_by("-tanggal"))
