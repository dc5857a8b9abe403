"""The panels' published reviews of a project, shown on the project's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from turbine.cooperation.selectors.panels import project_reviews
from turbine.core import page_sections


def _project_reviews(request: HttpRequest | None, project: Any) -> str:
    reviews = project_reviews(project=project)
    if not reviews:
        return ""
    return render_to_string(
        "cooperation/panels/_project_reviews.html", {"reviews": reviews}, request=request
    )


page_sections.register("project", _project_reviews)
