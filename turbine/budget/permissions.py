"""Permission predicates of the participatory budget (``rules`` package; this module is not
named rules.py because ``turbine.budget.engine`` is the tally engine)."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff

rules.add_perm("budget.review_proposal", is_turbine_staff)
rules.add_perm("budget.view_staff_log", is_turbine_staff)
rules.add_perm("budget.manage_campaign", is_turbine_staff)
