"""The region scope: one rule, one API.

The rule (``selectors.user_visible_region_codes``): a kab/kota official sees their kab/kota; an
official attached to the province sees the province and all its kab/kota; an auditor or superuser
sees everything; anyone else nothing.

The API: every scoped model's manager is a ``RegionScopedQuerySet`` naming the path to its region
(``region_field``), and every page, list, export and download reads ``Model.objects.visible_to(user)``.
An object already in hand (a task viewflow loaded, a process an activation holds) is judged by
``can_see(user, region_code)``, the same rule. No view builds a scope filter by hand
(``tests/flows/test_region_scope.py`` reads the source to keep it so).
"""

from django.db import models
from django.db.models import Q

from .selectors import user_visible_region_codes


def _scope_q(user, field: str) -> Q:
    codes = user_visible_region_codes(user)
    if codes is None:
        return Q()
    return Q(**{f"{field}__in": codes})


class RegionScopedQuerySet(models.QuerySet):
    """A queryset of a model that belongs to a region; ``region_field`` is the lookup path to its key."""

    region_field = "region"

    def visible_to(self, user):
        """What ``user`` may see of this queryset."""
        return self.filter(_scope_q(user, self.region_field))


def scoped_queryset(base=models.QuerySet, *, region_field: str):
    """A ``RegionScopedQuerySet`` on top of ``base`` (e.g. viewflow's own querysets)."""
    return type(f"RegionScoped{base.__name__}", (RegionScopedQuerySet, base), {"region_field": region_field})


def can_see(user, region_code: str | None) -> bool:
    """May ``user`` see an object of region ``region_code`` (an object already loaded)?"""
    if region_code is None:
        return False
    codes = user_visible_region_codes(user)
    return codes is None or region_code in codes
