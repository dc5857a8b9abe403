"""Turbine's roles. Each is a Django group created by a data migration (``0002_roles``); the keys
are what code uses, the names are what people see."""

from __future__ import annotations

CITIZEN = "citoyen"
HOLDER = "porteur de projet"
ADVISOR = "conseiller"
ELECTED = "élu"
FUNDER = "partenaire financeur"
ADMINISTRATOR = "administrateur"

ROLES: dict[str, str] = {
    "citizen": CITIZEN,
    "holder": HOLDER,
    "advisor": ADVISOR,
    "elected": ELECTED,
    "funder": FUNDER,
    "administrator": ADMINISTRATOR,
}

# Roles a person may give themself on their profile; the others are granted by administrators.
SELF_SERVICE_ROLES = (CITIZEN, HOLDER)
STAFF_ROLES = (ADVISOR, ADMINISTRATOR)
