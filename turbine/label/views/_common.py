"""Helpers shared by the label app's views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError


def form_error(form: forms.Form, error: TurbineError) -> None:
    """Show a service's refusal on the form (on its field when the form has it)."""
    if isinstance(error, NotFoundError):
        raise Http404(error.message)
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message)
    form.add_error(error.field if error.field in form.fields else None, error.message)


def require_perm(request: HttpRequest, perm: str, obj: object = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None
