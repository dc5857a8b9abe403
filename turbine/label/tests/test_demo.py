"""The label's demonstration data set loads on top of the others."""

from __future__ import annotations

import pytest

from turbine.core import demo
from turbine.label.models import Application, CharterSignature, Decision, ReferentialNode

pytestmark = pytest.mark.django_db


def test_the_demo_loads_every_stage(territory: object) -> None:
    report = dict(demo.seed(only=["comptes", "annuaire", "projets", "label"]))
    assert "8 labellisées" in report["label"]
    assert ReferentialNode.objects.filter(children__isnull=True).count() == 40
    assert CharterSignature.objects.filter(version__number=2).count() == 30
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {
        "engagement",
        "auto-evaluation",
        "a-reprendre",
        "comite",
        "refuse",
        "labellise",
        "confirme",
    }
    granted = Decision.objects.filter(outcome="accorde").select_related("level")
    assert granted.count() == 8
    # The level granted is the one the committee's score reaches, and the reviewers disagreed.
    assert all(d.level.stars == d.committee_score["etoiles"] for d in granted)
    assert {d.level.stars for d in granted} != {1}
    assert any(d.committee_score != d.applicant_score for d in granted)
