"""What the charter and the label show where organisations and projects are seen (the
directory, the projects, the map), through core.badges; and the charter step of an
organisation's creation, through core.form_extensions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from turbine.accounts.models import User
from turbine.accounts.services import api_token_create
from turbine.directory.models import Membership, Organisation
from turbine.directory.tests.factories import OrganisationFactory
from turbine.label.models import CharterSignature, CharterVersion
from turbine.label.tests.factories import (
    CharterSignatureFactory,
    CharterVersionFactory,
    grant_label,
    make_referential,
)
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

CREATE = "/acteurs/nouvelle/"


def _errors(form: object) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)  # type: ignore[attr-defined]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


# --- The directory: badges, filter, the organisation's page ---------------------------------


def test_the_directory_list_shows_who_adheres_to_the_current_version(
    client: Client, territory: object
) -> None:
    old = CharterVersionFactory(number=1)
    current = CharterVersionFactory(number=2)
    signed = OrganisationFactory(name="Recyclerie du Lensois")
    CharterSignatureFactory(version=current, organisation=signed)
    only_old = OrganisationFactory(name="Amap de Liévin")
    CharterSignatureFactory(version=old, organisation=only_old)
    OrganisationFactory(name="Vélo-école de Béthune")
    page = client.get("/acteurs/").content.decode()
    assert page.count("Signataire de la charte · v2") == 1
    assert f'href="/charte/signataires/organisation/{signed.pk}/"' in page
    # The filter: the current version's signatories only.
    response = client.get("/acteurs/", {"charte": "on"})
    assert [o.name for o in response.context["organisations"]] == ["Recyclerie du Lensois"]
    assert 'name="charte"' in response.content.decode()
    # Bad input never breaks the list.
    for value in ("x\x00", "1" * 5000):
        assert client.get("/acteurs/", {"charte": value}).status_code == 200
    response = client.get("/acteurs/?charte=on&charte=&charte=on")
    assert response.status_code == 200


def test_the_directory_list_adds_a_fixed_number_of_queries_for_badges(
    client: Client, territory: object, bruno: User
) -> None:
    version = CharterVersionFactory()
    referential = make_referential(bruno)
    for i in range(3):
        CharterSignatureFactory(version=version, organisation=OrganisationFactory(name=f"A {i}"))
    few = _queries(client, "/acteurs/")
    for i in range(17):
        org = OrganisationFactory(name=f"B {i:02d}")
        CharterSignatureFactory(version=version, organisation=org)
        grant_label(referential, organisation=org)
    response = client.get("/acteurs/")
    assert response.content.decode().count("Signataire de la charte · v") == 20
    assert response.content.decode().count("Label Turbine · 3 étoiles sur 5") == 17
    assert _queries(client, "/acteurs/") == few  # none per organisation
    assert few <= 14
    assert _queries(client, "/acteurs/?charte=on") <= few


def test_the_organisation_page_shows_its_adherence_and_history(
    client: Client, territory: object, chloe: User, alice: User
) -> None:
    old = CharterVersionFactory(number=1)
    current = CharterVersionFactory(number=2)
    org = OrganisationFactory(name="Recyclerie du Lensois", admin=chloe)
    CharterSignatureFactory(version=old, organisation=org, signer_name="Chloé Durand")
    url = reverse("directory:organisation_detail", args=[org.pk])
    page = client.get(url).content.decode()
    assert "avait adhéré à la version 1" in page and "version en vigueur (version 2)" in page
    assert "Signataire de la charte" not in page
    assert "Signer la charte pour" not in page  # a visitor cannot sign
    client.force_login(alice)  # not an administrator of it
    assert "Signer la charte pour" not in client.get(url).content.decode()
    client.force_login(chloe)
    assert "Signer la charte pour Recyclerie du Lensois" in client.get(url).content.decode()
    CharterSignatureFactory(
        version=current, organisation=org, signer_name="Chloé Durand", signer_role="Présidente"
    )
    page = client.get(url).content.decode()
    assert "Signataire de la charte · v2" in page
    assert "adhère à la charte de la Turbine" in page and "Chloé Durand (Présidente)" in page
    assert "Signer la charte pour" not in page
    assert f"/charte/signataires/organisation/{org.pk}/" in page


def test_without_a_published_charter_the_directory_shows_nothing_of_it(
    client: Client, territory: object, chloe: User
) -> None:
    CharterVersion.objects.create(number=1, title="Brouillon", text="Texte")  # a draft
    org = OrganisationFactory(admin=chloe)
    client.force_login(chloe)
    page = client.get(reverse("directory:organisation_detail", args=[org.pk])).content.decode()
    assert "Charte de la Turbine" not in page
    assert "Adhérer à la charte" not in client.get(CREATE).content.decode()


# --- Joining the Turbine: the charter step of the creation form -----------------------------


def _creation(**charter: object) -> dict[str, object]:
    return {
        "name": "Les Incroyables Comestibles de Lens",
        "kind": "association",
        "family": "font",
        **{f"charte-{key}": value for key, value in charter.items()},
    }


def test_creating_an_organisation_signs_the_current_charter(
    client: Client, territory: object, alice: User
) -> None:
    version = CharterVersionFactory(number=3, title="Charte de la Turbine")
    client.force_login(alice)
    form = client.get(CREATE).content.decode()
    assert "Adhérer à la charte de la Turbine" in form
    assert "J&#x27;ai lu la charte de la Turbine (version 3)" in form
    response = client.post(
        CREATE,
        _creation(
            version=version.pk, accepted="on", signer_name="Alice Martin", signer_role="Présidente"
        ),
    )
    org = Organisation.objects.get(name="Les Incroyables Comestibles de Lens")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    signature = CharterSignature.objects.get(organisation=org)
    assert (signature.version, signature.signed_by) == (version, alice)
    assert (signature.signer_name, signature.signer_role) == ("Alice Martin", "Présidente")
    assert Membership.objects.get(organisation=org).user == alice
    assert "Signataire de la charte · v3" in client.get(org.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("charter", "error"),
    [
        ({"signer_name": "Alice", "signer_role": "Présidente"}, "Cochez la case"),
        ({"accepted": "on", "signer_name": "Alice", "signer_role": ""}, "obligatoire"),
        ({"accepted": "on", "signer_name": "Ali\x00ce", "signer_role": "Pr"}, "invalide"),
        ({"accepted": "on", "signer_name": "A" * 121, "signer_role": "Pr"}, "120"),
        ({"accepted": "on", "signer_name": "Alice", "signer_role": "Pr", "version": "x"}, "nombre"),
        (
            {"accepted": "on", "signer_name": "Alice", "signer_role": "Pr", "version": "9" * 30},
            "inférieure ou égale",
        ),
    ],
)
def test_a_creation_without_a_valid_adherence_saves_nothing(
    client: Client, territory: object, alice: User, charter: dict, error: str
) -> None:
    version = CharterVersionFactory()
    charter = {"version": version.pk, **charter}
    client.force_login(alice)
    response = client.post(CREATE, _creation(**charter))
    assert response.status_code == 200
    extension = response.context["extensions"][0]
    assert error in _errors(extension.form)
    assert not Organisation.objects.exists() and not CharterSignature.objects.exists()


def test_a_version_published_meanwhile_rolls_the_creation_back(
    client: Client, territory: object, alice: User
) -> None:
    old = CharterVersionFactory(number=1)
    client.force_login(alice)
    form = client.get(CREATE).content.decode()
    assert f'name="charte-version" value="{old.pk}"' in form
    new = CharterVersionFactory(number=2)  # published while Alice was filling the form
    charter = {"version": old.pk, "accepted": "on", "signer_name": "Alice", "signer_role": "Pr"}
    response = client.post(CREATE, _creation(**charter))
    assert response.status_code == 200
    assert "n'est plus celle en vigueur" in _errors(response.context["extensions"][0].form)
    assert not Organisation.objects.exists() and not CharterSignature.objects.exists()
    # The form now carries the current version: reading it and submitting again works.
    page = response.content.decode()
    assert f'name="charte-version" value="{new.pk}"' in page and "(version 2)" in page
    response = client.post(CREATE, _creation(**{**charter, "version": new.pk}))
    assert response.status_code == 302
    assert CharterSignature.objects.get().version == new


def test_an_invalid_organisation_is_not_created_even_with_the_charter_accepted(
    client: Client, territory: object, alice: User
) -> None:
    version = CharterVersionFactory()
    client.force_login(alice)
    charter = {"version": version.pk, "accepted": "on", "signer_name": "A", "signer_role": "B"}
    response = client.post(CREATE, {**_creation(**charter), "siren": "123456789"})
    assert response.status_code == 200 and "siren" in response.context["form"].errors
    assert not Organisation.objects.exists() and not CharterSignature.objects.exists()


def test_signing_in_is_still_required_to_create(client: Client, territory: object) -> None:
    CharterVersionFactory()
    assert client.get(CREATE).status_code == 302
    assert client.post(CREATE, _creation(accepted="on")).status_code == 302
    assert not Organisation.objects.exists()


def _api_create(client: Client, user: User, **extra: object) -> object:
    _, secret = api_token_create(user=user, name="outil")
    return client.post(
        "/api/v1/organisations",
        {"name": "Les Incroyables Comestibles de Lens", "kind": "association", "family": "font"}
        | extra,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def test_the_api_signs_the_charter_with_the_creation_when_asked(
    client: Client, territory: object, alice: User
) -> None:
    version = CharterVersionFactory(number=3)
    charter = {"version": 3, "accepted": True, "signer_name": "Alice Martin", "signer_role": "Pr"}
    response = _api_create(client, alice, charter=charter)
    assert response.status_code == 201, response.json()
    org = Organisation.objects.get(pk=response.json()["id"])
    signature = CharterSignature.objects.get(organisation=org)
    assert (signature.version, signature.signed_by, signature.signer_name) == (
        version,
        alice,
        "Alice Martin",
    )
    # Without it, the organisation is created and signs later on /charte/.
    response = _api_create(client, alice, name="Ressourcerie de Liévin")
    assert response.status_code == 201 and CharterSignature.objects.count() == 1


@pytest.mark.parametrize(
    ("charter", "status", "error"),
    [
        ({"version": 3, "accepted": False, "signer_name": "A", "signer_role": "B"}, 400, "Cochez"),
        (
            {"version": 2, "accepted": True, "signer_name": "A", "signer_role": "B"},
            400,
            "version 3",
        ),
        # A NUL byte is refused by the schema itself, before any query.
        (
            {"version": 3, "accepted": True, "signer_name": "A\x00", "signer_role": "B"},
            422,
            "Requête invalide",
        ),
    ],
)
def test_a_refused_adherence_through_the_api_creates_nothing(
    client: Client, territory: object, alice: User, charter: dict, status: int, error: str
) -> None:
    CharterVersionFactory(number=3)
    response = _api_create(client, alice, charter=charter)
    assert response.status_code == status and error in response.json()["detail"]
    assert not Organisation.objects.exists() and not CharterSignature.objects.exists()


def test_the_api_refuses_an_adherence_when_no_charter_is_published(
    client: Client, territory: object, alice: User
) -> None:
    charter = {"version": 1, "accepted": True, "signer_name": "A", "signer_role": "B"}
    response = _api_create(client, alice, charter=charter)
    assert response.status_code == 400 and "Aucune charte" in response.json()["detail"]
    assert not Organisation.objects.exists()


# --- Projects: the label's badge ------------------------------------------------------------


def test_a_labelled_project_shows_its_badge_linking_to_the_registry(
    client: Client, territory: object, bruno: User, chloe: User
) -> None:
    referential = make_referential(bruno)
    labelled = ProjectFactory(title="Atelier de réemploi de Lens", holder_user=chloe)
    application = grant_label(referential, project=labelled, stars=4)
    expired = ProjectFactory(title="Ancien label")
    grant_label(
        referential, project=expired, valid_until=timezone.localdate() - datetime.timedelta(1)
    )
    refused = ProjectFactory(title="Label refusé")
    grant_label(referential, project=refused, outcome="refuse")
    ProjectFactory(title="Sans label")
    registry_url = f'href="/label/registre/{application.pk}/"'
    listing = client.get("/projets/").content.decode()
    assert listing.count("Label Turbine · ") == 1 and registry_url in listing
    assert "Label Turbine · 4 étoiles sur 5" in listing
    detail = client.get(labelled.get_absolute_url()).content.decode()
    assert registry_url in detail and "valable jusqu&#x27;au" in detail
    assert "Label Turbine" not in client.get(expired.get_absolute_url()).content.decode()
    assert client.get(f"/label/registre/{application.pk}/").status_code == 200
    response = client.get("/projets/", {"label": "on"})
    assert [p.title for p in response.context["projects"]] == ["Atelier de réemploi de Lens"]
    assert client.get("/projets/", {"label": "\x00"}).status_code == 200
    client.force_login(chloe)
    assert registry_url in client.get("/projets/mes-projets/").content.decode()


def test_the_project_list_adds_a_fixed_number_of_queries_for_labels(
    client: Client, territory: object, bruno: User
) -> None:
    referential = make_referential(bruno)
    for i in range(2):
        grant_label(referential, project=ProjectFactory(title=f"A {i}"))
    few = _queries(client, "/projets/")
    for i in range(18):
        grant_label(referential, project=ProjectFactory(title=f"B {i:02d}"))
    assert client.get("/projets/").content.decode().count("Label Turbine · ") == 20
    assert _queries(client, "/projets/") == few
    assert few <= 14


# --- The map ----------------------------------------------------------------------------------


def _mapped_badges(bruno: User) -> object:
    """A signatory and a non-signatory, a labelled project (two stars) and another, all on the
    map; returns the label's application."""
    version = CharterVersionFactory(number=1)
    referential = make_referential(bruno)
    signed = OrganisationFactory(name="Recyclerie du Lensois", latitude=50.43, longitude=2.83)
    CharterSignatureFactory(version=version, organisation=signed)
    OrganisationFactory(name="Amap de Liévin", latitude=50.42, longitude=2.78)
    labelled = ProjectFactory(title="Atelier de réemploi", latitude=50.44, longitude=2.82)
    ProjectFactory(title="Jardin partagé", latitude=50.45, longitude=2.81)
    return grant_label(referential, project=labelled, stars=2)


def test_the_map_carries_the_badges_and_filters_by_them(
    client: Client, territory: object, bruno: User, django_assert_max_num_queries: object
) -> None:
    application = _mapped_badges(bruno)
    with django_assert_max_num_queries(6):  # not one per feature
        body = client.get("/api/v1/map.geojson").json()
    badges = {f["properties"]["name"]: f["properties"]["badges"] for f in body["features"]}
    assert badges["Amap de Liévin"] == [] and badges["Jardin partagé"] == []
    assert badges["Recyclerie du Lensois"][0]["text"] == "Signataire de la charte · v1"
    assert badges["Atelier de réemploi"] == [
        {
            "text": "Label Turbine · 2 étoiles sur 5",
            "url": f"/label/registre/{application.pk}/",
            "title": badges["Atelier de réemploi"][0]["title"],
            "variant": "label",
        }
    ]
    body = client.get("/api/v1/map.geojson", {"label": "on", "charte": "1"}).json()
    assert sorted(f["properties"]["name"] for f in body["features"]) == [
        "Atelier de réemploi",
        "Recyclerie du Lensois",
    ]
    refused = client.get("/api/v1/map.geojson", {"label": "\x00"})
    assert refused.status_code == 422 and refused["Content-Type"] == "application/json"
    # The page without JavaScript: the list shows the badges, the form the filters.
    response = client.get("/carte/", {"type": "projet", "label": "on"})
    assert [f.name for f in response.context["items"]] == ["Atelier de réemploi"]
    page = response.content.decode()
    assert "Seulement les projets labellisés" in page and "Label Turbine · 2 étoiles" in page


def test_the_embedded_widgets_carry_the_badges_and_filter_by_them(
    client: Client, territory: object, bruno: User
) -> None:
    application = _mapped_badges(bruno)
    # The map without JavaScript lists the badges, and its filters narrow it.
    response = client.get("/embed/carte/", {"type": "projet"})
    page = response.content.decode()
    assert f'href="/label/registre/{application.pk}/"' in page and "Jardin partagé" in page
    response = client.get("/embed/carte/", {"type": "projet", "label": "on"})
    assert [f.name for f in response.context["items"]] == ["Atelier de réemploi"]
    assert "label=on" in response.context["geojson_url"]
    response = client.get("/embed/carte/", {"type": "organisation", "charte": "on"})
    assert [f.name for f in response.context["items"]] == ["Recyclerie du Lensois"]
    # The cards show them too, filtered the same way.
    cards = client.get("/embed/projets/", {"label": "on"})
    assert [item.title for item, _marks in cards.context["cards"]] == ["Atelier de réemploi"]
    assert "Label Turbine · 2 étoiles sur 5" in cards.content.decode()
    cards = client.get("/embed/projets/", {"type": "organisation"}).content.decode()
    assert cards.count("Signataire de la charte · v1") == 1 and "Amap de Liévin" in cards
    # The code page offers the filters and puts them in the snippet.
    code = client.get("/embed/", {"type": "projet", "label": "on"})
    assert "label=on" in code.context["map_url"] and "label=on" in code.context["cards_url"]
    assert client.get("/embed/carte/", {"label": "\x00"}).status_code == 200
