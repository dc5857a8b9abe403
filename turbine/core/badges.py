"""Badges that an upper app puts on a lower app's objects, keeping imports one-way.

The charter puts « Signataire de la charte » on organisations of the directory, the label
« Labellisé ★★★ » on projects; neither the directory nor the projects app may import them. An
upper app registers a provider for a kind of object (``register("organisation", ...)``) in its
``ready()``; the lower app's views ask ``collect("organisation", ids)`` for the objects of one
page — one query per provider, whatever the number of objects — and render them with
``{% badge_list badges obj.pk %}``. A provider may also offer a filter of the lower app's list
(« seulement les signataires »), applied to its queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Badge:
    """One badge: a short visible ``text``, the public page that explains it, and a longer
    ``title`` read by screen readers (it says what the badge means)."""

    text: str
    url: str
    title: str = ""
    variant: str = ""  # a CSS modifier: "charter", "label"

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "url": self.url, "title": self.title, "variant": self.variant}


BadgeProvider = Callable[[Sequence[int]], Mapping[int, Sequence[Badge]]]
ListFilter = Callable[[QuerySet[Any]], QuerySet[Any]]


@dataclass(frozen=True)
class Provider:
    key: str
    badges: BadgeProvider
    filter_label: str | Promise = ""  # lazy, translated when shown
    filter: ListFilter | None = None


_providers: dict[str, dict[str, Provider]] = {}


def register(
    kind: str,
    *,
    key: str,
    badges: BadgeProvider,
    filter_label: str | Promise = "",
    filter: ListFilter | None = None,
) -> None:
    """Register (or replace, when ``ready()`` runs again) the provider ``key`` for ``kind``."""
    _providers.setdefault(kind, {})[key] = Provider(key, badges, filter_label, filter)


def collect(kind: str, ids: Collection[int]) -> dict[int, list[Badge]]:
    """The badges of the objects ``ids`` of ``kind``, by id (objects without any are absent)."""
    unique = sorted({int(i) for i in ids})
    out: dict[int, list[Badge]] = {}
    if not unique:
        return out
    for provider in _providers.get(kind, {}).values():
        for object_id, badges in provider.badges(unique).items():
            if badges:
                out.setdefault(object_id, []).extend(badges)
    return out


@dataclass(frozen=True)
class Filter:
    key: str
    label: str | Promise


def filters(kind: str) -> list[Filter]:
    """The list filters the providers of ``kind`` offer, as (query parameter, label)."""
    return [
        Filter(p.key, p.filter_label)
        for p in _providers.get(kind, {}).values()
        if p.filter is not None and p.filter_label
    ]


def apply_filters(kind: str, qs: QuerySet[Any], keys: Collection[str]) -> QuerySet[Any]:
    """``qs`` narrowed by the filters ``keys`` (unknown keys are ignored)."""
    for key in keys:
        provider = _providers.get(kind, {}).get(key)
        if provider is not None and provider.filter is not None:
            qs = provider.filter(qs)
    return qs
