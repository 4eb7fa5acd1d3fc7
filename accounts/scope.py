"""The region scope: one rule, one API.

The rule (``selectors.user_visible_region_codes``): a kab/kota official sees their kab/kota; an
official attached to the province sees the province and all its kab/kota; an auditor or superuser
sees everything; anyone else nothing. A pengelola's officer (``User.sentra``,
``selectors.user_visible_sentra_id``) sees, inside their kab/kota, only what belongs to their own
sentra: every scoped model names the path to its sentra too (``sentra_field``); a model that belongs
to no sentra (``sentra_field=None``) shows such a user nothing.

The API: every scoped model's manager is a ``RegionScopedQuerySet`` naming the path to its region
(``region_field``) and to its sentra (``sentra_field``), and every page, list, export and download
reads ``Model.objects.visible_to(user)``. An object already in hand (a task viewflow loaded, a
process an activation holds) is judged by ``can_see(user, region_code, sentra_id)``, the same rule.
No view builds a scope filter by hand (``tests/flows/test_region_scope.py`` reads the source to keep it so).
"""

from django.db import models
from django.db.models import Q

from .selectors import user_visible_region_codes, user_visible_sentra_id


def _scope_q(user, field: str, sentra_field: str | None = None) -> Q:
    codes = user_visible_region_codes(user)
    q = Q() if codes is None else Q(**{f"{field}__in": codes})
    sentra_id = user_visible_sentra_id(user)
    if sentra_id is not None:
        if sentra_field is None:
            return Q(pk__in=[])
        q &= Q(**{sentra_field: sentra_id})
    return q


class RegionScopedQuerySet(models.QuerySet):
    """A queryset of a model that belongs to a region; ``region_field`` is the lookup path to its key,
    ``sentra_field`` the path to its sentra's key (``None``: it belongs to no sentra)."""

    region_field = "region"
    sentra_field = None

    def visible_to(self, user):
        """What ``user`` may see of this queryset."""
        return self.filter(_scope_q(user, self.region_field, self.sentra_field))


def scoped_queryset(base=models.QuerySet, *, region_field: str, sentra_field: str | None = None):
    """A ``RegionScopedQuerySet`` on top of ``base`` (e.g. viewflow's own querysets)."""
    return type(f"RegionScoped{base.__name__}", (RegionScopedQuerySet, base),
                {"region_field": region_field, "sentra_field": sentra_field})


def can_see(user, region_code: str | None, sentra_id=None) -> bool:
    """May ``user`` see an object of region ``region_code`` (and of sentra ``sentra_id``: required for
    a pengelola's officer, who sees only their own sentra's objects), an object already loaded?
    ``sentra_id`` may be a callable, asked only when the user is bound to a sentra (no query otherwise)."""
    if region_code is None:
        return False
    codes = user_visible_region_codes(user)
    if codes is not None and region_code not in codes:
        return False
    own_sentra = user_visible_sentra_id(user)
    if own_sentra is None:
        return True
    if callable(sentra_id):
        sentra_id = sentra_id()
    return sentra_id is not None and sentra_id == own_sentra
