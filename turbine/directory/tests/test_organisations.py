from __future__ import annotations

import pytest
from django.urls import reverse

from turbine.accounts.tests.factories import UserFactory
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.directory import services
from turbine.directory.models import Membership, MembershipStatus, Organisation, luhn_ok
from turbine.directory.tests.factories import NetworkFactory, OrganisationFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db


def create(user, **overrides):
    fields = {"name": "Repair café de Lens", "kind": "association", "family": "font"}
    fields.update(overrides)
    return services.organisation_create(user=user, **fields)


def test_it_checks_siren_and_rna_formats(territory, alice) -> None:
    assert luhn_ok("732829320")
    with pytest.raises(TurbineError, match="SIREN") as error:
        create(alice, siren="123456789")
    assert error.value.field == "siren"
    with pytest.raises(TurbineError, match="RNA"):
        create(alice, rna="X123")
    org = create(alice, siren="732 829 320", rna="w623001234")
    assert (org.siren, org.rna) == ("732829320", "W623001234")


def test_it_makes_the_creator_admin_and_indexes_the_organisation(territory, alice) -> None:
    from turbine.core import search

    lens = Commune.objects.get(code="62498")
    org = create(alice, commune=lens, themes=Theme.objects.filter(slug="mobilite"))
    membership = Membership.objects.get(organisation=org, user=alice)
    assert (membership.role, membership.status) == ("admin", "active")
    page = search.search("repair cafe", kinds=["organisation"])
    assert [h.title for h in page.hits] == ["Repair café de Lens"]
    assert search.search("repair", theme="mobilite", commune="62498").count == 1


def test_it_refuses_half_coordinates(territory, alice) -> None:
    with pytest.raises(TurbineError, match="latitude"):
        create(alice, latitude=50.4)
    assert not Organisation.objects.exists()


def test_it_lets_only_admins_and_staff_edit(territory, alice, bruno, chloe) -> None:
    org = create(alice)
    with pytest.raises(PermissionDeniedError):
        services.organisation_update(user=chloe, organisation=org, name="Piraté")
    services.organisation_update(user=bruno, organisation=org, name="Repair café (Lens)")
    org.refresh_from_db()
    assert org.name == "Repair café (Lens)"


def test_it_handles_a_request_to_join(territory, alice, chloe) -> None:
    org = create(alice)
    membership = services.membership_request(user=chloe, organisation=org, message="Bonjour")
    with pytest.raises(TurbineError, match="déjà en attente"):
        services.membership_request(user=chloe, organisation=org)
    with pytest.raises(PermissionDeniedError):
        services.membership_decide(user=chloe, membership_id=membership.pk, accept=True)
    services.membership_decide(user=alice, membership_id=membership.pk, accept=False)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REFUSED
    # A refused person may ask again, and be accepted.
    services.membership_request(user=chloe, organisation=org)
    services.membership_decide(user=alice, membership_id=membership.pk, accept=True)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    with pytest.raises(TurbineError, match="déjà été traitée"):
        services.membership_decide(user=alice, membership_id=membership.pk, accept=False)


def test_it_keeps_one_admin(territory, alice) -> None:
    org = create(alice)
    admin = Membership.objects.get(organisation=org, user=alice)
    with pytest.raises(TurbineError, match="au moins un administrateur"):
        services.membership_set_role(user=alice, membership_id=admin.pk, role="member")


def test_it_lists_filters_and_sorts_with_a_bounded_query_count(
    client,
    territory,
    django_assert_max_num_queries,
) -> None:
    network = NetworkFactory(slug="cerdd", name="CERDD")
    for i in range(25):
        org = OrganisationFactory(
            name=f"Collectif {i:02d}",
            commune_code="62119" if i % 2 else "62498",
            theme_slugs=["energie", "mobilite"],
            kind="collectif" if i % 3 == 0 else "association",
        )
        org.networks.add(network)
    OrganisationFactory(name="Cachée", is_hidden=True)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:organisation_list"))
    assert response.status_code == 200
    assert response.context["count"] == 25
    assert len(response.context["organisations"]) == 20
    assert b"Cach\xc3\xa9e" not in response.content

    response = client.get(
        reverse("directory:organisation_list"),
        {"commune": "62119", "kind": "collectif", "network": "cerdd", "theme": "energie"},
    )
    names = [o.name for o in response.context["organisations"]]
    assert names == ["Collectif 03", "Collectif 09", "Collectif 15", "Collectif 21"]
    response = client.get(
        reverse("directory:organisation_list"), {"agglomeration": "200072460", "sort": "recent"}
    )
    assert response.context["organisations"][0].name == "Collectif 23"  # Béthune: odd ones


def test_it_searches_the_list_through_the_index(client, territory, alice) -> None:
    create(alice, name="Atelier vélo solidaire")
    create(alice, name="Jardin partagé")
    response = client.get(reverse("directory:organisation_list"), {"q": "velo"})
    assert [o.name for o in response.context["organisations"]] == ["Atelier vélo solidaire"]


def test_it_shows_private_contact_and_members_only_to_members(
    client,
    territory,
    alice,
    chloe,
    bruno,
) -> None:
    org = create(alice, contact_email="contact@repair.example", description="**Réparer**<script>")
    url = reverse("directory:organisation_detail", args=[org.pk])
    response = client.get(url)
    assert b"contact@repair.example" not in response.content
    assert b"<strong>R\xc3\xa9parer</strong>&lt;script&gt;" in response.content
    assert response.context["members"] is None
    client.force_login(chloe)
    assert b"contact@repair.example" not in client.get(url).content
    assert client.get(reverse("directory:organisation_edit", args=[org.pk])).status_code == 403
    assert client.get(reverse("directory:organisation_members", args=[org.pk])).status_code == 403
    client.force_login(alice)
    response = client.get(url)
    assert b"contact@repair.example" in response.content
    assert [m.user for m in response.context["members"]] == [alice]
    services.organisation_update(user=alice, organisation=org, contact_public=True)
    client.logout()
    assert b"contact@repair.example" in client.get(url).content


def test_it_hides_moderated_organisations(client, territory, alice) -> None:
    org = OrganisationFactory(is_hidden=True, admin=alice)
    url = reverse("directory:organisation_detail", args=[org.pk])
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 200


def test_it_creates_an_organisation_from_the_form(client, territory, alice) -> None:
    url = reverse("directory:organisation_create")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(alice)
    lens = Commune.objects.get(code="62498")
    response = client.post(url, {"name": "", "kind": "association", "family": "font"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    response = client.post(
        url,
        {
            "name": "Les Incroyables Comestibles",
            "kind": "collectif",
            "family": "font",
            "commune": lens.pk,
            "siren": "123",
            "themes": [Theme.objects.get(slug="alimentation").pk],
        },
    )
    assert "SIREN" in str(response.context["form"].errors["siren"])
    response = client.post(
        url,
        {
            "name": "Les Incroyables Comestibles",
            "kind": "collectif",
            "family": "font",
            "commune": lens.pk,
            "themes": [Theme.objects.get(slug="alimentation").pk],
        },
    )
    org = Organisation.objects.get()
    assert response.status_code == 302 and response.url == org.get_absolute_url()
    assert list(org.themes.values_list("slug", flat=True)) == ["alimentation"]


def test_it_asks_to_join_and_the_admin_accepts(client, territory, alice, chloe) -> None:
    org = create(alice)
    client.force_login(chloe)
    client.post(reverse("directory:organisation_join", args=[org.pk]), {"message": "Salut"})
    membership = Membership.objects.get(user=chloe)
    assert membership.status == "pending"
    url = reverse("directory:membership_decide", args=[org.pk, membership.pk])
    client.post(url, {"decision": "accept"})
    membership.refresh_from_db()
    assert membership.status == "pending"  # chloé cannot accept herself
    client.force_login(alice)
    page = client.get(reverse("directory:organisation_members", args=[org.pk]))
    assert [m.user for m in page.context["pending"]] == [chloe]
    client.post(url, {"decision": "accept"})
    membership.refresh_from_db()
    assert membership.status == "active"


def test_it_requires_csrf_for_writes(territory, alice) -> None:
    from django.test import Client

    org = OrganisationFactory()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory())
    response = csrf_client.post(reverse("directory:organisation_join", args=[org.pk]))
    assert response.status_code == 403
