"""Object permissions of the label app (``rules``).

- A member (an organisation, or a commune) is signed for by an active administrator of the
  organisation — for a commune, of its town hall's organisation in the directory (kind
  « commune ») — or by Turbine staff.
- An application is edited by its holder (the project's holders, or the organisation's
  administrators) while it is in self-assessment; staff follow every application.
- Committee members see only the applications they are assigned to and never one they are
  linked to.
"""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff
from turbine.directory.models import MemberRole, MembershipStatus, Organisation, OrganisationKind
from turbine.directory.rules import is_organisation_admin, is_signed_in
from turbine.projects.rules import is_project_holder


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def town_hall_admin_communes(user) -> set[int]:
    """Ids of the communes whose town hall's organisation the user administers."""
    if not _signed_in(user):
        return set()
    return set(
        Organisation.objects.filter(
            kind=OrganisationKind.COMMUNE,
            commune__isnull=False,
            memberships__user=user,
            memberships__role=MemberRole.ADMIN,
            memberships__status=MembershipStatus.ACTIVE,
        ).values_list("commune_id", flat=True)
    )


def epci_admin_sirens(user) -> set[str]:
    """SIREN numbers of the intercommunal organisations the user administers."""
    if not _signed_in(user):
        return set()
    return set(
        Organisation.objects.filter(
            kind=OrganisationKind.EPCI,
            memberships__user=user,
            memberships__role=MemberRole.ADMIN,
            memberships__status=MembershipStatus.ACTIVE,
        )
        .exclude(siren="")
        .values_list("siren", flat=True)
    )


@rules.predicate
def is_commune_representative(user, commune) -> bool:
    return commune is not None and commune.pk in town_hall_admin_communes(user)


@rules.predicate
def is_authority_representative(user, charter) -> bool:
    """For an ambition charter: a representative of its commune or agglomeration."""
    if charter is None:
        return False
    if charter.commune_id:
        return charter.commune_id in town_hall_admin_communes(user)
    return charter.agglomeration.siren in epci_admin_sirens(user)


@rules.predicate
def is_application_holder(user, application) -> bool:
    if application is None or not _signed_in(user):
        return False
    if application.project_id:
        return is_project_holder(user, application.project)
    return is_organisation_admin(user, application.organisation)


@rules.predicate
def is_editable_application(user, application) -> bool:
    return application is not None and application.is_editable


@rules.predicate
def is_assigned_reviewer(user, application) -> bool:
    if application is None or not _signed_in(user):
        return False
    return application.assignments.filter(member__user=user, member__is_active=True).exists()


@rules.predicate
def is_committee_member(user) -> bool:
    if not _signed_in(user):
        return False
    return hasattr(user, "label_committee") and user.label_committee.is_active


rules.add_perm("label.sign_for_organisation", is_organisation_admin | is_turbine_staff)
rules.add_perm("label.sign_for_commune", is_commune_representative | is_turbine_staff)
rules.add_perm("label.manage_charter", is_turbine_staff)
rules.add_perm("label.manage_referential", is_turbine_staff)
rules.add_perm("label.manage_committee", is_turbine_staff)
rules.add_perm("label.apply", is_signed_in)
rules.add_perm("label.view_application", is_application_holder | is_turbine_staff)
rules.add_perm("label.edit_self_assessment", is_application_holder & is_editable_application)
rules.add_perm("label.review_application", is_assigned_reviewer & ~is_application_holder)
rules.add_perm("label.decide_application", is_turbine_staff & ~is_application_holder)
rules.add_perm("label.edit_ambition_charter", is_authority_representative | is_turbine_staff)
