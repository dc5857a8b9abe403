"""Helpers of the showcase views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest

from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError

PAGE_SIZE = 20


def apply_error(form: Form, error: TurbineError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def raise_http(error: TurbineError) -> None:
    """Not found and forbidden errors become Django's 404 and 403 pages."""
    if isinstance(error, NotFoundError):
        raise Http404(error.message)
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message)


def require_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def paginate(qs: QuerySet | list, page: int) -> dict[str, Any]:
    count = qs.count() if isinstance(qs, QuerySet) else len(qs)
    last = max(1, (count + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(page, 1), last)
    return {
        "items": list(qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]),
        "count": count,
        "page": page,
        "page_size": PAGE_SIZE,
    }
