"""Permissions of steering (``rules``): staff configure and score; elected officials rank."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_elected, is_turbine_staff

rules.add_perm("steering.configure", is_turbine_staff)
rules.add_perm("steering.score", is_turbine_staff)
rules.add_perm("steering.import_values", is_turbine_staff)
rules.add_perm("steering.vote_mandate", is_elected)
rules.add_perm("steering.manage_mandate", is_turbine_staff)
rules.add_perm("steering.manage_calls", is_turbine_staff)
