"""Template helpers of the oversight pages (the register menu links the province dashboard)."""

from django import template

from ..dashboard import user_can_view_province_dashboard

register = template.Library()


@register.filter
def can_view_province_dashboard(user) -> bool:
    return user_can_view_province_dashboard(user)
