"""The published register of a draw: recomputable, with no row-level features."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from turbine.cooperation import sortition
from turbine.cooperation.models import PanelDraw
from turbine.cooperation.selectors.panels import MIN_PUBLISHED_TYPE
from turbine.cooperation.services import panels as services
from turbine.cooperation.tests.test_panels_services import QUOTAS
from turbine.cooperation.tests.test_panels_views import drawn_panel

pytestmark = pytest.mark.django_db


def _h(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest(), "big")


def test_the_register_publishes_types_not_people_and_the_pick_is_recomputable(
    territory, client, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, _users, _draw = drawn_panel(bruno, django_capture_on_commit_callbacks)
    record = json.loads(client.get(f"/panels/{panel.pk}/tirage/registre.json").content)
    for withheld in ("respondents", "probabilities", "profiles", "volunteer_ids"):
        assert withheld not in record
    types = record["types"]
    assert sum(t["count"] for t in types) == record["pool_size"] == 12
    rows = sorted(row for t in types for row in t["rows"])
    assert rows == list(range(1, 13))
    # make_panel's pool: two types of 4 people, two of 2 (withheld).
    masked = [t for t in types if t["features"] is None]
    assert sorted(t["count"] for t in masked) == [2, 2]
    assert all(t["count"] < MIN_PUBLISHED_TYPE for t in masked)
    assert record["withheld_types"] == 2
    # Every lottery panel meets the quotas, checked from the published counts per value.
    for counts in record["lottery_quota_counts"]:
        for total, quota in zip(counts, record["quotas"], strict=True):
            assert quota["min"] <= total <= quota["max"]
    # The ticket and the people picked, from the register alone.
    seed = record["seed"]
    ticket = _h(f"{seed}:ticket") % len(record["tickets"])
    assert ticket == record["ticket"]
    composition = record["lottery_panels"][record["tickets"][ticket]]
    picked = []
    for entry, count in zip(types, composition, strict=True):
        picked += sorted(entry["rows"], key=lambda row: _h(f"{seed}:{row}"))[:count]
    assert sorted(picked) == record["panel_rows"]


def test_without_masked_types_the_register_recomputes_the_leximin(
    territory, client, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, _users, _draw = drawn_panel(bruno, django_capture_on_commit_callbacks, people=24)
    record = json.loads(client.get(f"/panels/{panel.pk}/tirage/registre.json").content)
    assert record["withheld_types"] == 0
    quotas = services.engine_quotas([tuple(q) for q in QUOTAS])
    people = [
        tuple(entry["features"][c] for c in record["categories"])
        for entry in record["types"]
        for _ in range(entry["count"])
    ]
    distribution = sortition.leximin(sortition.build_pool(quotas, people), record["size"])
    exact = PanelDraw.objects.get(panel=panel).info["exact_minimum"]
    assert distribution.probabilities.min() == pytest.approx(exact, abs=1e-6)
    by_type = {tuple(p): pr for p, pr in zip(people, distribution.probabilities, strict=True)}
    for entry in record["types"]:
        key = tuple(entry["features"][c] for c in record["categories"])
        assert entry["probability"] == pytest.approx(by_type[key], abs=2e-3)  # lottery rounding


def test_the_draw_page_withholds_small_groups_and_explains_why(
    territory, client, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, _users, draw = drawn_panel(bruno, django_capture_on_commit_callbacks)
    page = client.get(f"/panels/{panel.pk}/tirage/").content.decode()
    assert "Réponses non publiées" in page
    assert "Ce que le registre publie, et ce qu" in page
    # Rows are pseudonyms: the pool's order is not the order of registration (same people).
    assert sorted(draw.volunteer_ids) == sorted(panel.volunteers.values_list("pk", flat=True))
    assert np.unique(draw.volunteer_ids).size == 12
