"""Shared fixtures of the tally-engine tests (no Django needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path("/work/shared/data/pabulib")


@pytest.fixture
def fixtures_dir() -> Path:
    """Folder of the small hand-made ``.pb`` files."""
    return FIXTURES
