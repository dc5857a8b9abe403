"""Menu entries of the roles whose pages the portal gathers: a holder's requests, the staff's
queue, an official's followed communes (registered in ``apps.ready``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from turbine.accounts.rules import is_holder, is_turbine_staff
from turbine.core.navigation import NavEntry
from turbine.portal.rules import can_follow_places


def role_entries(user: Any) -> Iterable[NavEntry]:
    entries = []
    if is_holder(user):
        entries.append(NavEntry(_("Mes demandes"), reverse("guichet:my_requests")))
    if is_turbine_staff(user):
        entries.append(NavEntry(_("File du guichet"), reverse("guichet:queue")))
    if can_follow_places(user):
        entries.append(NavEntry(_("Mes communes"), reverse("portal:follows")))
    return entries
