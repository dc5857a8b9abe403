"""Helpers every app's views share: a page of a list, a service's refusal shown on its form,
a service's "not found" or "forbidden" turned into the site's 404 or 403 page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest

from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError

PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    """One page of a list: its items, the total count, the page number actually shown (a page
    past the last shows the last) and the page size, as the ``_pagination.html`` include
    reads them."""

    items: list[Any]
    count: int
    page: int
    page_size: int

    def context(self, items_name: str = "items") -> dict[str, Any]:
        return {
            items_name: self.items,
            "count": self.count,
            "page": self.page,
            "page_size": self.page_size,
        }


def paginate(rows: Any, page: int, *, page_size: int = PAGE_SIZE) -> Page:
    """The ``page``-th page (from 1) of a queryset or a list, with Django's ``Paginator``."""
    paginator = Paginator(rows, page_size)
    shown = paginator.get_page(page)
    return Page(list(shown.object_list), paginator.count, shown.number, page_size)


def form_error(form: Form, error: TurbineError) -> None:
    """A service's refusal shown on its form: on the field it names when the form has that
    field, above the form otherwise."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def raise_http(error: TurbineError) -> None:
    """A service's "not found" or "forbidden" becomes the site's 404 or 403 page; any other
    refusal is left to the caller (usually shown on a form)."""
    if isinstance(error, NotFoundError):
        raise Http404(error.message)
    if isinstance(error, PermissionDeniedError):
        raise PermissionDenied(error.message)


def require_perm(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """The site's 403 page unless the user has the rule's permission (on ``obj``)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
