"""Template filters of the guichet."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def duration(value: datetime.timedelta | None) -> str:
    """A delay in French: "2 j 3 h", "5 h", "12 min"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h" if hours else f"{days} j"
    if hours:
        return f"{hours} h"
    return f"{minutes} min"


def _euros(value: int) -> str:
    return f"{int(value):,}".replace(",", "\u202f") + " €"


@register.filter
def aid_amount(aid: object) -> str:
    """What an aid states of its amount or rate, in French ("" when it states neither)."""
    low, high = getattr(aid, "amount_min", None), getattr(aid, "amount_max", None)
    rate_low, rate_high = (
        getattr(aid, "subsidy_rate_min", None),
        getattr(aid, "subsidy_rate_max", None),
    )
    parts = []
    if low is not None and high is not None:
        parts.append(f"de {_euros(low)} à {_euros(high)}")
    elif high is not None:
        parts.append(f"jusqu'à {_euros(high)}")
    elif low is not None:
        parts.append(f"à partir de {_euros(low)}")
    if rate_low is not None and rate_high is not None:
        parts.append(f"{rate_low} à {rate_high} % des dépenses")
    elif rate_high is not None:
        parts.append(f"jusqu'à {rate_high} % des dépenses")
    return " ; ".join(parts)
