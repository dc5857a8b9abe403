"""A story cites the territory's objectives and indicators: its page says where each indicator
stands, and the objective's and the indicator's pages list the published stories citing them
(through core's page sections: steering does not import the showcase)."""

from __future__ import annotations

import pytest
from django.test import Client

from turbine.showcase.models import Story, StoryStatus
from turbine.showcase.tests.factories import StoryFactory
from turbine.steering.tests.factories import add_values, make_indicator

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


STORY = {
    "title": "Le covoiturage des soignants de Lens",
    "summary": "Deux cents trajets par semaine.",
    "body": "Un **récit**.",
    "scope": "local",
}


def test_an_actor_cites_objectives_and_indicators(chloe) -> None:
    indicator = make_indicator()
    objective = indicator.objective
    page = _client(chloe).get("/recits/nouveau/").content.decode()
    assert objective.title in page and indicator.name in page
    response = _client(chloe).post(
        "/recits/nouveau/",
        {
            **STORY,
            "steering_objectives": [objective.pk],
            "steering_indicators": [indicator.pk],
            "action": "proposer",
        },
    )
    assert response.status_code == 302
    story = Story.objects.get(title=STORY["title"])
    assert list(story.steering_objectives.all()) == [objective]
    assert list(story.steering_indicators.all()) == [indicator]
    # The edit form shows them ticked.
    edit = _client(chloe).get(f"/recits/{story.pk}/modifier/").content.decode()
    assert f'value="{indicator.pk}" id="id_steering_indicators_0" checked' in edit


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("steering_objectives", "999999"),
        ("steering_indicators", "999999"),
        ("steering_indicators", "abc"),
        ("steering_objectives", "1\x00"),
        ("steering_objectives", str(10**30)),
    ],
)
def test_it_refuses_unknown_or_malformed_citations(chloe, field, value) -> None:
    make_indicator()
    response = _client(chloe).post("/recits/nouveau/", {**STORY, field: [value]})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert not Story.objects.exists()


def test_the_story_page_says_which_objective_moved(territory) -> None:
    indicator = make_indicator()  # from 1,000 in 2015 to 540 in 2038: -20 a year
    add_values(indicator, {2020: 850.0})  # the trajectory says 900: ahead
    story = StoryFactory()
    story.steering_indicators.set([indicator])
    page = _client().get(f"/recits/{story.pk}/").content.decode()
    assert "Les objectifs du territoire que ce récit fait bouger" in page
    assert indicator.objective.title in page
    assert f"/pilotage/indicateurs/{indicator.pk}/" in page
    assert "dans la trajectoire" in page


def test_the_story_page_bounds_its_queries(territory, django_assert_max_num_queries) -> None:
    story = StoryFactory()
    indicators = [make_indicator(name=f"Indicateur {n}") for n in range(6)]
    for indicator in indicators:
        add_values(indicator, {2020: 900.0, 2021: 880.0})
    story.steering_indicators.set(indicators)
    story.steering_objectives.set([i.objective for i in indicators])
    with django_assert_max_num_queries(20):
        assert _client().get(f"/recits/{story.pk}/").status_code == 200


def test_objective_and_indicator_pages_list_the_published_stories_citing_them(territory) -> None:
    indicator = make_indicator()
    objective = indicator.objective
    by_objective = StoryFactory(title="Par l'objectif")
    by_objective.steering_objectives.set([objective])
    by_indicator = StoryFactory(title="Par l'indicateur")
    by_indicator.steering_indicators.set([indicator])
    draft = StoryFactory(title="Brouillon caché", status=StoryStatus.DRAFT, published_at=None)
    draft.steering_objectives.set([objective])
    page = _client().get(f"/pilotage/objectifs/{objective.pk}/").content.decode()
    assert "Les récits qui racontent cet objectif" in page
    assert "Par l&#x27;objectif" in page and "Par l&#x27;indicateur" in page
    assert "Brouillon caché" not in page
    assert page.count("Par l&#x27;indicateur") == 1  # cited twice, listed once
    indicator_page = _client().get(f"/pilotage/indicateurs/{indicator.pk}/").content.decode()
    assert "Par l&#x27;indicateur" in indicator_page
    assert "Par l&#x27;objectif" not in indicator_page


def test_an_objective_without_stories_shows_no_empty_section(territory) -> None:
    indicator = make_indicator()
    page = _client().get(f"/pilotage/objectifs/{indicator.objective.pk}/").content.decode()
    assert "Les récits qui racontent" not in page


def test_the_api_gives_the_citations(territory) -> None:
    indicator = make_indicator()
    story = StoryFactory()
    story.steering_indicators.set([indicator])
    story.steering_objectives.set([indicator.objective])
    item = Client().get("/api/v1/stories").json()["items"][0]
    assert item["steering_objectives"] == [indicator.objective.pk]
    assert item["steering_indicators"] == [indicator.pk]
