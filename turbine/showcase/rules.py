"""Permissions of the showcase (``rules``).

Staff (advisors, administrators) curate portraits, review stories, qualify blockers and keep
the strategies; a person decides on their own portrait; the members of a host organisation
manage its visits; a blocker report is seen by its author, its holder and staff until it is
public."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_elected, is_turbine_staff
from turbine.directory.models import MembershipStatus
from turbine.directory.rules import is_signed_in


@rules.predicate
def is_portrayed_person(user, portrait) -> bool:
    return portrait is not None and user.is_authenticated and portrait.person_id == user.pk


@rules.predicate
def is_story_author(user, story) -> bool:
    return story is not None and user.is_authenticated and story.author_id == user.pk


@rules.predicate
def is_member_of_an_organisation(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.memberships.filter(status=MembershipStatus.ACTIVE).exists()


@rules.predicate
def is_visit_host(user, offer) -> bool:
    """An active member of the organisation that hosts the visit, or the person who offered it."""
    if offer is None or not getattr(user, "is_authenticated", False):
        return False
    if offer.created_by_id == user.pk:
        return True
    return user.memberships.filter(
        organisation_id=offer.host_id, status=MembershipStatus.ACTIVE
    ).exists()


@rules.predicate
def is_blocker_party(user, report) -> bool:
    if report is None or not getattr(user, "is_authenticated", False):
        return False
    return user.pk in (report.author_id, report.holder_id)


@rules.predicate
def is_blocker_holder(user, report) -> bool:
    return report is not None and user.is_authenticated and report.holder_id == user.pk


@rules.predicate
def is_public_blocker(user, report) -> bool:
    return report is not None and report.is_public


rules.add_perm("showcase.manage_portraits", is_turbine_staff)
rules.add_perm("showcase.consent_portrait", is_portrayed_person)
rules.add_perm("showcase.propose_story", is_signed_in)
rules.add_perm("showcase.edit_story", is_turbine_staff | is_story_author)
rules.add_perm("showcase.review_story", is_turbine_staff)
rules.add_perm("showcase.add_visit", is_turbine_staff | is_member_of_an_organisation)
rules.add_perm("showcase.manage_visit", is_turbine_staff | is_visit_host)
rules.add_perm("showcase.view_visit_figures", is_turbine_staff)
rules.add_perm("showcase.report_blocker", is_signed_in)
rules.add_perm("showcase.view_blocker", is_public_blocker | is_blocker_party | is_turbine_staff)
rules.add_perm("showcase.publish_blocker", is_blocker_holder)
rules.add_perm("showcase.qualify_blocker", is_turbine_staff)
rules.add_perm("showcase.manage_advocacy", is_turbine_staff)
rules.add_perm("showcase.manage_strategies", is_turbine_staff)
rules.add_perm("showcase.read_briefs_inbox", is_elected | is_turbine_staff)
