"""Read rules about users: which regions (and, for a pengelola, which sentra) they may see, whether
they may change anything."""

from django.core.cache import cache
from django.db import transaction

from .roles import CENSUS_ROLES, PERSONAL_DATA_ROLES, READ_ONLY_ROLES

# The kab/kota of each province are reference data that every request of a provincial official reads
# (their scope): kept in Django's cache across requests (an hour at most) and dropped from it whenever a
# region is saved or deleted, and after a migration (``region_children_forget``, connected in ``apps``).
# The region model is ``sentra.Region``, reached through ``User.region`` (this app imports no app above it).
REGION_CHILDREN_KEY = "accounts:region_children:v1"
REGION_CHILDREN_TTL = 3600


def region_children(region_model) -> dict[str, frozenset[str]]:
    """The codes of every region's kab/kota, keyed by the province's code, from the cache (one query otherwise)."""
    rows = cache.get(REGION_CHILDREN_KEY)
    if rows is None:
        rows = {}
        for code, parent in region_model._default_manager.filter(parent__isnull=False).order_by("code").values_list(
            "code", "parent_id"
        ):
            rows.setdefault(parent, []).append(code)
        cache.set(REGION_CHILDREN_KEY, rows, REGION_CHILDREN_TTL)
    return {parent: frozenset(codes) for parent, codes in rows.items()}


def region_children_forget(sender=None, **kwargs) -> None:
    """A region was saved or deleted (or migrated): the next reader reads them again, and again after the
    commit (a request reading in between would otherwise keep the old rows)."""
    cache.delete(REGION_CHILDREN_KEY)
    if kwargs.get("signal") is not None:
        transaction.on_commit(lambda: cache.delete(REGION_CHILDREN_KEY))


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
    cache = getattr(user, "_visible_region_codes", None)
    if cache is None:
        own = user_own_region_codes(user)
        acting = {code for _, code in getattr(user, "acting_roles", ())} - own
        if acting:  # a Plt./Plh. grant in force in another region adds it (and its kab/kota for a province)
            children = region_children(user._meta.get_field("region").related_model)
            acting |= {code for parent in acting for code in children.get(parent, ())}
        cache = user._visible_region_codes = frozenset(own | acting)
    return cache


def user_own_region_codes(user) -> frozenset[str]:
    """The regions of the user's own post (without any Plt./Plh. grant): their region, and every kab/kota
    of it for a provincial official."""
    if user.region_id is None:
        return frozenset()
    cache = getattr(user, "_own_region_codes", None)
    if cache is None:
        codes = {user.region_id}
        if user.region.is_province and user_visible_sentra_id(user) is None:
            codes |= region_children(type(user.region)).get(user.region_id, frozenset())
        cache = user._own_region_codes = frozenset(codes)
    return cache


def user_acts_as(user, role: str, region_code: str) -> bool:
    """Does ``user`` hold ``role`` for region ``region_code`` (a task's step region): as their own role
    within their own regions, or by a Plt./Plh. grant in force for exactly that role and region?"""
    if user.is_superuser:
        return True
    role = str(role)
    if role in user.role_names and region_code in user_own_region_codes(user):
        return True
    return (role, region_code) in getattr(user, "acting_roles", ())


def user_managed_region_codes(user) -> frozenset[str] | None:
    """The regions whose officials ``user`` manages (Plt./Plh. grants, absences, moving tasks):
    ``None`` (every region) for an administrator, their own regions for a ``pimpinan``, else none."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser or user.is_staff:
        return None
    if "pimpinan" in user.role_names:
        return user_own_region_codes(user)
    return frozenset()


def managed_by(user, queryset, field: str = "region_id"):
    """What of ``queryset`` (users, grants: ``field`` is the path to the region) ``user`` manages."""
    codes = user_managed_region_codes(user)
    return queryset if codes is None else queryset.filter(**{f"{field}__in": codes})
