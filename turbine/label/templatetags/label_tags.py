"""Template helpers of the label pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_PARTS = [
    ("part_fait", "#1f7a3a"),
    ("part_programme", "#e0a100"),
    ("part_pas_fait", "#b3261e"),
    ("part_non_renseigne", "#d8d8d8"),
]


@register.simple_tag
def score_bar(score: dict[str, Any]) -> SafeString:
    """A stacked bar of the four shares, as SVG rectangles (no inline style: the CSP forbids
    it); decorative, the shares are written beside it."""
    x = 0.0
    rects = []
    for key, colour in _PARTS:
        width = max(0.0, min(100.0 - x, float(score.get(key) or 0) * 100))
        if width > 0:
            rects.append(
                format_html(
                    '<rect x="{}%" y="0" width="{}%" height="100%" fill="{}"></rect>',
                    f"{x:.1f}",
                    f"{width:.1f}",
                    colour,
                )
            )
        x += width
    return format_html(
        '<svg class="score-bar" aria-hidden="true" focusable="false" width="100%" '
        'height="14" preserveAspectRatio="none">{}</svg>',
        SafeString("".join(rects)),
    )


@register.filter
def percent(value: Any) -> str:
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return "—"


@register.filter
def stars_text(stars: Any) -> str:
    try:
        n = max(0, min(5, int(stars)))
    except (TypeError, ValueError):
        n = 0
    return "★" * n + "☆" * (5 - n)
