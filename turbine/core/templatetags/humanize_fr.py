"""French number formatting: 642834 -> "642 834" (narrow no-break space, as French typography)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def nombre(value: int | float | None) -> str:
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", "\u202f")
    return f"{number:,.2f}".replace(",", "\u202f").replace(".", ",")
