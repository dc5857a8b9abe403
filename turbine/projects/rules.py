"""Object permissions of projects (``rules``)."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff
from turbine.directory.models import MembershipStatus
from turbine.directory.rules import is_signed_in


@rules.predicate
def is_project_holder(user, project) -> bool:
    """The person holding the project, or an active member of its holder organisation."""
    if project is None or not getattr(user, "is_authenticated", False):
        return False
    if project.holder_user_id == user.pk:
        return True
    if project.holder_organisation_id is None:
        return False
    return project.holder_organisation.memberships.filter(
        user=user, status=MembershipStatus.ACTIVE
    ).exists()


@rules.predicate
def is_visible_project(user, project) -> bool:
    return project is not None and project.is_public


can_edit_project = is_project_holder | is_turbine_staff

rules.add_perm("projects.add_project", is_signed_in)
rules.add_perm("projects.change_project", can_edit_project)
rules.add_perm("projects.view_project", is_visible_project | can_edit_project)
