"""Sections that apps add to another app's page, keeping imports one-way.

An upper app registers a renderer for a page (``register("project", render)``) in its
``ready()``; the lower app's template calls ``{% page_sections "project" obj %}``, which joins
the HTML each renderer returns for ``obj`` (each renderer does its own bounded queries and
escapes what it shows, through a template).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Renderer = Callable[[HttpRequest | None, Any], str]

_sections: dict[str, list[Renderer]] = {}


def register(page: str, render: Renderer) -> None:
    renderers = _sections.setdefault(page, [])
    if render not in renderers:
        renderers.append(render)


def render(page: str, request: HttpRequest | None, obj: Any) -> str:
    return "".join(renderer(request, obj) for renderer in _sections.get(page, []))
