"""Object permissions of the directory (``rules``)."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff
from turbine.directory.models import MemberRole, MembershipStatus


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return organisation.memberships.filter(
        user=user, role=MemberRole.ADMIN, status=MembershipStatus.ACTIVE
    ).exists()


@rules.predicate
def is_organisation_member(user, organisation) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return organisation.memberships.filter(user=user, status=MembershipStatus.ACTIVE).exists()


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


can_edit_organisation = is_organisation_admin | is_turbine_staff
can_see_organisation_private = is_organisation_member | is_turbine_staff

rules.add_perm("directory.add_organisation", is_signed_in)
rules.add_perm("directory.change_organisation", can_edit_organisation)
rules.add_perm("directory.manage_members", can_edit_organisation)
rules.add_perm("directory.view_members", can_see_organisation_private)
rules.add_perm("directory.view_private_contact", can_see_organisation_private)
rules.add_perm("directory.moderate", is_turbine_staff)
rules.add_perm("directory.import", is_turbine_staff)


@rules.predicate
def is_needoffer_author(user, item) -> bool:
    if item is None or not getattr(user, "is_authenticated", False):
        return False
    if item.author_id == user.pk:
        return True
    return item.organisation_id is not None and is_organisation_admin(user, item.organisation)


rules.add_perm("directory.change_needoffer", is_needoffer_author | is_turbine_staff)
