"""The account menu's entries for each role (« Mes aides », « Mes demandes », the staff queue,
« Mes communes »): ``core`` knows no domain, so apps register a provider from their
``ready()`` and the base template lists what the providers give the signed-in person."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    # The addresses under which the entry is the current one (its own address by default).
    prefix: str = ""


@dataclass(frozen=True)
class ShownEntry:
    label: str
    url: str
    current: bool


Provider = Callable[[Any], Iterable[NavEntry]]
_providers: list[tuple[int, Provider]] = []


def register(provider: Provider, *, order: int = 100) -> None:
    """Add a function ``user -> entries`` (called only for a signed-in person; it must be
    cheap: role checks are cached on the user, a query at most for the roles it concerns).
    ``order`` places its entries in the menu (smaller first)."""
    if all(p is not provider for _, p in _providers):
        _providers.append((order, provider))
        _providers.sort(key=lambda item: item[0])


def entries_for(user: Any, path: str) -> list[ShownEntry]:
    if not getattr(user, "is_authenticated", False):
        return []
    shown = []
    for _, provider in _providers:
        for entry in provider(user):
            prefix = entry.prefix or entry.url
            shown.append(ShownEntry(entry.label, entry.url, path.startswith(prefix)))
    return shown
