"""``{% window_state window %}``: a window's state badge, the same on every screen."""

from __future__ import annotations

from typing import Any

from django import template

from ..admin.views.window_columns import state_badge
from ..models import ScheduledRedirect

register = template.Library()


@register.inclusion_tag("wagtail_redirect_tools/shared/window_state.html")
def window_state(window: ScheduledRedirect) -> dict[str, Any]:
    return state_badge(window)
