"""The stories that cite an objective or an indicator, shown on steering's pages (steering
does not import the showcase: it shows the sections registered for its pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from turbine.core import page_sections
from turbine.showcase.selectors import stories_citing


def _objective_stories(request: HttpRequest | None, objective: Any) -> str:
    stories = stories_citing(objective=objective)
    if not stories:
        return ""
    return render_to_string(
        "showcase/stories/_citing.html", {"stories": stories, "of": "objective"}, request=request
    )


def _indicator_stories(request: HttpRequest | None, indicator: Any) -> str:
    stories = stories_citing(indicator=indicator)
    if not stories:
        return ""
    return render_to_string(
        "showcase/stories/_citing.html", {"stories": stories, "of": "indicator"}, request=request
    )


page_sections.register("steering_objective", _objective_stories)
page_sections.register("steering_indicator", _indicator_stories)
