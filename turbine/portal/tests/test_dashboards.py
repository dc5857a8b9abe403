"""A place's dashboard gathers every app's data located there: what happens in Liévin stays off
the Lens page but counts for their agglomeration; the guichet shows aggregates only; the number
of queries does not grow with the data."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from turbine.budget.models import ProposalStatus
from turbine.budget.tests.factories import make_campaign, make_proposal
from turbine.cooperation.tests.factories_meetings import EventFactory
from turbine.directory.models import Family
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.models import FunderLevel, ProjectFunding, Scale
from turbine.funding.tests.conftest import _ensure as ensure_perimeters
from turbine.funding.tests.factories import FunderFactory, commune, make_aid, perimeter
from turbine.guichet import services as guichet
from turbine.guichet.tests.factories import LENS, advisor, make_request
from turbine.projects.tests.factories import ProjectFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db

LIEVIN = "62510"


@pytest.fixture
def lens_data(territory, alice):
    ensure_perimeters()
    region = FunderFactory(name="Région Hauts-de-France", level=FunderLevel.REGION)
    aid = make_aid(
        title="Fonds vélo des communes",
        perimeters=[commune(LENS)],
        funders=[region],
        deadline_in=12,
    )
    make_aid(title="Aide réservée à Liévin", perimeters=[commune(LIEVIN)], deadline_in=5)
    workshop = ProjectFactory(
        title="Atelier vélo solidaire", commune_codes=[LENS], theme_slugs=["mobilite"]
    )
    ProjectFactory(title="Verger de Liévin", commune_codes=[LIEVIN], theme_slugs=["alimentation"])
    ProjectFunding.objects.create(
        project=workshop, source="Région", aid=aid, kind="subvention", amount=Decimal("12000")
    )
    OrganisationFactory(name="Vélo Club de Lens", family=Family.DOERS, commune_code=LENS)
    OrganisationFactory(name="Amicale de Liévin", commune_code=LIEVIN)
    campaign = make_campaign(phase="resultats", slug="bp-lens", title="Budget participatif 2026")
    make_proposal(campaign, title="Arceaux vélos rue de Lille", status=ProposalStatus.FUNDED)
    make_proposal(campaign, title="Idée encore à l'étude", status=ProposalStatus.SUBMITTED)
    EventFactory(title="Réparons nos vélos", commune_code=LENS)
    request = make_request(holder=alice, commune=LENS, themes=["mobilite"], title="Secret de Alice")
    guichet.request_close(
        user=advisor(agglomeration_of=LENS),
        support_request=request,
        outcome="renoncee",
        reason="Le porteur a trouvé une autre solution.",
    )
    return workshop


def test_it_shows_what_happens_in_the_commune_and_nothing_from_elsewhere(client, lens_data):
    response = client.get(f"/territoire/communes/{LENS}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Atelier vélo solidaire" in html
    assert "Vélo Club de Lens" in html
    assert "Fonds vélo des communes" in html
    assert "Arceaux vélos rue de Lille" in html
    assert "Réparons nos vélos" in html
    # Funding obtained, by level of the funder: 12 000 € from the region.
    assert re.search(r"Région</th><td class=\"num\">12\u202f000 €</td><td class=\"num\">1<", html)
    # Elsewhere, or not public, stays off.
    for absent in ["Verger de Liévin", "Amicale de Liévin", "Aide réservée à Liévin"]:
        assert absent not in html
    assert "Idée encore à l'étude" not in html
    # The guichet in aggregate: a renounced request in mobility, never its title nor its holder.
    assert "1 demande d'accompagnement concerne un projet d'ici" in html
    assert "Secret de Alice" not in html and "Alice" not in html
    assert "Renoncée : 1" in html
    assert f'href="/carte/?commune={LENS}"' in html


def test_the_agglomeration_gathers_its_communes(client, lens_data):
    agglomeration = Commune.objects.get(code=LENS).agglomeration
    make_aid(
        title="Aide intercommunale au vélo", perimeters=[perimeter(Scale.EPCI, agglomeration.siren)]
    )
    html = client.get(f"/territoire/agglomerations/{agglomeration.siren}/").content.decode()
    assert "Atelier vélo solidaire" in html and "Verger de Liévin" in html
    assert "Amicale de Liévin" in html
    # Aids open to the whole agglomeration, not those of one of its communes only.
    assert "Aide intercommunale au vélo" in html
    assert "Aide réservée à Liévin" not in html
    assert f'href="/territoire/communes/{LIEVIN}/"' in html


def test_an_unknown_place_is_a_french_404(client, territory):
    assert client.get("/territoire/communes/99999/").status_code == 404
    assert client.get("/territoire/agglomerations/000000000/").status_code == 404


def test_a_commune_with_nothing_yet_says_so(client, territory):
    html = client.get(f"/territoire/communes/{LIEVIN}/").content.decode()
    assert "Aucun projet public n'est encore localisé ici." in html
    assert "Aucune demande d'accompagnement ne concerne encore un projet d'ici." in html


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client, lens_data, alice):
    agglomeration = Commune.objects.get(code=LENS).agglomeration
    paths = [f"/territoire/communes/{LENS}/", f"/territoire/agglomerations/{agglomeration.siren}/"]
    before = [_queries(client, path) for path in paths]
    campaign = make_campaign(phase="resultats", slug="bp-autre", title="Budget 2025")
    for n in range(9):
        project = ProjectFactory(commune_codes=[LENS], theme_slugs=["energie", "eau"])
        ProjectFunding.objects.create(
            project=project, source="État", kind="subvention", amount=Decimal(1000 + n)
        )
        OrganisationFactory(commune_code=LENS)
        make_aid(title=f"Aide {n}", perimeters=[commune(LENS)], funders=[FunderFactory()])
        make_proposal(campaign, title=f"Idée {n}", status=ProposalStatus.FUNDED)
        EventFactory(commune_code=LENS)
        make_request(holder=alice, commune=LENS, themes=["energie"], title=f"Demande {n}")
    after = [_queries(client, path) for path in paths]
    assert after == before


def test_the_api_gives_the_same_figures_as_the_page(client, lens_data):
    body = client.get(f"/api/v1/communes/{LENS}/dashboard").json()
    assert body["place"] == {
        "kind": "commune",
        "code": LENS,
        "name": "Lens",
        "population": Commune.objects.get(code=LENS).population,
        "communes": 1,
    }
    assert body["projects"]["total"] == 1
    assert body["projects"]["latest"][0]["title"] == "Atelier vélo solidaire"
    assert body["funding_obtained"]["by_level"] == [
        {"level": "region", "label": "Région", "amount": "12000.00", "projects": 1}
    ]
    assert [a["title"] for a in body["aids_open"]["nearest"]] == ["Fonds vélo des communes"]
    assert body["guichet"]["total"] == 1
    assert body["guichet"]["not_successful"][0]["outcome"] == "renoncee"
    assert "Alice" not in str(body) and "Secret" not in str(body)
    assert [e["title"] for e in body["next_events"]] == ["Réparons nos vélos"]
    siren = Commune.objects.get(code=LENS).agglomeration.siren
    agglo = client.get(f"/api/v1/agglomerations/{siren}/dashboard").json()
    assert agglo["place"]["kind"] == "agglomeration" and agglo["projects"]["total"] == 2


def test_the_api_answers_an_unknown_place_with_a_json_404(client, territory):
    response = client.get("/api/v1/communes/99999/dashboard")
    assert response.status_code == 404
    assert response.json()["detail"]
    assert client.get("/api/v1/agglomerations/1%002/dashboard").status_code in (404, 422)


def test_the_briefing_gives_an_official_the_figures_the_projects_and_what_to_do(client, lens_data):
    html = client.get(f"/territoire/communes/{LENS}/briefing/").content.decode()
    assert "Note pour les élus : Lens" in html
    assert "Atelier vélo solidaire" in html  # one of the telling projects
    assert "Renoncée" in html  # what is blocked, in aggregate
    assert "Secret de Alice" not in html
    # The aid closing in 12 days is one to pass on; the charter of ambition is not adopted.
    assert "Fonds vélo des communes" in html
    assert "Relayer auprès des porteurs de projets l&#x27;aide qui ferme" in html
    assert "adopter la charte d&#x27;ambition" in html
    assert f'href="/territoire/communes/{LENS}/briefing.pdf"' in html


def test_the_briefing_pdf_holds_the_same_text(client, lens_data, tmp_path):
    response = client.get(f"/territoire/communes/{LENS}/briefing.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="note-elus-lens.pdf"' in response["Content-Disposition"]
    pdf = tmp_path / "note.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Note pour les élus : Lens" in text
    assert "Atelier vélo solidaire" in text
    assert "Ce que vous pouvez faire" in text
    assert re.search(r"Région\s+12\s000 €", text.replace("\u202f", " "))
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+[1-9]", pages.stdout)


def test_an_agglomeration_has_its_briefing_too(client, lens_data):
    siren = Commune.objects.get(code=LENS).agglomeration.siren
    html = client.get(f"/territoire/agglomerations/{siren}/briefing/").content.decode()
    assert "Verger de Liévin" in html or "Atelier vélo solidaire" in html
    assert client.get(f"/territoire/agglomerations/{siren}/briefing.pdf").status_code == 200
    assert client.get("/territoire/communes/99999/briefing.pdf").status_code == 404
