"""Helpers shared by the label app's views (on top of ``turbine.core.web``)."""

from __future__ import annotations

from django import forms

from turbine.core import web
from turbine.core.exceptions import TurbineError
from turbine.core.web import require_perm

__all__ = ["form_error", "int_or_none", "require_perm"]


def form_error(form: forms.Form, error: TurbineError) -> None:
    """A service's refusal: the site's 404 or 403 page when the object is not found or not
    allowed, else shown on the form."""
    web.raise_http(error)
    web.form_error(form, error)


def int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None
