from __future__ import annotations

import pytest

from turbine.funding.demo import load_catalogue
from turbine.funding.models import Aid, Funder, Scale
from turbine.funding.selectors import AidFilters, aid_search

pytestmark = pytest.mark.usefixtures("perimeters")


def test_it_loads_a_demo_catalogue_at_every_level(db: None) -> None:
    summary = load_catalogue()
    assert summary.startswith("40 financeurs")
    assert Funder.objects.count() == 40
    assert 115 <= Aid.objects.count() <= 130
    assert not Aid.objects.filter(is_demo=False).exists()
    fonds_vert = Aid.objects.filter(title__startswith="Fonds vert").first()
    assert fonds_vert.origin_url.startswith("https://www.ecologie.gouv.fr/")
    assert "exemple" in fonds_vert.amount_comment
    results = aid_search(AidFilters(commune="62119"))
    scales = {a.match_rank for a in results.iterate()}
    assert scales == {1, 2, 3, 4, 5, 6}
    assert results[0].perimeters.all()[0].scale == Scale.COMMUNE
