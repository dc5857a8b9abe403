"""Who may do what in the funding catalogue."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff

can_edit_catalogue = is_turbine_staff
can_write_notes = is_turbine_staff
can_read_staff_notes = is_turbine_staff

rules.add_perm("funding.change_aid", can_edit_catalogue)
rules.add_perm("funding.add_localnote", can_write_notes)
