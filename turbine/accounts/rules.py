"""Role predicates (``rules``), shared by every app's rules.py."""

from __future__ import annotations

import rules

from turbine.accounts import roles

is_citizen = rules.is_group_member(roles.CITIZEN)
is_holder = rules.is_group_member(roles.HOLDER)
is_advisor = rules.is_group_member(roles.ADVISOR)
is_elected = rules.is_group_member(roles.ELECTED)
is_funder = rules.is_group_member(roles.FUNDER)
is_administrator = rules.is_group_member(roles.ADMINISTRATOR) | rules.is_superuser
is_turbine_staff = is_advisor | is_administrator


@rules.predicate
def is_token_owner(user, token) -> bool:
    return token is not None and token.user_id == user.pk


rules.add_perm("accounts.revoke_apitoken", is_token_owner)
rules.add_perm("accounts.view_staff_workspace", is_turbine_staff)
