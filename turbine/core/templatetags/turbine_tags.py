from __future__ import annotations

import math
from dataclasses import dataclass

from django import template
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from turbine.core import page_sections as sections
from turbine.core.badges import Badge
from turbine.core.markdown import render_markdown

register = template.Library()


@dataclass(frozen=True)
class Pages:
    number: int
    num_pages: int
    previous: int | None
    next: int | None


@register.simple_tag
def pages(count: int, page_size: int, page: int) -> Pages:
    num_pages = max(1, math.ceil(count / page_size))
    number = min(max(int(page or 1), 1), num_pages)
    return Pages(
        number=number,
        num_pages=num_pages,
        previous=number - 1 if number > 1 else None,
        next=number + 1 if number < num_pages else None,
    )


@register.simple_tag
def query_replace(request: HttpRequest, **changes: object) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = str(value)
    return query.urlencode()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def page_sections(context: template.Context, page: str, obj: object) -> str:
    """The sections other apps add to this page (see :mod:`turbine.core.page_sections`)."""
    return mark_safe(sections.render(page, context.get("request"), obj))  # noqa: S308 - rendered by templates


@register.simple_tag
def badge_list(badges: dict[int, list[Badge]] | None, object_id: int) -> str:
    """The badges other apps give the object ``object_id`` (see :mod:`turbine.core.badges`),
    from the mapping the view collected for the whole page: no query here."""
    items = (badges or {}).get(object_id) or []
    if not items:
        return ""
    return render_to_string("core/_badges.html", {"items": items})
