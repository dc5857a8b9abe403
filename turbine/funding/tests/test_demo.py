from __future__ import annotations

import pytest

from turbine.accounts.tests.factories import UserFactory
from turbine.funding.demo import DEMO_FUNDER, load_catalogue, load_managed_aids
from turbine.funding.models import Aid, AidChange, Funder, ProjectApplication, Scale
from turbine.funding.selectors import AidFilters, aid_search
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.usefixtures("perimeters")


def test_it_loads_a_demo_catalogue_at_every_level(db: None) -> None:
    summary = load_catalogue()
    assert summary.startswith("41 financeurs")
    assert Funder.objects.count() == 41
    assert 130 <= Aid.objects.count() <= 145
    assert not Aid.objects.filter(is_demo=False).exists()
    fonds_vert = Aid.objects.filter(title__startswith="Fonds vert").first()
    assert fonds_vert.origin_url.startswith("https://www.ecologie.gouv.fr/")
    assert "exemple" in fonds_vert.amount_comment
    results = aid_search(AidFilters(commune="62119"))
    scales = {a.match_rank for a in results.iterate()}
    assert scales == {1, 2, 3, 4, 5, 6}
    assert results[0].perimeters.all()[0].scale == Scale.COMMUNE


def test_the_demo_catalogue_has_aids_for_every_theme_and_holder_in_lens(db: None) -> None:
    from turbine.core.models import Theme
    from turbine.funding.selectors import filtered_aids

    load_catalogue()

    def count(**filters: object) -> int:
        qs = filtered_aids(AidFilters(commune="62498", open=True, **filters))
        return qs.values("pk").distinct().count()

    for theme in Theme.objects.values_list("slug", flat=True):
        assert count(beneficiary="association", themes=(theme,)) >= 3, theme
        assert count(themes=(theme,)) >= 5, theme
    holders = ["association", "commune", "epci", "entreprise", "particulier", "agriculteur"]
    for beneficiary in [*holders, "etablissement-public"]:
        assert count(beneficiary=beneficiary) >= 8, beneficiary
    associations = filtered_aids(AidFilters(commune="62498", beneficiary="association", open=True))
    titles = list(
        Aid.objects.filter(pk__in=associations.values("pk")).values_list("title", flat=True)
    )
    assert any("vélo" in t for t in titles) and any("réparation" in t for t in titles)


def test_the_demo_funder_manages_its_aids_and_projects_apply(db: None) -> None:
    farid = UserFactory(email="farid.demo@turbine.localhost", roles=["partenaire financeur"])
    ProjectFactory(is_demo=True, theme_slugs=["alimentation"])
    summary = load_managed_aids()
    funder = Funder.objects.get(name=DEMO_FUNDER)
    assert farid.has_perm("funding.manage_funder", funder)
    aids = Aid.objects.filter(funders=funder)
    assert aids.count() == 3 and not aids.filter(is_demo=False).exists()
    assert {a.effective_status for a in aids} == {"publiee", "expiree", "brouillon"}
    assert AidChange.objects.filter(funder=funder, actor=farid).count() >= 6
    assert ProjectApplication.objects.filter(is_demo=True).count() == 1
    assert "3 aides" in summary
