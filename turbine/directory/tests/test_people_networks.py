from __future__ import annotations

import pytest
from django.urls import reverse

from turbine.accounts.tests.factories import UserFactory
from turbine.core import search
from turbine.core.models import Theme
from turbine.directory import services
from turbine.directory.models import PersonProfile
from turbine.directory.tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_it_shows_only_public_profiles(client, territory, django_assert_max_num_queries) -> None:
    network = NetworkFactory(slug="repair")
    for i in range(22):
        user = UserFactory(display_name=f"Personne publique {i:02d}", is_profile_public=True)
        services.profile_update(
            user=user,
            know_how="Compostage",
            can_help_with="",
            themes=Theme.objects.filter(slug="alimentation"),
            networks=[network],
        )
    hidden = UserFactory(display_name="Personne privée", is_profile_public=False)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:people_list"), {"theme": "alimentation"})
    assert response.context["count"] == 22
    assert b"priv\xc3\xa9e" not in response.content
    assert client.get(reverse("directory:person_detail", args=[hidden.pk])).status_code == 404
    response = client.get(reverse("directory:network_detail", args=["repair"]))
    assert response.context["network"].people_count == 22


def test_it_indexes_people_when_they_open_or_close_their_profile(
    territory, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = UserFactory(display_name="Gaëlle Composteuse", is_profile_public=True)
        user.save()
    assert search.search("composteuse", kinds=["personne"]).count == 1
    with django_capture_on_commit_callbacks(execute=True):
        user.is_profile_public = False
        user.save(update_fields=["is_profile_public"])
    assert search.search("composteuse", kinds=["personne"]).count == 0


def test_it_edits_my_directory_profile(client, territory, alice) -> None:
    client.force_login(alice)
    url = reverse("directory:my_profile")
    assert client.get(url).status_code == 200
    theme = Theme.objects.get(slug="energie")
    response = client.post(
        url, {"know_how": "Isolation", "can_help_with": "Devis", "themes": [theme.pk]}
    )
    assert response.status_code == 302
    profile = PersonProfile.objects.get(user=alice)
    assert profile.know_how == "Isolation" and list(profile.themes.all()) == [theme]


def test_it_lists_networks_with_counts(client, territory, django_assert_max_num_queries) -> None:
    for i in range(5):
        network = NetworkFactory(name=f"Réseau {i}")
        OrganisationFactory().networks.add(network)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("directory:network_list"))
    assert [n.organisation_count for n in response.context["networks"]] == [1] * 5


def test_it_exports_and_deletes_personal_data(territory, alice) -> None:
    from turbine.accounts.services import user_delete, user_export_data

    org = OrganisationFactory(admin=alice)
    services.profile_update(user=alice, know_how="Vélo", can_help_with="", themes=[], networks=[])
    data = user_export_data(user=alice)["sections"]
    assert data["directory_profile"]["data"]["know_how"] == "Vélo"
    assert data["directory_memberships"]["data"][0]["organisation_id"] == org.pk
    user_delete(user=alice)
    assert not PersonProfile.objects.exists()
    org.refresh_from_db()


def test_it_anonymises_introductions_on_deletion(territory, alice, chloe) -> None:
    from turbine.accounts.services import user_delete, user_export_data
    from turbine.directory import introductions
    from turbine.directory.models import Introduction
    from turbine.directory.tests.factories import NeedOfferFactory

    offer = NeedOfferFactory(direction="offre", author=chloe)
    introductions.introduction_request(
        user=alice, target_kind="besoin-offre", target_id=str(offer.pk), message="Mon message"
    )
    data = user_export_data(user=alice)["sections"]["directory_introductions"]["data"]
    assert data[0]["message"] == "Mon message"
    user_delete(user=alice)
    introduction = Introduction.objects.get()
    assert introduction.requester is None and introduction.message == ""
    assert introductions.introduction_counts()["asked"] == 1


def test_it_suggests_organisations_to_meet_on_a_profile(client, territory, alice, chloe) -> None:
    from turbine.directory.models import Introduction

    person = UserFactory(display_name="Gaëlle", is_profile_public=True, commune_code="62498")
    services.profile_update(
        user=person,
        know_how="Compost",
        can_help_with="",
        themes=Theme.objects.filter(slug="alimentation"),
        networks=[],
    )
    org = OrganisationFactory(name="Ferme urbaine", theme_slugs=["alimentation"], admin=chloe)
    response = client.get(reverse("directory:person_detail", args=[person.pk]))
    assert [s.title for s in response.context["suggestions"]] == ["Ferme urbaine"]
    assert "Même commune : Lens." in response.context["suggestions"][0].reasons
    client.force_login(alice)
    client.post(
        reverse("directory:introduction_ask"),
        {"target_kind": "personne", "target_id": person.pk, "message": "Bonjour Gaëlle"},
    )
    assert Introduction.objects.get().recipient == person
    assert org.pk
