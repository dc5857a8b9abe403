"""Permissions on meetings (``rules``): staff, and the members of the organising organisations
(as the directory counts them: an active membership) or the organising person."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff
from turbine.cooperation.models import Event
from turbine.cooperation.search_meetings import index_events
from turbine.directory import moderation
from turbine.directory.models import MembershipStatus
from turbine.directory.rules import is_signed_in


@rules.predicate
def is_member_of_an_organisation(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.memberships.filter(status=MembershipStatus.ACTIVE).exists()


@rules.predicate
def is_event_organiser(user, event) -> bool:
    if event is None or not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (event.organiser_person_id, event.created_by_id):
        return True
    return event.organisations.filter(
        memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).exists()


can_manage_event = is_turbine_staff | is_event_organiser

rules.add_perm("cooperation.add_event", is_turbine_staff | is_member_of_an_organisation)
rules.add_perm("cooperation.change_event", can_manage_event)
rules.add_perm("cooperation.mark_attendance", can_manage_event)
rules.add_perm("cooperation.view_event_diversity", can_manage_event)
rules.add_perm("cooperation.view_diversity_dashboard", is_turbine_staff)
rules.add_perm("cooperation.register_event", is_signed_in)


def _describe_event(object_id: str) -> tuple[str, str] | None:
    if not object_id.isdigit() or len(object_id) > 12:
        return None
    event = Event.objects.public().filter(pk=int(object_id)).first()
    return (event.title, event.get_absolute_url()) if event else None


def _hide_event(object_id: str, hidden: bool) -> None:
    Event.objects.filter(pk=int(object_id)).update(is_hidden=hidden)
    index_events(ids=[int(object_id)])


def _register_moderation() -> None:
    moderation.register(
        kind="rencontre", label="Rencontre", describe=_describe_event, set_hidden=_hide_event
    )


_register_moderation()
