from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def ballot_keys(settings, tmp_path):
    """Each test its own directory of campaign keys (they live outside the database)."""
    from django.core.cache import cache

    cache.clear()  # the throttle of wrong voter codes
    settings.BUDGET_BALLOT_KEY_DIR = tmp_path / "ballot-keys"
    return settings.BUDGET_BALLOT_KEY_DIR
