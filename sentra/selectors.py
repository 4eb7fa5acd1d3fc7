"""Reads of the provincial register: the register list and an entry's public face; the census of members."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.queries import filter_given

from .choices import JenisKeputusan, RegionKind, StatusPencatatan, StatusSK, bentuk_hukum_label
from .documents.context import date_id, lokasi, signing_office
from .models import SK, AnggotaIKM, Pengelola, Region, Sentra

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
        SK.objects.visible_to(user).exclude(nomor_register="")
        .select_related("region", "pengelola__sentra", "mengubah", "mencabut")
        .prefetch_related("diubah_dengan", "dicabut_dengan"),
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
    return {**_live_public(sk), **(sk.register_snapshot or {}), **sk_chain(sk)}


def _chain_link(sk: SK | None) -> dict | None:
    """An SK of the chain as the public may see it: its number and date, and its public page once
    the province has recorded it."""
    if sk is None:
        return None
    return {
        "nomor": sk.nomor,
        "tanggal": date_id(sk.tanggal),
        "jenis": str(JenisKeputusan(sk.jenis).label),
        "token": sk.verification_token if sk.nomor_register else "",
        "nomor_register": sk.nomor_register,
    }


def sk_chain(sk: SK) -> dict:
    """Where ``sk`` stands in its pengelola's chain of Keputusan: what it does (``jenis``), the SK it
    amends/renews (``mengubah``) or revokes (``mencabut``), and the later SK that amended
    (``diubah_dengan``) or revoked (``dicabut_dengan``) it. Public facts only (numbers and dates)."""
    later = SK.objects.filter(Q(mengubah=sk) | Q(mencabut=sk)).exclude(status=StatusSK.DIGANTI).order_by("pk")
    amended_by = revoked_by = None
    for other in later:
        if other.mencabut_id == sk.pk:
            revoked_by = other
        else:
            amended_by = other
    return {
        "jenis": sk.jenis,
        "jenis_label": str(JenisKeputusan(sk.jenis).label),
        "mengubah": _chain_link(sk.mengubah if sk.mengubah_id else None),
        "mencabut": _chain_link(sk.mencabut if sk.mencabut_id else None),
        "diubah_dengan": _chain_link(amended_by),
        "dicabut_dengan": _chain_link(revoked_by),
        "masa_bakti_berakhir": date_id(sk.masa_bakti_berakhir) if sk.masa_bakti_berakhir else "",
        "masa_bakti_habis": sk.term_ended,
    }


# --- What an amendment changes -----------------------------------------------------------------------


PENGELOLA_FIELDS = ("name", "bentuk_hukum", "ppk_blud", "alamat", "masa_bakti_tahun")
PENGURUS_FIELDS = ("nama", "jabatan", "nik")
ANGGOTA_FIELDS = ("nama_usaha", "pemilik", "produk", "tenaga_kerja", "nib")


def pengelola_facts(pengelola: Pengelola) -> dict:
    """What an amendment compares of a saved pengelola: its own fields and its lists of people."""
    return {
        "pengelola": {f: getattr(pengelola, f) for f in PENGELOLA_FIELDS},
        "pengurus": list(pengelola.pengurus_set.order_by("pk").values(*PENGURUS_FIELDS)),
        "anggota": list(pengelola.anggota_set.order_by("pk").values(*ANGGOTA_FIELDS)),
    }


def proposal_facts(pengelola_fields: dict, pengurus: list[dict], anggota: list[dict]) -> dict:
    """The same facts of a proposal not saved yet (the start form's data, for its preview)."""
    return {
        "pengelola": {f: pengelola_fields.get(f) for f in PENGELOLA_FIELDS},
        "pengurus": [{f: row.get(f) for f in PENGURUS_FIELDS} for row in pengurus],
        "anggota": [{f: row.get(f) for f in ANGGOTA_FIELDS} for row in anggota],
    }


def pengelola_changes(old: Pengelola, new: Pengelola) -> list[dict]:
    """What a saved proposal of amendment or renewal changes in ``old``'s data (``facts_changes``)."""
    return facts_changes(pengelola_facts(old), pengelola_facts(new))


def facts_changes(before: dict, after: dict) -> list[dict]:
    """What changes from ``before`` to ``after``, old -> new, in words: the pengelola's own data, the
    pengurus (matched by NIK) and the anggota IKM (matched by NIB). Rows: ``{"bagian", "lama", "baru"}``;
    never a NIK or telephone number (the page shows names and positions)."""
    rows = []
    for field in PENGELOLA_FIELDS:
        old_value, new_value = before["pengelola"][field], after["pengelola"][field]
        if old_value == new_value:
            continue
        if field == "bentuk_hukum":
            old_value = bentuk_hukum_label(old_value, ppk_blud=before["pengelola"]["ppk_blud"])
            new_value = bentuk_hukum_label(new_value, ppk_blud=after["pengelola"]["ppk_blud"])
        elif field == "ppk_blud":
            old_value, new_value = ("ya" if old_value else "tidak"), ("ya" if new_value else "tidak")
        label = str(Pengelola._meta.get_field(field).verbose_name)
        rows.append({"bagian": label[:1].upper() + label[1:], "lama": str(old_value), "baru": str(new_value)})
    for kind, label, shown, key in (("pengurus", "Pengurus", ("nama", "jabatan"), "nik"),
                                    ("anggota", "Anggota IKM", ("nama_usaha", "pemilik"), "nib")):
        old_rows = {str(r[key]): r for r in before[kind]}
        new_rows = {str(r[key]): r for r in after[kind]}
        show = lambda r: " — ".join(str(r[f]) for f in shown)  # noqa: E731
        for k, row in old_rows.items():
            if k not in new_rows:
                rows.append({"bagian": label, "lama": show(row), "baru": "(dihapus)"})
            elif any(str(row[f]) != str(new_rows[k][f]) for f in row if f != key):
                rows.append({"bagian": label, "lama": show(row), "baru": show(new_rows[k])})
        for k, row in new_rows.items():
            if k not in old_rows:
                rows.append({"bagian": label, "lama": "(baru)", "baru": show(row)})
    return rows


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
    return SK.objects.exclude(nomor_register="").select_related(
        "region__parent", "pengelola__sentra", "mengubah", "mencabut"
    )


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
