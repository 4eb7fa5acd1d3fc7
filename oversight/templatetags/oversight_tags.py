"""Template helpers of the oversight pages (the register menu links the province dashboard)."""

from django import template

from accounts.selectors import user_is_read_only
from sentra.choices import SentraState

from ..dashboard import user_can_view_province_dashboard

register = template.Library()


@register.filter
def can_view_province_dashboard(user) -> bool:
    return user_can_view_province_dashboard(user)


@register.filter
def is_read_only(user) -> bool:
    """An auditor (read-only): the light frame's menu offers the audit pages instead of the task lists."""
    return user_is_read_only(user)


@register.filter
def sentra_state(value) -> str:
    """A sentra's derived state (``flows.selectors.sentra_state_annotate``) in words."""
    try:
        return str(SentraState(value).label)
    except ValueError:
        return ""
