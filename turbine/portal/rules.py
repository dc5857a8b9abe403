"""Who may follow a place and receive its monthly digest: elected officials and the Turbine's
agents (advisors, administrators)."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_elected, is_turbine_staff

can_follow_places = is_elected | is_turbine_staff

rules.add_perm("portal.follow_place", can_follow_places)
