"""Pages, CSV import, API: public reads, staff-only writes, French refusals, no 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from turbine.core import demo
from turbine.projects.tests.factories import ProjectFactory
from turbine.steering import services
from turbine.steering.imports import parse_values
from turbine.steering.models import (
    CRITERIA,
    Indicator,
    IndicatorValue,
    Mandate,
    MandateBallot,
    ProjectScore,
)
from turbine.steering.tests.factories import add_values, elected, make_indicator, make_mandate

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_public_pages_show_the_trajectory_and_its_table(territory) -> None:
    indicator = make_indicator()
    add_values(indicator, {2015: 1000, 2025: 860})
    client = _client()
    page = client.get("/pilotage/objectifs/").content.decode()
    assert "Moins de gaz à effet de serre" in page and "en retard" in page
    page = client.get(f"/pilotage/objectifs/{indicator.objective_id}/").content.decode()
    assert "Émissions de GES" in page
    page = client.get(f"/pilotage/indicateurs/{indicator.pk}/").content.decode()
    assert '<svg class="line-chart"' in page and 'aria-hidden="true"' in page
    assert "<caption>" in page and "3,0 an(s) de retard" in page
    csv = client.get(f"/pilotage/indicateurs/{indicator.pk}/valeurs.csv").content.decode()
    assert csv.splitlines()[0] == "indicateur;annee;valeur;nature;source;territoire"
    assert client.get("/pilotage/indicateurs/999999/").status_code == 404


def test_the_indicator_page_queries_do_not_grow_with_values(
    django_assert_max_num_queries, territory
) -> None:
    indicator = make_indicator(scope="commune")
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=indicator, year=y, area_code=c.code, value=y)
            for y in range(2015, 2025)
            for c in territory.agglomerations.first().communes.all()[:40]
        ]
    )
    with django_assert_max_num_queries(16):
        assert _client().get(f"/pilotage/indicateurs/{indicator.pk}/").status_code == 200


def test_portfolio_mandate_and_report_pages(bruno, territory) -> None:
    project = ProjectFactory(title="Recyclerie")
    services.project_scores_set(
        user=bruno, project=project, scores=dict.fromkeys(CRITERIA, (4, "ok"))
    )
    make_mandate()
    client = _client()
    assert "Recyclerie" in client.get("/pilotage/portefeuille/").content.decode()
    assert "Chantier 1" in client.get("/pilotage/mandature/").content.decode()
    assert client.get("/rapport/2025/").status_code == 200
    assert client.get("/rapport/2025/aides.csv").status_code == 200
    assert client.get("/rapport/2025/inconnu.csv").status_code == 404
    assert client.get("/pilotage/portefeuille/?lien=%00").status_code == 200


def test_staff_tools_are_refused_to_others(alice, bruno) -> None:
    project = ProjectFactory()
    mandate = make_mandate()
    for path in (
        "/pilotage/portefeuille/notation/",
        f"/pilotage/portefeuille/notation/{project.pk}/",
        "/pilotage/portefeuille/poids/",
        "/pilotage/indicateurs/import/",
        f"/pilotage/mandature/{mandate.pk}/vote/",
    ):
        assert _client(alice).get(path).status_code == 403, path
        assert _client().get(path).status_code == 302, path
    assert _client(alice).post(f"/pilotage/mandature/{mandate.pk}/publier/").status_code == 403
    assert _client(bruno).get(f"/pilotage/portefeuille/notation/{project.pk}/").status_code == 200


def test_staff_score_a_project_through_the_form(bruno) -> None:
    project = ProjectFactory()
    data = {f"{c}_score": "3" for c in CRITERIA} | {f"{c}_why": "Vu en comité" for c in CRITERIA}
    data["climat_why"] = "avec \x00 nul"
    response = _client(bruno).post(f"/pilotage/portefeuille/notation/{project.pk}/", data)
    assert response.status_code == 200 and "caractère interdit" in response.content.decode()
    assert not ProjectScore.objects.exists()
    data["climat_why"] = "Fort effet"
    response = _client(bruno).post(f"/pilotage/portefeuille/notation/{project.pk}/", data)
    assert response.status_code == 302
    assert ProjectScore.objects.filter(project=project).count() == len(CRITERIA)


def test_an_official_ranks_through_the_form(territory) -> None:
    mandate = make_mandate(candidates=3)
    a, b, c = mandate.candidates.all()
    official = elected()
    client = _client(official)
    url = f"/pilotage/mandature/{mandate.pk}/vote/"
    gap = client.post(url, {f"rang_{a.pk}": "1", f"rang_{b.pk}": "3"})
    assert "sans trou" in gap.content.decode()
    same = client.post(url, {f"rang_{a.pk}": "1", f"rang_{b.pk}": "1"})
    assert "même rang" in same.content.decode()
    assert client.post(url, {f"rang_{a.pk}": "99"}).status_code == 200
    assert not MandateBallot.objects.exists()
    assert client.post(url, {f"rang_{b.pk}": "1", f"rang_{c.pk}": "2"}).status_code == 302
    assert MandateBallot.objects.get().ranking == [b.pk, c.pk]
    again = client.post(url, {f"rang_{a.pk}": "1"})
    assert "déjà voté" in again.content.decode()


def test_the_csv_import_checks_every_line_then_saves_on_confirmation(bruno, territory) -> None:
    indicator = make_indicator()
    bad = (
        "indicateur;annee;valeur;nature;source;territoire\n"
        f"{indicator.pk};2020;NaN;mesure;;\n"
        f"{indicator.pk};2020;inf;mesure;;\n"
        f"{indicator.pk};2045;1;mesure;;\n"
        f"999;2020;1;mesure;;\n"
        f"{indicator.pk};2020;douze;mesure;;\n"
        f"{indicator.pk};2021;1e20;mesure;;\n"
        f"{indicator.pk};2021;3;devine;;\n"
        f"{indicator.pk};2021;3;mesure;;62498\n"
        f"{indicator.pk};2022;3\n"
        f"{indicator.pk};2023;4,5;estimee;Atmo;\n"
        f"{indicator.pk};2023;4,5;estimee;Atmo;\n"
    )
    parsed = parse_values(bad.encode())
    lines = [e.split(" :")[0] for e in parsed.errors]
    assert lines == [f"Ligne {n}" for n in range(2, 11)] + ["Ligne 12"]
    assert "NaN" in parsed.errors[0] and "nombre fini" in parsed.errors[1]
    assert parse_values(b"a;b\x00").errors == [
        "Le fichier contient un caractère nul : ce n'est pas un CSV texte."
    ]
    assert "Ligne 1" in parse_values(b"foo;bar\n1;2\n").errors[0]
    assert "UTF-8" in parse_values("indicateur;é".encode("latin-1")).errors[0]
    client = _client(bruno)
    response = client.post(
        "/pilotage/indicateurs/import/", {"file": SimpleUploadedFile("v.csv", bad.encode())}
    )
    assert "Ligne 2" in response.content.decode()
    assert not IndicatorValue.objects.exists()
    good = (
        f"indicateur;annee;valeur;nature;source;territoire\n{indicator.pk};2023;4,5;estimee;Atmo;\n"
    )
    response = client.post(
        "/pilotage/indicateurs/import/", {"file": SimpleUploadedFile("v.csv", good.encode())}
    )
    assert "Confirmer" in response.content.decode()
    assert not IndicatorValue.objects.exists()  # nothing saved before confirmation
    token = response.context["token"]
    assert (
        client.post("/pilotage/indicateurs/import/", {"confirmer": "1", "token": "x"}).status_code
        == 302
    )
    assert not IndicatorValue.objects.exists()
    client.post("/pilotage/indicateurs/import/", {"confirmer": "1", "token": token})
    value = IndicatorValue.objects.get()
    assert (value.year, value.value, value.nature, value.source) == (2023, 4.5, "estimee", "Atmo")


def test_the_api_serves_indicators_values_portfolio_and_results(bruno, territory) -> None:
    indicator = make_indicator()
    add_values(indicator, {2015: 1000, 2020: 930})
    client = _client()
    body = client.get("/api/v1/indicators").json()
    assert body["count"] == 1 and body["items"][0]["unit"] == "kt CO2e"
    values = client.get(f"/api/v1/indicators/{indicator.pk}/values").json()
    assert [v["year"] for v in values["items"]] == [2015, 2020]
    assert client.get("/api/v1/indicators/999999/values").status_code == 404
    assert (
        client.get(f"/api/v1/indicators/{indicator.pk}/values?area_code=" + "9" * 20).status_code
        == 422
    )
    assert client.get("/api/v1/portfolio?k=0").status_code == 422
    assert client.get("/api/v1/portfolio?k=99999999999999999999").status_code == 422
    assert client.get("/api/v1/portfolio").json()["items"] == []
    mandate = make_mandate(candidates=3)
    assert client.get(f"/api/v1/mandates/{mandate.pk}/results").json()["results"] is None
    ids = list(mandate.candidates.values_list("pk", flat=True))
    for n in range(4):
        services.mandate_ballot_cast(user=elected(n), mandate_id=mandate.pk, ranking_ids=ids)
    services.mandate_results_publish(user=bruno, mandate_id=mandate.pk)
    results = client.get(f"/api/v1/mandates/{mandate.pk}/results").json()
    assert results["published"] and results["results"]["elected"] == [1, 2, 3]
    assert client.get("/api/v1/mandates/999999/results").status_code == 404


def test_the_demo_data_loads(territory) -> None:
    report = dict(demo.seed(only=["comptes", "annuaire", "projets", "pilotage"]))
    assert "grands chantiers" in report["pilotage"]
    assert Indicator.objects.filter(is_demo=True).count() == 5
    mandate = Mandate.objects.get(is_demo=True)
    assert len(mandate.results["elected"]) == 3
    assert mandate.great_works.count() == 3
    assert (
        _client().get(f"/pilotage/indicateurs/{Indicator.objects.first().pk}/").status_code == 200
    )


def test_list_pages_keep_their_queries_bounded(bruno, django_assert_max_num_queries) -> None:
    for n in range(12):
        indicator = make_indicator(name=f"Indicateur {n}")
        add_values(indicator, {2015: 1000, 2020: 900 + n})
        project = ProjectFactory(title=f"Projet {n}")
        services.project_scores_set(
            user=bruno, project=project, scores=dict.fromkeys(CRITERIA, (n % 6, "ok"))
        )
    client = _client()
    with django_assert_max_num_queries(8):
        assert client.get("/pilotage/objectifs/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/pilotage/portefeuille/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/rapport/2025/").status_code == 200
