"""Filters of the panels and challenges pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.0423 → « 4,2 % » (French decimal comma, non-breaking space)."""
    if value is None:
        return "—"
    text = f"{float(value) * 100:.{int(digits)}f}".replace(".", ",")
    return f"{text}\u00a0%"


@register.filter
def decimal_fr(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "—"
    return f"{float(value):.{int(digits)}f}".replace(".", ",")
