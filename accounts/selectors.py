"""Read rules about users: which regions (and, for a pengelola, which sentra) they may see, whether
they may change anything."""

from .roles import CENSUS_ROLES, PERSONAL_DATA_ROLES, READ_ONLY_ROLES


def user_is_read_only(user) -> bool:
    return not user.is_superuser and bool(user.role_names) and user.role_names <= READ_ONLY_ROLES


def user_visible_sentra_id(user) -> int | None:
    """The one sentra a pengelola's officer is bound to (``User.sentra``), else ``None`` (no narrowing).

    A user bound to a sentra sees only what belongs to it, inside their region: the sentra, its
    pengelola, their SKs, processes, tasks, documents and reports. Superusers are never narrowed.
    """
    if not user.is_authenticated or user.is_superuser:
        return None
    return getattr(user, "sentra_id", None)


def user_sees_personal_data(user) -> bool:
    """May ``user`` read NIK and telephone numbers in full (pages, exports)? Otherwise they are masked."""
    return user.is_superuser or bool(user.role_names & PERSONAL_DATA_ROLES)


def user_keeps_census(user) -> bool:
    """May ``user`` import members into the sentra of their own region scope?"""
    return user.is_superuser or bool(user.role_names & CENSUS_ROLES)


def personal_masked(value: str) -> str:
    """``************3456``: enough to tell two people apart on a list, not enough to be the number."""
    if not value:
        return value
    return "*" * max(len(value) - 4, 0) + value[-4:]


def user_visible_region_codes(user) -> frozenset[str] | None:
    """Kemendagri codes of the regions whose proposals ``user`` may see; ``None`` means every region.

    A kab/kota official sees their kab/kota; a provincial official (pencatat_provinsi, pimpinan of
    the province) sees the province and all its kab/kota. Auditors follow the same rule: the
    Inspektorat of a kab/kota reads its own Pemda, the Inspektorat Provinsi and BPK Perwakilan
    (attached to the province) read every kab/kota of it. A pengelola's officer is attached to the
    kab/kota of their sentra (and narrowed further to it: ``user_visible_sentra_id``).
    """
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    if user.region_id is None:
        return frozenset()
    cache = getattr(user, "_visible_region_codes", None)
    if cache is None:
        codes = {user.region_id}
        if user.region.is_province and user_visible_sentra_id(user) is None:
            codes |= set(type(user.region)._default_manager.filter(parent_id=user.region_id).values_list("code", flat=True))
        cache = user._visible_region_codes = frozenset(codes)
    return cache
