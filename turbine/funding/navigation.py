"""The funder role's menu entry: « Mes aides », the management page of its funder."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from turbine.accounts.rules import is_funder
from turbine.core.navigation import NavEntry
from turbine.funding.selectors_management import funders_managed_by


def funder_entries(user: Any) -> Iterable[NavEntry]:
    if not is_funder(user):
        return []
    funders = funders_managed_by(user=user)
    return [
        NavEntry(
            label=_("Mes aides") if len(funders) == 1 else _("Mes aides (%s)") % f.name,
            url=reverse("funding:manage", args=[f.pk]),
            prefix=f"/financeurs/{f.pk}/",
        )
        for f in funders
    ]
