"""A project's applications for aids: Chloé records hers (page and API); they feed the aid's
page, the funder's figures and the places' dashboards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from turbine.accounts.services import api_token_create
from turbine.funding.models import ApplicationStatus, ProjectApplication
from turbine.funding.selectors_management import (
    aid_applications,
    funder_application_counts,
    place_application_counts,
)
from turbine.funding.tests.factories import FunderFactory, make_aid
from turbine.projects.models import Project
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def garden(territory, perimeters, chloe):
    return ProjectFactory(
        title="Jardin partagé de la cité 12", holder_user=chloe, commune_codes=["62119"]
    )


@pytest.fixture
def aid(perimeters):
    return make_aid(title="Jardins nourriciers", funders=[FunderFactory(name="Fondation verte")])


def bearer(user) -> dict[str, str]:
    _, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_holder_records_and_edits_an_application(client, chloe, garden, aid):
    client.force_login(chloe)
    url = f"/projets/{garden.pk}/candidatures/"
    response = client.post(
        url,
        {
            "aid": str(aid.pk),
            "status": "deposee",
            "amount_asked": "12000",
            "applied_on": (TODAY - datetime.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302
    application = ProjectApplication.objects.get()
    assert application.amount_asked == 12000 and application.created_by == chloe
    page = client.get(url).content.decode()
    assert "Jardins nourriciers" in page and "Candidature déposée" in page
    edit = f"{url}{application.pk}/"
    response = client.post(
        edit,
        {
            "status": "obtenue",
            "amount_asked": "12000",
            "amount_obtained": "9000",
            "applied_on": (TODAY - datetime.timedelta(days=20)).isoformat(),
            "decided_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OBTAINED and application.amount_obtained == 9000
    # The aid's page names the public project; the funder's figures count it.
    text = client.get(aid.get_absolute_url()).content.decode()
    assert "Projets du territoire qui y ont candidaté" in text and garden.title in text
    counts = funder_application_counts(funder=aid.funders.get())
    assert counts.obtained == 1 and counts.amount_obtained == 9000
    assert place_application_counts(projects=Project.objects.filter(pk=garden.pk)).total == 1
    client.post(edit, {"delete": "1"})
    assert not ProjectApplication.objects.exists()


@pytest.mark.parametrize(
    "values, message",
    [
        ({"status": "deposee", "amount_obtained": "10"}, "que pour une aide obtenue"),
        ({"status": "refusee", "applied_on": "2026-05-02", "decided_on": "2026-05-01"}, "précéder"),
        ({"status": "deposee", "applied_on": "2999-01-01"}, "à venir"),
        ({"status": "deposee", "amount_asked": "-5"}, "supérieure ou égale"),
        ({"status": "deposee", "amount_asked": "9" * 20}, "Assurez-vous"),
        ({"status": "peut-etre"}, "Sélectionnez un choix valide"),
        ({"status": "deposee", "aid": "n'existe pas du tout"}, "Aucune aide du catalogue"),
        ({"status": "deposee", "aid": "12\x00"}, "caractère nul"),
    ],
)
def test_bad_applications_are_refused_in_french(client, chloe, garden, aid, values, message):
    client.force_login(chloe)
    response = client.post(f"/projets/{garden.pk}/candidatures/", {"aid": str(aid.pk), **values})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProjectApplication.objects.exists()


def test_the_same_aid_twice_is_refused(client, chloe, garden, aid):
    client.force_login(chloe)
    url = f"/projets/{garden.pk}/candidatures/"
    client.post(url, {"aid": str(aid.pk), "status": "deposee"})
    response = client.post(url, {"aid": str(aid.pk), "status": "refusee"})
    assert response.status_code == 400 and "déjà enregistré" in response.content.decode()
    assert ProjectApplication.objects.count() == 1


def test_the_api_lists_a_public_projects_applications_and_lets_holders_add(
    client, chloe, alice, garden, aid
):
    url = f"/api/v1/projects/{garden.pk}/applications"
    body = {"aid": aid.pk, "status": "obtenue", "amount_obtained": "5000.50"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert (
        client.post(url, body, content_type="application/json", **bearer(alice)).status_code == 403
    )
    response = client.post(url, body, content_type="application/json", **bearer(chloe))
    assert response.status_code == 201, response.content
    data = client.get(url).json()
    assert data[0]["aid"]["title"] == "Jardins nourriciers" and data[0]["status"] == "obtenue"
    again = client.post(url, body, content_type="application/json", **bearer(chloe))
    assert again.status_code == 400 and "déjà" in again.json()["detail"]
    bad = client.post(
        url, {**body, "amount_asked": 10**20}, content_type="application/json", **bearer(chloe)
    )
    assert bad.status_code == 422
    draft = ProjectFactory(visibility="draft", holder_user=chloe)
    assert client.get(f"/api/v1/projects/{draft.pk}/applications").status_code == 404
    assert aid_applications(aid=aid).counts.obtained == 1
