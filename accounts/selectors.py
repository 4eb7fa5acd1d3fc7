"""Read rules about users: which regions they may see, whether they may change anything."""

from django.db.models import Q

from .roles import NATIONAL_READ_ROLES, READ_ONLY_ROLES


def user_is_read_only(user) -> bool:
    return not user.is_superuser and bool(user.role_names) and user.role_names <= READ_ONLY_ROLES


def user_visible_region_codes(user) -> frozenset[str] | None:
    """Kemendagri codes of the regions whose proposals ``user`` may see; ``None`` means every region.

    A kab/kota official sees their kab/kota; a provincial official (pencatat_provinsi, pimpinan of
    the province) sees the province and all its kab/kota; an auditor reads everything.
    """
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser or user.role_names & NATIONAL_READ_ROLES:
        return None
    if user.region_id is None:
        return frozenset()
    cache = getattr(user, "_visible_region_codes", None)
    if cache is None:
        from sentra.models import Region

        codes = {user.region_id}
        if user.region.is_province:
            codes |= set(Region.objects.filter(parent_id=user.region_id).values_list("code", flat=True))
        cache = user._visible_region_codes = frozenset(codes)
    return cache


def region_scope_q(user, field: str) -> Q:
    """A filter restricting ``field`` (a lookup path ending at a Region key) to what ``user`` may see."""
    codes = user_visible_region_codes(user)
    if codes is None:
        return Q()
    return Q(**{f"{field}__in": codes})


def user_can_see_region(user, region_code: str) -> bool:
    codes = user_visible_region_codes(user)
    return codes is None or region_code in codes
