from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.core.exceptions import TurbineError
from turbine.core.models import Theme
from turbine.directory import introductions, matching, services
from turbine.directory.models import Introduction, NeedOffer
from turbine.directory.tests.factories import (
    NeedOfferFactory,
    NetworkFactory,
    OrganisationFactory,
)
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_it_ranks_by_complementarity_proximity_and_the_improbable_bonus(territory) -> None:
    network = NetworkFactory(name="Réseau des jardins")
    need = NeedOfferFactory(
        title="Cherche maraîcher formateur",
        kind="formation",
        commune_codes=["62498"],
        theme_slugs=["alimentation"],
    )
    same_place = NeedOfferFactory(
        direction="offre",
        title="Propose formation au maraîchage (Lens)",
        kind="formation",
        commune_codes=["62498"],
        theme_slugs=["alimentation"],
    )
    far_same_network = NeedOfferFactory(
        direction="offre",
        title="Formation au maraîchage (Béthune)",
        kind="formation",
        commune_codes=["62119"],
        theme_slugs=["alimentation"],
        organisation=OrganisationFactory(commune_code="62119"),
    )
    far_same_network.organisation.networks.add(network)
    need.organisation = OrganisationFactory()
    need.save()
    need.organisation.networks.add(network)
    NeedOfferFactory(direction="offre", kind="lieu", theme_slugs=["energie"])  # no match
    NeedOfferFactory(direction="besoin", kind="formation", theme_slugs=["alimentation"])
    NeedOfferFactory(
        direction="offre",
        kind="formation",
        theme_slugs=["alimentation"],
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    suggestions = matching.suggestions_for_needoffer(need)
    assert [s.title for s in suggestions] == [same_place.title, far_same_network.title]
    best, second = suggestions
    assert best.reasons == [
        "Un besoin rencontre une offre de même nature (Formation).",
        "Thèmes en commun : Alimentation.",
        "Même commune : Lens.",
        "Aucun réseau en commun : une rencontre improbable, qui élargit le cercle.",
    ]
    assert "Réseau en commun : Réseau des jardins." in second.reasons
    assert best.score == 4 + 2 + 3 + 2 and second.score == 4 + 2


def test_it_suggests_organisations_for_an_organisation(territory) -> None:
    org = OrganisationFactory(name="Source", family="font", theme_slugs=["energie"])
    helper = OrganisationFactory(name="Aide", family="aident", theme_slugs=["energie", "eau"])
    OrganisationFactory(name="Sans lien", theme_slugs=["eau"])
    suggestions = matching.suggestions_for_organisation(org)
    assert [s.object_id for s in suggestions] == [str(helper.pk)]
    assert "Familles complémentaires : ceux qui font et ceux qui aident." in suggestions[0].reasons


def test_it_posts_a_need_with_checks(territory, alice) -> None:
    org = OrganisationFactory()
    data = {
        "direction": "besoin",
        "kind": "lieu",
        "title": "Cherche un local",
        "expires_on": timezone.localdate() + timedelta(days=30),
    }
    with pytest.raises(TurbineError, match="organisation dont vous êtes membre"):
        services.needoffer_create(user=alice, organisation=org, **data)
    with pytest.raises(TurbineError, match="déjà passée"):
        services.needoffer_create(user=alice, **{**data, "expires_on": date(2020, 1, 1)})
    with pytest.raises(TurbineError, match="année"):
        services.needoffer_create(
            user=alice, **{**data, "expires_on": timezone.localdate() + timedelta(days=500)}
        )
    item = services.needoffer_create(
        user=alice, communes=Commune.objects.filter(code="62498"), **data
    )
    from turbine.core import search

    assert search.search("local", kinds=["besoin-offre"], commune="62498").count == 1
    services.needoffer_update(user=alice, item=item, is_closed=True)
    assert search.search("local", kinds=["besoin-offre"]).count == 0


def test_it_runs_an_introduction_to_acceptance(
    territory,
    alice,
    chloe,
    django_capture_on_commit_callbacks,
) -> None:
    offer = NeedOfferFactory(direction="offre", author=chloe, title="Prête une salle")
    with django_capture_on_commit_callbacks(execute=True):
        introduction = introductions.introduction_request(
            user=alice,
            target_kind="besoin-offre",
            target_id=str(offer.pk),
            message="Bonjour, je cherche une salle.",
            reasons=["Même commune : Lens."],
        )
    assert introduction.recipient == chloe and introduction.status == "asked"
    assert mail.outbox[-1].to == [chloe.email]
    assert alice.email not in mail.outbox[-1].body
    with pytest.raises(TurbineError, match="déjà demandé"):
        introductions.introduction_request(
            user=alice, target_kind="besoin-offre", target_id=str(offer.pk), message="Encore"
        )
    with pytest.raises(TurbineError, match="vous-même"):
        introductions.introduction_request(
            user=chloe, target_kind="besoin-offre", target_id=str(offer.pk), message="Moi"
        )
    outsider = UserFactory()
    with pytest.raises(TurbineError):
        introductions.introduction_decide(
            user=outsider, introduction_id=introduction.pk, share=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        introduction = introductions.introduction_decide(
            user=chloe, introduction_id=introduction.pk, share=True
        )
    assert introduction.status == "accepted"
    assert mail.outbox[-1].to == [alice.email]
    assert introductions.introduction_counts() == {"asked": 1, "accepted": 1, "declined": 0}


def test_it_declines_and_counts(territory, alice, chloe) -> None:
    org = OrganisationFactory(admin=chloe)
    introduction = introductions.introduction_request(
        user=alice,
        target_kind="organisation",
        target_id=str(org.pk),
        message="Bonjour",
        share_contact=False,
    )
    introductions.introduction_decide(user=chloe, introduction_id=introduction.pk, share=True)
    introduction.refresh_from_db()
    assert introduction.status == "asked"  # alice has not agreed to share yet
    introductions.introduction_decide(user=alice, introduction_id=introduction.pk, share=False)
    introduction.refresh_from_db()
    assert introduction.status == "declined"
    with pytest.raises(TurbineError, match="déclinée"):
        introductions.introduction_decide(user=chloe, introduction_id=introduction.pk, share=True)
    assert introductions.introduction_counts() == {"asked": 1, "accepted": 0, "declined": 1}
    assert introductions.introduction_counts(subject_kind="appel")["asked"] == 0


def test_it_shows_contacts_only_when_both_agree(client, territory, alice, chloe) -> None:
    offer = NeedOfferFactory(direction="offre", author=chloe)
    client.force_login(alice)
    client.post(
        reverse("directory:introduction_ask"),
        {
            "target_kind": "besoin-offre",
            "target_id": offer.pk,
            "message": "Bonjour",
            "share_contact": "on",
            "next": offer.get_absolute_url(),
        },
    )
    introduction = Introduction.objects.get()
    client.force_login(chloe)
    page = client.get(reverse("directory:introductions"))
    assert b"Bonjour" in page.content and alice.email.encode() not in page.content
    client.post(
        reverse("directory:introduction_decide", args=[introduction.pk]), {"decision": "share"}
    )
    page = client.get(reverse("directory:introductions"))
    assert alice.email.encode() in page.content
    client.force_login(alice)
    assert chloe.email.encode() in client.get(reverse("directory:introductions")).content


def test_it_lists_needs_and_offers_with_bounded_queries(
    client,
    territory,
    alice,
    django_assert_max_num_queries,
) -> None:
    for i in range(25):
        NeedOfferFactory(
            direction="offre" if i % 2 else "besoin",
            kind="materiel",
            commune_codes=["62498"],
            theme_slugs=["dechets-economie-circulaire"],
        )
    NeedOfferFactory(expires_on=timezone.localdate() - timedelta(days=1), title="Expirée")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:needoffer_list"))
    assert response.context["count"] == 25
    response = client.get(
        reverse("directory:needoffer_list"),
        {"direction": "offre", "agglomeration": "246200364", "kind": "materiel"},
    )
    assert response.context["count"] == 12
    item = NeedOffer.objects.filter(direction="besoin", kind="materiel").first()
    # The announcement, its relations, the candidates and theirs: a constant number of queries.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("directory:needoffer_detail", args=[item.pk]))
    assert len(response.context["suggestions"]) == 5


def test_it_creates_a_need_from_the_form_and_api(client, territory, alice) -> None:
    from turbine.accounts.services import api_token_create

    client.force_login(alice)
    response = client.post(
        reverse("directory:needoffer_create"),
        {
            "direction": "besoin",
            "kind": "benevoles",
            "title": "Bénévoles pour un chantier nature",
            "themes": [Theme.objects.get(slug="biodiversite-renaturation").pk],
            "communes": "Lens (62300)",
            "expires_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        },
    )
    item = NeedOffer.objects.get()
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    body = client.get("/api/v1/needs-offers?theme=biodiversite-renaturation").json()
    assert body["items"][0]["communes"] == ["62498"]
    _, secret = api_token_create(user=alice, name="t")
    response = client.post(
        "/api/v1/needs-offers",
        {
            "direction": "offre",
            "kind": "benevoles",
            "title": "Équipe de bénévoles disponible",
            "themes": ["biodiversite-renaturation"],
            "expires_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201
    assert client.get("/api/v1/needs-offers").json()["count"] == 2
    suggestions = client.get(f"/api/v1/needs-offers/{item.pk}/suggestions").json()
    assert suggestions == []  # same author: one does not meet oneself
    assert client.get("/api/v1/introductions/counts").json() == {
        "asked": 0,
        "accepted": 0,
        "declined": 0,
    }
