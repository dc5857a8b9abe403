"""Object permissions of the guichet (``rules``).

Holders see only their own requests; advisors see the requests of the agglomerations they cover
and those assigned to them; administrators see all. Staff notes and the staff side of the
history are for the request's staff only."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_administrator, is_advisor
from turbine.guichet.models import AdvisorCoverage


@rules.predicate
def is_request_holder(user, support_request) -> bool:
    return (
        support_request is not None
        and getattr(user, "is_authenticated", False)
        and support_request.holder_id == user.pk
    )


def covered_agglomeration_ids(user) -> set[int]:
    """The agglomerations an advisor covers (cached on the user object for the request)."""
    cached = getattr(user, "_guichet_agglomerations", None)
    if cached is None:
        cached = set(
            AdvisorCoverage.agglomerations.through.objects.filter(
                advisorcoverage__user_id=user.pk
            ).values_list("agglomeration_id", flat=True)
        )
        user._guichet_agglomerations = cached
    return cached


@rules.predicate
def is_request_staff(user, support_request) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if is_administrator(user):
        return True
    if support_request is None or not is_advisor(user):
        return False
    return (
        support_request.advisor_id == user.pk
        or support_request.agglomeration_id in covered_agglomeration_ids(user)
    )


is_guichet_staff = is_advisor | is_administrator

rules.add_perm("guichet.view_request", is_request_holder | is_request_staff)
rules.add_perm("guichet.follow_request", is_request_staff)
rules.add_perm("guichet.view_queue", is_guichet_staff)
