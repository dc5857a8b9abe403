"""Permissions on panels and challenges (``rules``)."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff
from turbine.directory.rules import is_signed_in

rules.add_perm("cooperation.manage_panel", is_turbine_staff)
rules.add_perm("cooperation.manage_challenge", is_turbine_staff)
rules.add_perm("cooperation.propose_challenge", is_signed_in)
rules.add_perm("cooperation.pledge", is_signed_in)
