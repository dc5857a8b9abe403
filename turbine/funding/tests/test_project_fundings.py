"""Aids obtained by projects: the projects' funding rows name an aid of the catalogue, and the
aid's page and API list the public projects that obtained it (never drafts nor hidden ones)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from turbine.accounts.models import User
from turbine.core.exceptions import TurbineError
from turbine.funding.demo import link_demo_projects
from turbine.funding.models import Aid, AidStatus, ProjectFunding
from turbine.funding.selectors import aid_lookup, projects_funded_by
from turbine.funding.services import project_fundings as services
from turbine.funding.tests.factories import FunderFactory, make_aid
from turbine.projects.models import Project
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.usefixtures("perimeters")


def _fund(user, project, aid, amount="1000", source=""):
    return services.project_set_fundings(
        user=user,
        project=project,
        fundings=[{"source": source, "aid": aid.pk, "kind": "public", "amount": amount}],
    )


def test_it_names_an_aid_in_a_funding_row(territory, chloe) -> None:
    aid = make_aid(title="Fonds Chaleur (exemple)")
    project = ProjectFactory(holder_user=chloe)
    [row] = _fund(chloe, project, aid)
    assert row.aid == aid and row.source == "Fonds Chaleur (exemple)"
    [row] = _fund(chloe, project, aid, source="ADEME")
    assert row.source == "ADEME"
    draft = make_aid(title="Brouillon", status=AidStatus.DRAFT)
    with pytest.raises(TurbineError, match="introuvable"):
        _fund(chloe, project, draft)
    with pytest.raises(TurbineError, match="introuvable"):
        services.project_set_fundings(
            user=chloe,
            project=project,
            fundings=[{"source": "X", "aid": 999_999, "kind": "public", "amount": 1}],
        )
    assert ProjectFunding.objects.get().source == "ADEME"


def test_it_resolves_what_people_type_to_name_an_aid(db) -> None:
    aid = make_aid(title="Fonds vert – Renaturation")
    make_aid(title="Appel à projets mobilité", deadline_in=10)
    make_aid(title="Appel à projets mobilité", deadline_in=20)
    make_aid(title="Secret", status=AidStatus.DRAFT)
    assert aid_lookup(text=str(aid.pk)).aid == aid
    assert aid_lookup(text=f"https://turbine.example/aides/{aid.pk}/").aid == aid
    assert aid_lookup(text=f"{aid.pk} — Fonds vert – Renaturation").aid == aid
    assert aid_lookup(text="fonds vert – renaturation").aid == aid
    twins = aid_lookup(text="Appel à projets mobilité")
    assert twins.aid is None and len(twins.candidates) == 2
    close = aid_lookup(text="renaturation fonds")
    assert close.aid is None and close.candidates == [aid]
    assert aid_lookup(text="Secret").aid is None and not aid_lookup(text="Secret").candidates


def test_it_picks_the_aid_in_the_project_form_without_javascript(
    client: Client,
    territory,
    chloe,
) -> None:
    aid = make_aid(title="Fonds Chaleur (exemple)")
    make_aid(title="Aide mobilité", deadline_in=10)
    make_aid(title="Aide mobilité", deadline_in=20)
    project = ProjectFactory(holder_user=chloe)
    client.force_login(chloe)
    url = reverse("projects:project_edit", args=[project.pk])
    data = {
        "title": project.title,
        "scale": "1",
        "stage": "realisation",
        "visibility": "public",
        "financements-TOTAL_FORMS": "2",
        "financements-INITIAL_FORMS": "0",
        "financements-0-aid": "Aide mobilité",
        "financements-0-kind": "public",
        "financements-0-amount": "5000",
        "impacts-TOTAL_FORMS": "0",
        "impacts-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "indiquez son numéro" in body
    assert not ProjectFunding.objects.exists()
    response = client.post(url, {**data, "financements-0-aid": "Introuvable"})
    assert "Aucune aide publiée du catalogue ne correspond" in response.content.decode()
    response = client.post(url, {**data, "financements-0-aid": str(aid.pk)})
    assert response.status_code == 302
    row = ProjectFunding.objects.get()
    assert row.aid == aid and row.source == aid.title and row.amount == Decimal(5000)
    body = client.get(url).content.decode()
    assert f'value="{aid.pk} — Fonds Chaleur (exemple)"' in body
    body = client.get(project.get_absolute_url()).content.decode()
    assert f'href="/aides/{aid.pk}/"' in body


def test_it_shows_on_the_aid_page_only_public_projects(
    client: Client,
    territory,
    chloe,
    bruno,
    django_assert_max_num_queries,
) -> None:
    aid = make_aid(title="Fonds Chaleur (exemple)", funders=[FunderFactory(name="ADEME")])
    public = ProjectFactory(title="Chaufferie publique", holder_user=chloe, commune_codes=["62498"])
    draft = ProjectFactory(title="Chaufferie brouillon", holder_user=chloe, visibility="draft")
    hidden = ProjectFactory(title="Chaufferie masquée", holder_user=chloe, is_hidden=True)
    for project in (public, draft, hidden):
        _fund(chloe, project, aid, amount="25000")
    for i in range(12):
        _fund(chloe, ProjectFactory(title=f"Autre {i:02}", holder_user=chloe), aid, amount=i + 1)
    url = reverse("funding:aid", args=[aid.pk])
    with django_assert_max_num_queries(14):
        body = client.get(url).content.decode()
    assert "Projets du territoire qui l&#x27;ont obtenue" in body or "qui l'ont obtenue" in body
    assert "Chaufferie publique" in body and "25\u202f000" in body and "Lens" in body
    assert "Chaufferie brouillon" not in body and "Chaufferie masquée" not in body
    client.force_login(bruno)  # not even staff see drafts listed on the aid's page
    assert "Chaufferie brouillon" not in client.get(url).content.decode()
    funded = projects_funded_by(aid=aid, limit=5)
    assert funded.count == 13 and len(funded.items) == 5
    assert funded.items[0].title == "Chaufferie publique"
    body = client.get(f"/api/v1/aids/{aid.pk}").json()
    assert body["project_count"] == 13
    assert body["projects"][0]["id"] == public.pk
    assert body["projects"][0]["amount"] == "25000.00"
    assert draft.pk not in [p["id"] for p in body["projects"]]
    assert client.get(f"/api/v1/projects/{public.pk}").json()["fundings"][0]["aid"] == aid.pk


def test_it_names_the_aid_through_the_projects_api(client: Client, territory, chloe) -> None:
    from turbine.accounts.services import api_token_create

    aid = make_aid(title="Fonds vert (exemple)")
    _, secret = api_token_create(user=chloe, name="t")
    response = client.post(
        "/api/v1/projects",
        {
            "title": "Renaturation",
            "visibility": "public",
            "fundings": [{"aid": aid.pk, "kind": "public", "amount": 1000}],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["fundings"][0] == {
        "source": "Fonds vert (exemple)",
        "aid": aid.pk,
        "kind": "public",
        "amount": "1000.00",
    }
    response = client.patch(
        f"/api/v1/projects/{created['id']}",
        {"title": "Renaturation de la friche"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.json()["fundings"][0]["aid"] == aid.pk
    response = client.post(
        "/api/v1/projects",
        {"title": "X", "fundings": [{"aid": 999_999, "kind": "public", "amount": 1}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400 and "introuvable" in response.json()["detail"]
    assert not Project.objects.filter(title="X").exists()  # the project's save rolled back
    response = client.patch(
        f"/api/v1/projects/{created['id']}",
        {"title": "Trop", "fundings": [{"source": "R", "kind": "public", "amount": 1e15}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400 and "trop grand" in response.json()["detail"]
    project = Project.objects.get(pk=created["id"])
    assert project.title == "Renaturation de la friche" and project.fundings.get().aid == aid
    response = client.patch(
        f"/api/v1/projects/{created['id']}",
        {"fundings": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200 and response.json()["fundings"] == []


def test_a_refused_funding_row_rolls_the_project_page_save_back(
    client: Client, territory, chloe
) -> None:
    project = ProjectFactory(holder_user=chloe, title="Chaufferie bois")
    client.force_login(chloe)
    url = reverse("projects:project_edit", args=[project.pk])
    data = {
        "title": "Chaufferie bois du quartier",
        "scale": "1",
        "stage": "realisation",
        "visibility": "public",
        "financements-TOTAL_FORMS": "1",
        "financements-INITIAL_FORMS": "0",
        "financements-0-source": "Région Hauts-de-France",
        "financements-0-kind": "",  # a source without its nature: the service refuses it
        "financements-0-amount": "5000",
        "impacts-TOTAL_FORMS": "0",
        "impacts-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "Nature de financement inconnue" in body
    project.refresh_from_db()
    assert project.title == "Chaufferie bois" and not project.fundings.exists()
    response = client.post(url, {**data, "financements-0-kind": "public"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Chaufferie bois du quartier"
    assert project.fundings.get().amount == Decimal(5000)


def test_it_links_demo_projects_to_demo_aids(territory, chloe) -> None:
    aid = make_aid(title="Fonds Chaleur (exemple)", themes=["energie"])
    Aid.objects.filter(pk=aid.pk).update(is_demo=True)
    for i in range(4):
        project = ProjectFactory(
            title=f"Démo {i}", is_demo=True, holder_user=chloe, theme_slugs=["energie"]
        )
        services.project_set_fundings(
            user=chloe,
            project=project,
            fundings=[{"source": "Région", "kind": "public", "amount": 10}],
        )
    assert link_demo_projects().endswith("dont 2 par une aide du catalogue")
    assert projects_funded_by(aid=aid).count == 2


def test_the_admin_edits_a_projects_funding_rows_with_it(client: Client, territory, chloe) -> None:
    admin = User.objects.create_superuser(email="admin@turbine.localhost", password="x")
    project = ProjectFactory(holder_user=chloe, title="Chaufferie bois")
    _fund(chloe, project, make_aid(title="Fonds Chaleur (exemple)"), amount="2500")
    client.force_login(admin)
    body = client.get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    assert "financements obtenus" in body.lower() and 'value="2500.00"' in body
    assert "Impacts" in body or "impact" in body.lower()  # the projects app's own inlines stay
