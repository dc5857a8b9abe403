"""What Turbine holds about a person, section by section.

Each app registers a section: a French label, a function that exports the person's data as JSON
values, and what happens to it when the person deletes their account (``on_delete``: a French
sentence shown on the personal-data page, and an optional ``anonymise`` function run before the
account is deleted, for content that must outlive it without naming them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    export: Callable[[Any], Any]
    on_delete: str
    anonymise: Callable[[Any], None] | None = None


_sections: dict[str, Section] = {}


def register(
    *,
    key: str,
    label: str,
    export: Callable[[Any], Any],
    on_delete: str,
    anonymise: Callable[[Any], None] | None = None,
) -> None:
    _sections[key] = Section(key, label, export, on_delete, anonymise)


def sections() -> list[Section]:
    return list(_sections.values())
