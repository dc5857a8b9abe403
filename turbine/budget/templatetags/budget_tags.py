"""Template filters of the budget pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.4567 -> "45,7 %" (French typography, narrow no-break space)."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}".replace(".", ",") + "\u202f%"
