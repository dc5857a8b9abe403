"""What Turbine found, stored with the request: not recomputed on a page view, refreshed on
demand or when the catalogue changes; the holder keeps or sets aside aids."""

from __future__ import annotations

import pytest
from django.urls import reverse

from turbine.funding.models import Funder
from turbine.funding.services.catalogue import aid_update
from turbine.funding.tests.factories import make_aid
from turbine.guichet import matching, services
from turbine.guichet.models import AidChoice, SupportRequest
from turbine.guichet.tests.factories import BETHUNE, advisor, make_request

pytestmark = pytest.mark.usefixtures("perimeters")


def _food_aid(title: str = "Jardin partagé et potager", **values: object):
    values.setdefault("themes", ["alimentation"])
    values.setdefault("beneficiaries", ["association"])
    return make_aid(title=title, **values)


def test_it_stores_the_results_and_pages_do_not_recompute_them(
    client, chloe, monkeypatch, django_assert_max_num_queries
) -> None:
    funder = Funder.objects.create(name="Fondation des jardins", level="fondation")
    aid = _food_aid(
        funders=[funder],
        amount_max=20_000,
        application_url="https://example.org/deposer",
        types=["subvention"],
    )
    support_request = make_request(holder=chloe)
    assert support_request.found_at is not None
    assert [row["id"] for row in support_request.found["aids"]] == [aid.pk]

    def no_match(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page recomputed the match")

    monkeypatch.setattr(matching, "match", no_match)
    client.force_login(chloe)
    url = reverse("guichet:my_request", args=[support_request.pk])
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert "Jardin partagé et potager" in page
    assert "Fondation des jardins" in page and "Subvention" in page
    assert "jusqu&#x27;à 20\u202f000 €" in page
    assert "https://example.org/deposer" in page
    assert "Pertinence" not in page


def test_the_holder_or_an_advisor_asks_for_fresh_results(client, chloe, alice) -> None:
    support_request = make_request(holder=chloe)
    assert support_request.found["aids"] == []
    aid = _food_aid()
    client.force_login(chloe)
    url = reverse("guichet:found_refresh", args=[support_request.pk])
    response = client.post(url)
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert [row["id"] for row in support_request.found["aids"]] == [aid.pk]
    local = advisor(agglomeration_of=BETHUNE)
    client.force_login(local)
    assert client.post(url).status_code == 302
    client.force_login(alice)
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405


def test_a_catalogue_change_refreshes_stored_results(
    chloe, bruno, django_capture_on_commit_callbacks
) -> None:
    aid = make_aid(title="Jardin partagé", themes=["mobilite"], beneficiaries=["commune"])
    support_request = make_request(holder=chloe)
    assert support_request.found["aids"] == []
    with django_capture_on_commit_callbacks(execute=True):
        aid_update(actor=bruno, aid_id=aid.pk, values={"beneficiaries": ["association"]})
    support_request.refresh_from_db()
    assert [row["id"] for row in support_request.found["aids"]] == [aid.pk]
    # Idempotent: nothing is stale any more.
    assert services.requests_found_refresh_stale() == 0


def test_the_holder_keeps_or_sets_aside_an_aid_and_the_advisor_sees_it(client, chloe) -> None:
    kept = _food_aid(title="Jardin partagé gardé")
    aside = _food_aid(title="Jardin partagé écarté")
    support_request = make_request(holder=chloe)
    client.force_login(chloe)
    choose = "guichet:aid_choice"
    client.post(reverse(choose, args=[support_request.pk, kept.pk]), {"choice": "retenue"})
    client.post(
        reverse(choose, args=[support_request.pk, aside.pk]),
        {"choice": "ecartee", "reason": "Trop loin de notre projet"},
    )
    page = client.get(reverse("guichet:my_request", args=[support_request.pk])).content.decode()
    found = page.split('id="titre-trouve"')[1].split('id="titre-choix-aides"')[0]
    assert "Jardin partagé gardé" in found and "Jardin partagé écarté" not in found
    assert "écartée (pas pour moi)" in page and "Trop loin de notre projet" in page

    services.request_found_refresh(user=chloe, support_request=support_request)
    support_request.refresh_from_db()
    assert aside.pk not in [row["id"] for row in support_request.found["aids"]]

    local = advisor(agglomeration_of=BETHUNE)
    client.force_login(local)
    staff = client.get(reverse("guichet:staff_request", args=[support_request.pk])).content
    assert (
        "Les choix du porteur" in staff.decode() and "Trop loin de notre projet" in staff.decode()
    )
    # Only the holder chooses; bad input is refused in French.
    response = client.post(
        reverse(choose, args=[support_request.pk, kept.pk]), {"choice": "ecartee"}, follow=True
    )
    assert "Seul le porteur" in response.content.decode()
    client.force_login(chloe)
    response = client.post(
        reverse(choose, args=[support_request.pk, kept.pk]), {"choice": "x\x00"}, follow=True
    )
    assert "Choisissez de garder" in response.content.decode()
    response = client.post(
        reverse(choose, args=[support_request.pk, 999_999]), {"choice": "retenue"}, follow=True
    )
    assert "Cette aide n&#x27;existe pas." in response.content.decode()
    assert AidChoice.objects.filter(request=support_request).count() == 2


def test_the_intake_keeps_the_structure_and_the_page_says_who_carries_it(client, chloe) -> None:
    support_request = make_request(
        holder=chloe, structure_name="Les Jardiniers du Marais (démo)", triggers=["manifestation"]
    )
    assert SupportRequest.objects.get(pk=support_request.pk).structure_name.startswith("Les Jard")
    client.force_login(chloe)
    page = client.get(reverse("guichet:my_request", args=[support_request.pk])).content.decode()
    assert "Porté par" in page and "Les Jardiniers du Marais (démo) (association)" in page
    assert "Déclaration d&#x27;une manifestation publique en mairie" in page
    assert "Déclaration de création d&#x27;une association" not in page


@pytest.mark.parametrize(("holder_type", "asked"), [("association", False), ("collectif", True)])
def test_the_intake_asks_about_situations_and_never_a_structure_to_create_one(
    client, db, holder_type: str, asked: bool
) -> None:
    client.post(reverse("guichet:start"), {"holder_type": holder_type})
    session = client.session
    session["guichet_draft"] = {**session["guichet_draft"], "title": "Fête", "communes": []}
    session.save()
    page = client.get(reverse("guichet:step_needs")).content.decode()
    assert "Une manifestation ouverte au public" in page
    assert ("Créer une association pour porter le projet" in page) is asked
    response = client.post(
        reverse("guichet:step_needs"), {"needs": ["demarches"], "triggers": ["inconnue"]}
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
