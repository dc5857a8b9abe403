"""The staff queue at 500 requests: search, sort, bulk action, CSV export, reminders due."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from turbine.funding.tests.factories import make_aid
from turbine.guichet.models import Reminder, SupportRequest
from turbine.guichet.tests.factories import BETHUNE, advisor, make_request
from turbine.projects.models import Project
from turbine.territory.models import Agglomeration

pytestmark = pytest.mark.usefixtures("perimeters")


def _many(holder, n: int = 500) -> None:
    agglomeration = Agglomeration.objects.get(communes__code=BETHUNE)
    projects = Project.objects.bulk_create(
        [Project(title=f"Projet {i:03d}", holder_user=holder) for i in range(n)]
    )
    SupportRequest.objects.bulk_create(
        [
            SupportRequest(
                holder=holder,
                project=p,
                holder_type="association",
                structure_name='=HYPERLINK("x")' if i == 0 else "",
                consent_at=timezone.now(),
                agglomeration=agglomeration,
                urgency_score=i % 100,
            )
            for i, p in enumerate(projects)
        ]
    )


def test_the_queue_holds_500_requests_in_a_flat_number_of_queries(
    client, chloe, django_assert_max_num_queries
) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    _many(chloe)
    first = SupportRequest.objects.order_by("pk").first()
    Reminder.objects.create(
        request=first, due_on=timezone.localdate() - datetime.timedelta(days=1), note="Rappeler"
    )
    client.force_login(local)
    url = reverse("guichet:queue")
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert "500 demandes" in page and "Votre vue couvre : CA de Béthune" in page
    assert "Relances à faire" in page and "Rappeler" in page and "en retard" in page
    with django_assert_max_num_queries(16):
        page = client.get(url, {"q": "Projet 042"}).content.decode()
    assert "1 demande" in page and "Projet 042" in page
    page = client.get(url, {"sort": "projet"}).content.decode()
    assert page.index("Projet 000") < page.index("Projet 001")
    page = client.get(url, {"sort": "projet", "dir": "inverse"}).content.decode()
    table = page.split('id="file-demandes"')[1]
    assert "Projet 499" in table and "Projet 000" not in table
    assert 'aria-sort="descending"' in page
    with django_assert_max_num_queries(10):
        csv = client.get(reverse("guichet:queue_export")).content.decode("utf-8-sig")
    assert csv.count("\n") == 501 and "'=HYPERLINK" in csv


def test_bulk_actions_are_all_or_nothing_and_checked(client, chloe, alice) -> None:
    local = advisor(agglomeration_of=BETHUNE, display_name="Zoé")
    first, second = make_request(holder=chloe), make_request(holder=chloe, title="Autre")
    client.force_login(local)
    url = reverse("guichet:queue_bulk")
    ids = [str(first.pk), str(second.pk)]
    client.post(url, {"lot-ids": ids, "lot-action": "attribuer", "lot-advisor": str(local.pk)})
    assert set(SupportRequest.objects.values_list("advisor", flat=True)) == {local.pk}
    response = client.post(url, {"lot-ids": ids, "lot-action": "clore"}, follow=True)
    assert "Choisissez l&#x27;issue" in response.content.decode()
    assert not SupportRequest.objects.filter(status="close").exists()
    client.post(url, {"lot-ids": ids, "lot-action": "qualifier"})
    assert SupportRequest.objects.filter(status="qualifiee").count() == 2
    response = client.post(url, {"lot-ids": ["99999999999999999999"], "lot-action": "qualifier"})
    assert response.status_code == 302
    client.force_login(alice)
    assert client.post(url, {"lot-ids": ids, "lot-action": "qualifier"}).status_code == 403


def test_recommander_picks_any_aid_of_the_catalogue(client, chloe) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    support_request = make_request(holder=chloe)
    far = make_aid(title="Aide sans rapport pour les communes", themes=["eau"])
    client.force_login(local)
    options = client.get(reverse("guichet:aid_options"), {"recommander-aid": "sans rapport"})
    assert f"{far.pk} — Aide sans rapport" in options.content.decode()
    base = reverse("guichet:staff_request", args=[support_request.pk])
    client.post(
        base + "recommander/",
        {"recommander-kind": "aide", "recommander-aid": f"{far.pk} — {far.title}"},
    )
    assert support_request.recommendations.get().aid == far
    response = client.post(
        base + "recommander/", {"recommander-kind": "aide", "recommander-aid": "introuvable"}
    )
    assert response.status_code == 400
    assert "Aucune aide publiée du catalogue ne correspond" in response.content.decode()
