"""News on a project's progress: posted by holders and staff, shown newest first."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.projects import services
from turbine.projects.models import ProjectUpdate
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_it_lets_holders_and_staff_post_news(territory, chloe, alice, bruno) -> None:
    project = ProjectFactory(holder_user=chloe)
    mine = services.project_post_update(user=chloe, project=project, text="Premiers bacs posés.")
    assert mine.date == timezone.localdate() and not mine.from_staff
    staff = services.project_post_update(
        user=bruno, project=project, text="Visite de la Turbine.", date=datetime.date(2026, 1, 5)
    )
    assert staff.from_staff
    with pytest.raises(PermissionDeniedError):
        services.project_post_update(user=alice, project=project, text="Moi aussi.")
    with pytest.raises(TurbineError, match="Écrivez"):
        services.project_post_update(user=chloe, project=project, text="   ")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(TurbineError, match="futur"):
        services.project_post_update(user=chloe, project=project, text="Bientôt", date=tomorrow)
    assert [u.pk for u in project.updates.all()] == [mine.pk, staff.pk]
    with pytest.raises(PermissionDeniedError):
        services.project_delete_update(user=alice, project=project, update_id=mine.pk)
    services.project_delete_update(user=chloe, project=project, update_id=staff.pk)
    assert list(project.updates.all()) == [mine]


def test_it_posts_news_from_the_project_page(
    client,
    territory,
    chloe,
    alice,
    django_assert_max_num_queries,
) -> None:
    project = ProjectFactory(holder_user=chloe, title="Jardin de la friche")
    url = reverse("projects:project_updates", args=[project.pk])
    client.force_login(alice)
    assert client.post(url, {"text": "Intrus"}).status_code == 403
    assert "Publier une nouvelle" not in client.get(project.get_absolute_url()).content.decode()
    client.force_login(chloe)
    response = client.post(url, {"text": ""})
    assert response.status_code == 400 and "Ce champ est obligatoire" in response.content.decode()
    response = client.post(url, {"text": "Les **bacs** sont posés. <script>x</script>"})
    assert response.status_code == 302 and response["Location"].endswith("#nouvelles")
    for i in range(12):
        ProjectUpdate.objects.create(
            project=project, date=datetime.date(2025, 1, 1 + i), text=f"Ancienne {i:02}"
        )
    with django_assert_max_num_queries(25):
        body = client.get(project.get_absolute_url()).content.decode()
    assert "<strong>bacs</strong>" in body and "<script>x" not in body
    assert "Ancienne 11" in body and "Ancienne 01" not in body
    assert "Toutes les nouvelles (13)" in body
    client.logout()
    with django_assert_max_num_queries(10):
        body = client.get(url).content.decode()
    assert "13 nouvelles" in body and "Ancienne 00" in body and "Publier" not in body


def test_it_keeps_news_of_drafts_private_and_serves_them_in_the_api(
    client,
    territory,
    chloe,
) -> None:
    from turbine.accounts.services import api_token_create

    draft = ProjectFactory(holder_user=chloe, visibility="draft")
    services.project_post_update(user=chloe, project=draft, text="Secret")
    assert client.get(reverse("projects:project_updates", args=[draft.pk])).status_code == 404
    assert client.get(f"/api/v1/projects/{draft.pk}/updates").status_code == 404
    public = ProjectFactory(holder_user=chloe)
    _, secret = api_token_create(user=chloe, name="t")
    response = client.post(
        f"/api/v1/projects/{public.pk}/updates",
        {"text": "Ouverture au public.", "date": "2026-01-10"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.json()
    body = client.get(f"/api/v1/projects/{public.pk}/updates").json()
    assert body["count"] == 1 and body["items"][0]["text"] == "Ouverture au public."
    assert body["items"][0]["date"] == "2026-01-10"
    assert (
        client.post(
            f"/api/v1/projects/{public.pk}/updates",
            {"text": "x"},
            content_type="application/json",
        ).status_code
        == 401
    )
