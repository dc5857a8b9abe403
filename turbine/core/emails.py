"""Email addresses as identities: the canonical form used where one person must count once."""

from __future__ import annotations

# Providers that ignore dots in the local part (and deliver "a.b@" to "ab@").
DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def normalise_address(address: str) -> str:
    """The canonical form of ``address`` for "one person, one ..." rules: lowercased, without
    ``+tag`` in the local part, without dots in the local part for providers that ignore them
    (gmail.com, googlemail.com). Not an address to write to: only to compare."""
    address = address.strip().lower()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"
