"""A funder's public page and API: its aids, open and past, the projects they funded; funder
names lead to it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from turbine.funding.models import AidStatus, FunderLevel, ProjectFunding
from turbine.funding.tests.factories import FunderFactory, make_aid
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(territory, perimeters):
    funder = FunderFactory(name="Région Hauts-de-France", level=FunderLevel.REGION)
    aid = make_aid(title="Fonds régional vélo", funders=[funder], deadline_in=20)
    make_aid(title="Appel clos 2025", funders=[funder], deadline_in=-40)
    make_aid(title="Brouillon interne", funders=[funder], status=AidStatus.DRAFT)
    make_aid(title="Aide d'un autre", funders=[FunderFactory()])
    project = ProjectFactory(title="Atelier vélo de Lens", commune_codes=["62498"])
    hidden = ProjectFactory(title="Projet brouillon", visibility="draft")
    for p in (project, hidden):
        ProjectFunding.objects.create(
            project=p, source="Région", aid=aid, kind="subvention", amount=Decimal("8000")
        )
    return funder


def test_the_funder_page_shows_its_aids_and_the_projects_funded(client, region):
    html = client.get(f"/financeurs/{region.pk}/").content.decode()
    assert "Région Hauts-de-France" in html
    assert "Fonds régional vélo" in html and "Appel clos 2025" in html
    assert "Brouillon interne" not in html and "Aide d&#x27;un autre" not in html
    assert "Atelier vélo de Lens" in html and "Projet brouillon" not in html
    assert "8\u202f000 €" in html


def test_funder_names_link_to_their_page(client, region):
    assert f'href="/financeurs/{region.pk}/"' in client.get("/financeurs/").content.decode()
    aid_page = client.get("/aides/").content.decode()
    assert "Fonds régional vélo" in aid_page
    aid = region.aids.get(title="Fonds régional vélo")
    assert f'href="/financeurs/{region.pk}/"' in client.get(aid.get_absolute_url()).content.decode()


def test_an_unknown_funder_is_a_404(client, territory):
    assert client.get("/financeurs/999999/").status_code == 404
    assert client.get("/api/v1/funders/999999").status_code == 404
    assert client.get("/api/v1/funders/99999999999999999999").status_code in (404, 422)


def test_the_api_gives_the_funder_with_its_aids_and_projects(client, region):
    body = client.get(f"/api/v1/funders/{region.pk}").json()
    assert body["name"] == "Région Hauts-de-France" and body["level"] == "region"
    assert [a["title"] for a in body["open_aids"]] == ["Fonds régional vélo"]
    assert [a["title"] for a in body["past_aids"]] == ["Appel clos 2025"]
    assert body["funded_project_count"] == 1
    assert body["funded_projects"][0]["title"] == "Atelier vélo de Lens"
    assert body["funded_projects"][0]["amount"] == "8000.00"
    assert body["live_aids"] == 1
