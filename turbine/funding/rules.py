"""Who may do what in the funding catalogue, on a funder's management pages and on a
project's applications."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_funder, is_turbine_staff
from turbine.directory.models import MembershipStatus
from turbine.projects.rules import can_edit_project

can_edit_catalogue = is_turbine_staff
can_write_notes = is_turbine_staff
can_read_staff_notes = is_turbine_staff


@rules.predicate
def is_funder_member(user, funder) -> bool:
    """An active member of the directory organisation that is this funder."""
    if funder is None or funder.organisation_id is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return False
    return funder.organisation.memberships.filter(
        user=user, status=MembershipStatus.ACTIVE
    ).exists()


@rules.predicate
def is_aid_funder_member(user, aid) -> bool:
    """An active member of the organisation of one of the aid's funders."""
    if aid is None or not getattr(user, "is_authenticated", False):
        return False
    return aid.funders.filter(
        organisation__memberships__user=user,
        organisation__memberships__status=MembershipStatus.ACTIVE,
    ).exists()


# The members with the funder role of the funder's organisation manage its aids; the Turbine's
# staff may step in (they edit the whole catalogue anyway).
can_manage_funder = (is_funder & is_funder_member) | is_turbine_staff
can_manage_aid = (is_funder & is_aid_funder_member) | is_turbine_staff
# A project's holders (and staff) record its applications for aids.
can_record_applications = can_edit_project

rules.add_perm("funding.change_aid", can_edit_catalogue)
rules.add_perm("funding.add_localnote", can_write_notes)
rules.add_perm("funding.manage_funder", can_manage_funder)
rules.add_perm("funding.manage_aid", can_manage_aid)
rules.add_perm("funding.record_applications", can_record_applications)
