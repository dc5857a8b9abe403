"""The charter: versions, publication asking signatories to re-sign, signing by people with
rights on the organisation or the commune, and the public pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import Family, OrganisationKind
from turbine.directory.tests.factories import OrganisationFactory
from turbine.label.models import CharterSignature, CharterVersion
from turbine.label.services import charter as services
from turbine.label.tests.factories import CharterSignatureFactory, CharterVersionFactory
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db


def _sign(user: User, version: CharterVersion, **member: int) -> CharterSignature:
    return services.charter_sign(
        actor=user,
        version_id=version.pk,
        signer_name="Chloé Durand",
        signer_role="Présidente",
        accepted=True,
        **member,
    )


def test_it_lets_an_organisation_admin_sign_the_current_version(chloe: User) -> None:
    version = CharterVersionFactory()
    org = OrganisationFactory(admin=chloe)
    signature = _sign(chloe, version, organisation_id=org.pk)
    assert signature.version == version
    assert signature.signed_by == chloe


def test_a_plain_member_or_a_stranger_cannot_sign(alice: User) -> None:
    version = CharterVersionFactory()
    org = OrganisationFactory()
    with pytest.raises(PermissionDeniedError):
        _sign(alice, version, organisation_id=org.pk)
    assert not CharterSignature.objects.exists()


def test_staff_may_sign_for_any_organisation(bruno: User) -> None:
    version = CharterVersionFactory()
    org = OrganisationFactory()
    assert _sign(bruno, version, organisation_id=org.pk).organisation == org


def test_a_commune_is_signed_for_by_the_admin_of_its_town_hall(chloe: User, alice: User) -> None:
    version = CharterVersionFactory()
    bethune = Commune.objects.get(code="62119")
    OrganisationFactory(
        name="Mairie de Béthune", kind=OrganisationKind.COMMUNE, commune_code="62119", admin=chloe
    )
    with pytest.raises(PermissionDeniedError):
        _sign(alice, version, commune_id=bethune.pk)
    assert _sign(chloe, version, commune_id=bethune.pk).commune == bethune


def test_it_refuses_a_second_signature_of_the_same_version(chloe: User) -> None:
    version = CharterVersionFactory()
    org = OrganisationFactory(admin=chloe)
    _sign(chloe, version, organisation_id=org.pk)
    with pytest.raises(TurbineError, match="déjà signé"):
        _sign(chloe, version, organisation_id=org.pk)
    assert CharterSignature.objects.count() == 1


def test_it_refuses_an_earlier_version_and_an_unticked_box(chloe: User, bruno: User) -> None:
    old = CharterVersionFactory()
    CharterVersionFactory()
    org = OrganisationFactory(admin=chloe)
    with pytest.raises(TurbineError, match="plus celle en vigueur"):
        _sign(chloe, old, organisation_id=org.pk)
    with pytest.raises(TurbineError, match="Cochez"):
        services.charter_sign(
            actor=chloe,
            version_id=CharterVersion.objects.order_by("-number").first().pk,
            organisation_id=org.pk,
            signer_name="C",
            signer_role="P",
            accepted=False,
        )
    with pytest.raises(NotFoundError):
        _sign(chloe, CharterVersion.objects.order_by("-number").first(), organisation_id=99_999)


def test_a_new_version_asks_signatories_to_sign_again_and_keeps_the_history(
    chloe: User, bruno: User, django_capture_on_commit_callbacks: object
) -> None:
    first = CharterVersionFactory()
    org = OrganisationFactory(name="Recyclerie de Lens", admin=chloe)
    _sign(chloe, first, organisation_id=org.pk)
    draft = services.charter_version_create(
        actor=bruno, title="Charte v2", text="Le texte **révisé**.", changes="Un article sur l'eau."
    )
    assert draft.number == first.number + 1 and not draft.is_published
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.charter_version_publish(actor=bruno, version_id=draft.pk)
    assert [m.to for m in mail.outbox] == [[chloe.email]]
    assert "Un article sur l'eau." in mail.outbox[0].body
    second = _sign(chloe, CharterVersion.objects.get(pk=draft.pk), organisation_id=org.pk)
    assert list(
        CharterSignature.objects.filter(organisation=org)
        .order_by("-version__number")
        .values_list("version__number", flat=True)
    ) == [second.version.number, first.number]
    with pytest.raises(TurbineError, match="déjà publiée"):
        services.charter_version_publish(actor=bruno, version_id=draft.pk)


def test_only_staff_write_and_publish_versions(chloe: User) -> None:
    with pytest.raises(PermissionDeniedError):
        services.charter_version_create(actor=chloe, title="x", text="y")
    draft = CharterVersionFactory(published_at=None)
    with pytest.raises(PermissionDeniedError):
        services.charter_version_publish(actor=chloe, version_id=draft.pk)


def test_a_published_version_is_not_edited(bruno: User) -> None:
    version = CharterVersionFactory()
    with pytest.raises(TurbineError, match="ne se modifie plus"):
        services.charter_version_update(actor=bruno, version_id=version.pk, title="t", text="x")


def test_text_with_nul_bytes_is_refused(bruno: User) -> None:
    with pytest.raises(TurbineError, match="caractère invalide"):
        services.charter_version_create(actor=bruno, title="Charte", text="a\x00b")


def test_the_charter_page_renders_sanitised_markdown_and_the_sign_form(
    client: Client, chloe: User
) -> None:
    CharterVersionFactory(text="## Coopérer\n\n<script>alert(1)</script> **ensemble**")
    OrganisationFactory(name="Recyclerie de Lens", admin=chloe)
    client.force_login(chloe)
    response = client.get("/charte/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>ensemble</strong>" in body
    assert "<script>alert" not in body
    assert "Recyclerie de Lens" in body
    assert 'action="/charte/signer/"' in body


def test_signing_through_the_page_and_listing_signatories(client: Client, chloe: User) -> None:
    version = CharterVersionFactory()
    org = OrganisationFactory(name="Recyclerie de Lens", admin=chloe)
    client.force_login(chloe)
    response = client.post(
        "/charte/signer/",
        {
            "version": version.pk,
            "member": f"o:{org.pk}",
            "signer_name": "Chloé Durand",
            "signer_role": "Présidente",
            "accepted": "on",
        },
    )
    assert response.status_code == 302
    assert CharterSignature.objects.filter(organisation=org, version=version).exists()
    page = client.get("/charte/signataires/").content.decode()
    assert "Recyclerie de Lens" in page and "Chloé Durand, Présidente" in page


def test_the_sign_form_refuses_a_member_the_person_has_no_rights_on(
    client: Client, alice: User
) -> None:
    version = CharterVersionFactory()
    org = OrganisationFactory()
    client.force_login(alice)
    response = client.post(
        "/charte/signer/",
        {
            "version": version.pk,
            "member": f"o:{org.pk}",
            "signer_name": "A",
            "signer_role": "B",
            "accepted": "on",
        },
    )
    assert response.status_code == 200
    assert "administrez une organisation" in response.content.decode()
    assert not CharterSignature.objects.exists()


def test_signatories_filter_by_family_and_agglomeration(client: Client) -> None:
    version = CharterVersionFactory()
    CharterSignatureFactory(
        version=version, organisation=OrganisationFactory(name="Ferme de Lens", family=Family.DOERS)
    )
    CharterSignatureFactory(
        version=version,
        organisation=OrganisationFactory(
            name="Réseau de Béthune", family=Family.SPREADERS, commune_code="62119"
        ),
    )
    CharterSignatureFactory(
        version=version, organisation=None, commune=Commune.objects.get(code="62119")
    )
    page = client.get("/charte/signataires/", {"family": "diffusent"}).content.decode()
    assert "Réseau de Béthune" in page and "Ferme de Lens" not in page
    lens_agglo = Commune.objects.get(code="62498").agglomeration
    page = client.get("/charte/signataires/", {"agglomeration": lens_agglo.siren}).content.decode()
    assert "Ferme de Lens" in page and "Réseau de Béthune" not in page
    page = client.get("/charte/signataires/", {"family": "commune"}).content.decode()
    assert "Commune de Béthune" in page and "Ferme de Lens" not in page
    assert (
        client.get("/charte/signataires/", {"family": "x\x00", "page": "99999999999"}).status_code
        == 200
    )


def test_signatories_page_query_count_does_not_grow(
    client: Client, django_assert_max_num_queries: object
) -> None:
    version = CharterVersionFactory()
    for _ in range(15):
        CharterSignatureFactory(version=version)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get("/charte/signataires/").status_code == 200


def test_version_pages_are_for_staff(client: Client, chloe: User, bruno: User) -> None:
    client.force_login(chloe)
    assert client.get("/charte/versions/").status_code == 403
    assert client.post("/charte/versions/nouvelle/", {"title": "x", "text": "y"}).status_code == 403
    client.force_login(bruno)
    response = client.post("/charte/versions/nouvelle/", {"title": "Charte", "text": "Texte"})
    assert response.status_code == 302
    draft = CharterVersion.objects.get()
    assert client.post(f"/charte/versions/{draft.pk}/publier/").status_code == 302
    assert CharterVersion.objects.get().is_published
