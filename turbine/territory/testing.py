"""Helpers for tests: the base data that migrations create and a territory import.

Transactional tests (browser tests on a live server) flush the database after each test, data
migrations included, so they call ``ensure_base_data`` to put it back.
"""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps

from turbine.territory.models import Territory
from turbine.territory.services import PMA_EPCI, PMA_NAME, PMA_SLUG, territory_import


def ensure_base_data() -> Territory:
    """Themes, roles and the PMA territory, created if missing. Idempotent."""
    importlib.import_module("turbine.core.migrations.0002_themes").create_themes(django_apps, None)
    importlib.import_module("turbine.accounts.migrations.0002_roles").create_roles(
        django_apps, None
    )
    territory = Territory.objects.filter(slug=PMA_SLUG).first()
    if territory is None or not territory.agglomerations.exists():
        territory = territory_import(name=PMA_NAME, epci_codes=list(PMA_EPCI)).territory
    return territory
