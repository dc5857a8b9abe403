from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.125 -> « 12,5 % »."""
    if value is None or value == "":
        return ""
    return f"{float(value) * 100:.1f}".replace(".", ",").replace(",0", "") + "\u00a0%"


@register.filter
def rounded(value: float | None) -> str:
    """A figure rounded to one decimal, with French separators: 4550.04 -> « 4 550 »."""
    if value is None or value == "":
        return ""
    number = round(float(value), 1)
    if number.is_integer():
        return f"{int(number):,}".replace(",", "\u202f")
    return f"{number:,.1f}".replace(",", "\u202f").replace(".", ",")
