from __future__ import annotations

import pytest
from django.urls import reverse

from turbine.core import search
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.directory import moderation
from turbine.directory.tests.factories import OrganisationFactory
from turbine.projects import services
from turbine.projects.models import Project, ProjectLink
from turbine.projects.tests.factories import ProjectFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db


def make(user, **fields):
    data = {"title": "Jardin partagé de la friche", "scale": 1, "stage": "idee"}
    data.update(fields)
    return services.project_create(user=user, **data)


def test_it_keeps_drafts_to_their_holders(client, territory, chloe, alice, bruno) -> None:
    project = make(chloe)
    url = reverse("projects:project_detail", args=[project.pk])
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 404
    assert client.get(reverse("projects:project_edit", args=[project.pk])).status_code == 404
    client.force_login(chloe)
    assert client.get(url).status_code == 200
    client.force_login(bruno)
    assert client.get(url).status_code == 200
    assert search.search("jardin", kinds=["projet"]).count == 0
    services.project_update(user=chloe, project=project, visibility="public")
    assert search.search("jardin", kinds=["projet"]).count == 1
    client.logout()
    assert client.get(url).status_code == 200


def test_it_lets_members_of_the_holder_organisation_edit(territory, alice, chloe) -> None:
    org = OrganisationFactory(admin=alice)
    with pytest.raises(TurbineError, match="membre"):
        make(chloe, holder_organisation=org)
    project = make(alice, holder_organisation=org)
    with pytest.raises(PermissionDeniedError):
        services.project_update(user=chloe, project=project, title="Autre")
    from turbine.directory.services import membership_decide, membership_request

    membership = membership_request(user=chloe, organisation=org)
    membership_decide(user=alice, membership_id=membership.pk, accept=True)
    services.project_update(user=chloe, project=project, title="Autre titre")


def test_it_records_impacts_all_or_nothing(territory, chloe) -> None:
    project = make(chloe)
    with pytest.raises(TurbineError, match="estimée et une valeur mesurée"):
        services.project_save(
            user=chloe,
            project=project,
            fields={"title": "Changé"},
            impacts=[
                {"indicator": "co2", "value": 3, "nature": "estime"},
                {"indicator": "co2", "value": 4, "nature": "estime"},
            ],
        )
    project.refresh_from_db()
    assert project.title == "Jardin partagé de la friche" and not project.impacts.exists()
    services.project_save(
        user=chloe,
        project=project,
        fields={},
        impacts=[{"indicator": "co2", "value": 3, "nature": "mesure", "source": "Bilan 2025"}],
    )
    assert project.impacts.get().source == "Bilan 2025"


def test_it_links_projects_and_draws_the_graph(client, territory, chloe) -> None:
    project = make(chloe, visibility="public")
    other = ProjectFactory(title="Composteurs de quartier")
    draft = ProjectFactory(title="Brouillon d'autrui", visibility="draft")
    services.project_link_add(user=chloe, project=project, target=other, kind="synergie")
    with pytest.raises(TurbineError, match="existe déjà"):
        services.project_link_add(user=chloe, project=project, target=other, kind="synergie")
    with pytest.raises(TurbineError):
        services.project_link_add(user=chloe, project=project, target=draft, kind="tension")
    with pytest.raises(TurbineError, match="lui-même"):
        services.project_link_add(user=chloe, project=project, target=project, kind="tension")
    response = client.get(reverse("projects:project_detail", args=[other.pk]))
    content = response.content.decode()
    assert "Synergie" in content and "Jardin partagé de la friche" in content
    assert '<svg viewBox="0 0 360 360"' in content and "<title" in content
    link = ProjectLink.objects.get()
    services.project_link_remove(user=chloe, project=project, link_id=link.pk)
    assert not ProjectLink.objects.exists()


def test_it_lists_and_filters_with_a_bounded_query_count(
    client,
    territory,
    django_assert_max_num_queries,
) -> None:
    org = OrganisationFactory(name="Porteur")
    for i in range(25):
        ProjectFactory(
            holder_organisation=org,
            scale=3 if i % 5 == 0 else 1,
            stage="idee" if i % 2 else "realise",
            commune_codes=["62498", "62119"],
            theme_slugs=["energie"],
        )
    ProjectFactory(title="Tout le territoire", whole_territory=True, scale=2)
    ProjectFactory(title="Brouillon", visibility="draft")
    ProjectFactory(title="Masqué", is_hidden=True)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:project_list"))
    assert response.context["count"] == 26
    response = client.get(reverse("projects:project_list"), {"scale": 3, "theme": "energie"})
    assert response.context["count"] == 5
    response = client.get(reverse("projects:project_list"), {"commune": "62119", "stage": "idee"})
    assert response.context["count"] == 12
    response = client.get(reverse("projects:project_list"), {"commune": "62001"})
    assert [p.title for p in response.context["projects"]] == ["Tout le territoire"]


def test_it_creates_a_project_from_the_form(client, territory, chloe) -> None:
    client.force_login(chloe)
    url = reverse("projects:project_create")
    assert client.get(url).status_code == 200
    lens = Commune.objects.get(code="62498")
    data = {
        "title": "Réseau de chaleur",
        "scale": "2",
        "stage": "conception",
        "visibility": "public",
        "themes": [Theme.objects.get(slug="energie").pk],
        "communes": lens.code,  # an INSEE code is understood too
        "budget_total": "250000",
        "financements-TOTAL_FORMS": "2",
        "financements-INITIAL_FORMS": "0",
        "financements-0-source": "ADEME",
        "financements-0-kind": "public",
        "financements-0-amount": "80000",
        "impacts-TOTAL_FORMS": "2",
        "impacts-INITIAL_FORMS": "0",
        "impacts-0-indicator": "mwh",
        "impacts-0-value": "1200",
        "impacts-0-nature": "estime",
    }
    response = client.post(url, {**data, "financements-1-amount": "5"})
    assert response.status_code == 200 and not Project.objects.exists()
    response = client.post(url, data)
    project = Project.objects.get()
    assert response.status_code == 302
    assert project.holder_user == chloe and project.fundings.get().source == "ADEME"
    assert project.impacts.get().indicator == "mwh"


def test_it_reports_and_moderates_a_project(client, territory, alice, bruno, chloe) -> None:
    project = make(chloe, visibility="public")
    client.force_login(alice)
    url = reverse("directory:report", args=["projet", project.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "Publicité déguisée"})
    report = moderation.open_reports()[0]
    assert report.title == project.title
    assert client.get(reverse("directory:moderation")).status_code == 403
    decide = reverse("directory:moderation_decide", args=[report.pk])
    assert client.post(decide, {"action": "hide"}).status_code == 403
    client.force_login(bruno)
    assert client.get(reverse("directory:moderation")).status_code == 200
    client.post(decide, {"action": "hide"})
    project.refresh_from_db()
    assert project.is_hidden
    assert search.search("jardin", kinds=["projet"]).count == 0
    client.logout()
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
    client.force_login(bruno)
    client.post(decide, {"action": "restore", "kind": "projet", "object_id": project.pk})
    project.refresh_from_db()
    assert not project.is_hidden


def test_it_serves_projects_in_the_api(client, territory, chloe, alice) -> None:
    from turbine.accounts.services import api_token_create

    ProjectFactory(title="Public", commune_codes=["62498"], theme_slugs=["eau"])
    ProjectFactory(title="Brouillon", visibility="draft")
    body = client.get("/api/v1/projects?theme=eau").json()
    assert body["count"] == 1 and body["items"][0]["communes"] == ["62498"]
    _, secret = api_token_create(user=chloe, name="t")
    response = client.post(
        "/api/v1/projects",
        {
            "title": "Ressourcerie",
            "scale": 2,
            "communes": ["62119"],
            "fundings": [{"source": "Région", "kind": "public", "amount": 1000}],
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["visibility"] == "draft" and created["fundings"][0]["amount"] == "1000.00"
    assert client.get(f"/api/v1/projects/{created['id']}").status_code == 404
    _, other = api_token_create(user=alice, name="t")
    response = client.patch(
        f"/api/v1/projects/{created['id']}",
        {"title": "X"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )
    assert response.status_code == 404
    response = client.patch(
        f"/api/v1/projects/{created['id']}",
        {"visibility": "public"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200 and response.json()["fundings"][0]["source"] == "Région"
    assert client.get(f"/api/v1/projects/{created['id']}").status_code == 200


def test_it_opens_the_admin_pages(client, territory) -> None:
    from turbine.accounts.tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    ProjectFactory()
    client.force_login(admin)
    for model in (
        "directory/organisation",
        "directory/needoffer",
        "directory/introduction",
        "directory/importbatch",
        "directory/network",
        "directory/report",
        "projects/project",
        "projects/projectlink",
    ):
        assert client.get(f"/admin/{model}/").status_code == 200, model


def test_it_adds_described_images_to_a_project(client, territory, chloe, alice) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def photo() -> SimpleUploadedFile:
        buffer = io.BytesIO()
        Image.new("RGB", (2400, 1200), (200, 180, 40)).save(buffer, format="PNG")
        return SimpleUploadedFile("photo.png", buffer.getvalue())

    project = make(chloe, visibility="public")
    with pytest.raises(TurbineError, match="Décrivez"):
        services.project_add_image(user=chloe, project=project, upload=photo(), alt_text=" ")
    with pytest.raises(PermissionDeniedError):
        services.project_add_image(user=alice, project=project, upload=photo(), alt_text="x")
    client.force_login(chloe)
    client.post(
        reverse("projects:project_image_add", args=[project.pk]),
        {"image": photo(), "alt_text": "Les bacs du jardin au printemps"},
    )
    image = project.images.get()
    with Image.open(image.image.path) as saved:
        assert saved.format == "JPEG" and saved.size == (1600, 800)
    content = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'alt="Les bacs du jardin au printemps"' in content
    client.post(reverse("projects:project_image_remove", args=[project.pk, image.pk]))
    assert not project.images.exists()
