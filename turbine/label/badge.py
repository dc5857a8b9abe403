# ruff: noqa: E501 (the SVG template below reads best one element per line)
"""The embeddable SVG badge of a label: its accessible name says who holds which level, until
when; it links back to the registry page."""

from __future__ import annotations

from django.utils.html import escape

from turbine.label.selectors.label import RegistryEntry


def badge_name(entry: RegistryEntry) -> str:
    decision = entry.decision
    assert decision.level is not None  # a label in force has its level
    stars = decision.level.stars
    return (
        f"Label Turbine de l'éco-transition : {entry.application.holder_name}, "
        f"{stars} étoile{'s' if stars > 1 else ''} sur 5, valable jusqu'au "
        f"{decision.valid_until:%d/%m/%Y}"
    )


def badge_svg(entry: RegistryEntry, *, registry_url: str) -> str:
    decision = entry.decision
    assert decision.level is not None  # a label in force has its level
    stars = decision.level.stars
    name = escape(badge_name(entry))
    holder = escape(entry.application.holder_name[:38])
    year = decision.valid_from.year if decision.valid_from else decision.decided_at.year
    star_text = "★" * stars + "☆" * (5 - stars)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="240" height="96" viewBox="0 0 240 96" role="img" aria-labelledby="t d">
<title id="t">{name}</title>
<desc id="d">Voir le label au registre de la Turbine : {escape(registry_url)}</desc>
<a href="{escape(registry_url)}" target="_top">
<rect x="1" y="1" width="238" height="94" rx="10" fill="#ffffff" stroke="#1d6b4f" stroke-width="2"/>
<rect x="1" y="1" width="62" height="94" rx="10" fill="#1d6b4f"/>
<rect x="40" y="1" width="23" height="94" fill="#1d6b4f"/>
<text x="32" y="44" text-anchor="middle" font-family="sans-serif" font-size="30" fill="#ffffff" aria-hidden="true">◐</text>
<text x="32" y="72" text-anchor="middle" font-family="sans-serif" font-size="13" font-weight="700" fill="#ffffff">{year}</text>
<text x="74" y="24" font-family="sans-serif" font-size="12" font-weight="700" fill="#134a37">Label Turbine de l'éco-transition</text>
<text x="74" y="50" font-family="sans-serif" font-size="20" fill="#8a5a00">{star_text}</text>
<text x="74" y="72" font-family="sans-serif" font-size="11" fill="#1b1f1d">{holder}</text>
<text x="74" y="87" font-family="sans-serif" font-size="10" fill="#4a524e">valable jusqu'au {decision.valid_until:%d/%m/%Y}</text>
</a>
</svg>
"""
