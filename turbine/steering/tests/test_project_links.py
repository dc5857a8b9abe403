"""Staff link projects to objectives and indicators from the objective's page (not only from the
admin): the form checks the project, the indicator and the year, the contributions follow."""

from __future__ import annotations

import pytest
from django.test import Client

from turbine.projects.models import ImpactNature, ProjectImpact
from turbine.projects.tests.factories import ProjectFactory
from turbine.steering.models import Indicator, ProjectObjective
from turbine.steering.tests.factories import elected, make_indicator

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _url(indicator: Indicator) -> str:
    return f"/pilotage/objectifs/{indicator.objective_id}/projets/"


def test_staff_link_a_project_and_its_effect_rolls_up(bruno) -> None:
    indicator = make_indicator()
    project = ProjectFactory(title="Chaufferie bois de Liévin")
    ProjectImpact.objects.create(
        project=project, indicator="co2", nature=ImpactNature.ESTIMATED, value=12
    )
    detail = _client(bruno).get(f"/pilotage/objectifs/{indicator.objective_id}/").content.decode()
    assert _url(indicator) in detail
    page = _client(bruno).get(_url(indicator))
    assert page.status_code == 200 and "Émissions de GES (kt CO2e)" in page.content.decode()
    response = _client(bruno).post(
        _url(indicator),
        {
            "action": "relier",
            "project": project.pk,
            "indicator": indicator.pk,
            "from_year": 2024,
            "note": "Chaufferie mise en service en 2024",
        },
    )
    assert response.status_code == 302
    link = ProjectObjective.objects.get()
    assert (link.project, link.indicator, link.from_year) == (project, indicator, 2024)
    indicator_page = _client().get(f"/pilotage/indicateurs/{indicator.pk}/").content.decode()
    assert "Chaufferie bois de Liévin" in indicator_page
    # The same project again changes its link rather than adding one.
    _client(bruno).post(
        _url(indicator), {"action": "relier", "project": project.pk, "from_year": 2026}
    )
    link = ProjectObjective.objects.get()
    assert link.indicator is None and link.from_year == 2026


def test_staff_remove_a_link(bruno) -> None:
    indicator = make_indicator()
    link = ProjectObjective.objects.create(
        project=ProjectFactory(), objective=indicator.objective, from_year=2024
    )
    page = _client(bruno).get(_url(indicator)).content.decode()
    assert "Retirer" in page
    assert (
        _client(bruno).post(_url(indicator), {"action": "retirer", "link": link.pk}).status_code
        == 302
    )
    assert not ProjectObjective.objects.exists()
    again = _client(bruno).post(_url(indicator), {"action": "retirer", "link": link.pk})
    assert again.status_code == 400 and "existe plus" in again.content.decode()


def test_a_link_of_another_objective_cannot_be_removed_from_here(bruno) -> None:
    indicator = make_indicator()
    other = make_indicator()
    link = ProjectObjective.objects.create(
        project=ProjectFactory(), objective=other.objective, from_year=2024
    )
    response = _client(bruno).post(_url(indicator), {"action": "retirer", "link": link.pk})
    assert response.status_code == 400
    assert ProjectObjective.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"project": "999999"}, "Aucun projet public"),
        ({"project": "abc"}, "Saisissez un nombre entier"),
        ({"project": str(10**30)}, "inférieure ou égale"),
        ({"from_year": "1800"}, "supérieure ou égale à 1990"),
        ({"from_year": "2100"}, "inférieure ou égale à 2038"),
        ({"from_year": ["2024", "2025"]}, None),
        ({"indicator": "999999"}, "Sélectionnez un choix valide"),
        ({"note": "a\x00b"}, "caractère interdit"),
        ({"note": "x" * 301}, "au plus 300 caractères"),
        ({"project": "draft"}, "Aucun projet public"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_saved(
    bruno,
    changes,
    message,
) -> None:
    indicator = make_indicator()
    project = ProjectFactory()
    draft = ProjectFactory(visibility="draft")
    data = {"action": "relier", "project": project.pk, "from_year": 2024, **changes}
    if data["project"] == "draft":
        data["project"] = draft.pk
    response = _client(bruno).post(_url(indicator), data)
    if message is None:  # a repeated parameter: the last one counts, as Django does
        assert response.status_code == 302
        assert ProjectObjective.objects.get().from_year == 2025
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectObjective.objects.exists()


def test_an_indicator_of_another_objective_is_refused(bruno) -> None:
    indicator = make_indicator()
    other = make_indicator()
    response = _client(bruno).post(
        _url(indicator),
        {
            "action": "relier",
            "project": ProjectFactory().pk,
            "indicator": other.pk,
            "from_year": 2024,
        },
    )
    assert (
        response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
    )
    assert not ProjectObjective.objects.exists()


def test_only_staff_link_projects(alice, chloe) -> None:
    indicator = make_indicator()
    project = ProjectFactory()
    data = {"action": "relier", "project": project.pk, "from_year": 2024}
    for user in (alice, chloe, elected()):
        assert _client(user).get(_url(indicator)).status_code == 403
        assert _client(user).post(_url(indicator), data).status_code == 403
    anonymous = _client().get(_url(indicator))
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]
    assert (
        _client(alice).get(f"/pilotage/objectifs/{indicator.objective_id}/projets/").status_code
        == 403
    )
    assert (
        "Relier des projets"
        not in _client(alice).get(f"/pilotage/objectifs/{indicator.objective_id}/").content.decode()
    )
    assert not ProjectObjective.objects.exists()


def test_an_unknown_objective_is_a_404(bruno) -> None:
    assert _client(bruno).get("/pilotage/objectifs/999999/projets/").status_code == 404


def test_an_unknown_action_is_refused(bruno) -> None:
    indicator = make_indicator()
    response = _client(bruno).post(_url(indicator), {"action": "\x00"})
    assert response.status_code == 400 and "Action inconnue" in response.content.decode()
