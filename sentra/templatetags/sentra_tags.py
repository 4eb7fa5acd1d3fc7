"""Template helpers of the register pages."""

from django import template

from ..selectors import user_can_view_province_dashboard

register = template.Library()


@register.filter
def can_view_province_dashboard(user) -> bool:
    return user_can_view_province_dashboard(user)
