"""Who is asking: the client's IP address and login, as the lockout and the throttles see them."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's IP address.

    `X-Forwarded-For` is read only when `TRUSTED_PROXY_COUNT` says how many reverse proxies of
    ours stand in front of the site: the address is then the one the outermost of them saw
    (counted from the right, so a client cannot choose it by sending the header itself).
    Otherwise, and whenever the header is missing or malformed, the address is `REMOTE_ADDR`.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= count:
            candidate = _clean(hops[-count])
            if candidate:
                return candidate
    return _clean(remote) or "0.0.0.0"  # noqa: S104 (no address known: the unspecified one)


def _clean(value: str) -> str | None:
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def login_identifier(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The address a login attempt is about, lower-cased: allauth authenticates with `email=`,
    its form posts `login`, the admin posts `username`."""
    sources: list[Any] = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "POST", {}))
    for source in sources:
        for key in ("email", "login", "username"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()[:254]
    return None
