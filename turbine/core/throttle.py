"""Fixed-window counters in the cache, for caps that parallel requests must not overrun.

``cache.add`` then ``cache.incr`` are atomic on Redis (production) and on the local-memory
cache, unlike a count of rows followed by an insert.
"""

from __future__ import annotations

from django.core.cache import cache

from turbine.core.exceptions import ThrottledError


def throttle_exceeded(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt of ``key`` in a window of ``window`` seconds opened by its first
    attempt; True once the attempts exceed ``limit`` (the refused ones count too)."""
    name = f"throttle:{key}"
    if cache.add(name, 1, window):
        return limit < 1
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, window)
        count = 1
    return count > limit


def ip_throttle_check(scope: str, *, client_ip: str | None, limit: int, window: int) -> None:
    """Count one write of ``scope`` from ``client_ip`` (None: not a web request, not counted)
    and raise :class:`ThrottledError` past ``limit`` in ``window`` seconds."""
    if client_ip is None:
        return
    if throttle_exceeded(f"{scope}:ip:{client_ip}", limit=limit, window=window):
        raise ThrottledError(
            "Trop d'envois depuis votre connexion en peu de temps : réessayez dans une heure."
        )
