"""The authorization matrix (issue 10, kept in CI): every role against the staff pages of every
app and against private objects by id. Anonymous visitors are sent to the login page, other roles
get a 403 (or a 404 where the object's existence itself is private), staff see what their
coverage allows. A new staff page or private object joins the table."""

from __future__ import annotations

import pytest

from turbine.accounts.tests.factories import UserFactory
from turbine.directory.models import Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.tests.conftest import _ensure as ensure_perimeters
from turbine.funding.tests.factories import FunderFactory, make_aid
from turbine.guichet.tests.factories import make_request
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonyme", "citoyen", "porteur", "conseiller", "élu", "financeur", "administrateur"]

# Pages for the Turbine's staff only: (path, the role columns' expected status, in ROLES order).
STAFF = (302, 403, 403, 200, 403, 403, 200)
STAFF_PAGES = [
    "/guichet/suivi/",
    "/moderation/",
    "/acteurs/import/",
    "/pilotage/portefeuille/notation/",
    "/pilotage/portefeuille/poids/",
    "/pilotage/indicateurs/import/",
    "/vitrine/equipe/",
    "/blocages/equipe/",
    "/strategies/equipe/",
    "/label/referentiel/importer/",
    "/charte/versions/nouvelle/",
    "/panels/nouveau/",
]


@pytest.fixture
def people(territory, alice, bruno, chloe):
    return {
        "anonyme": None,
        "citoyen": alice,
        "porteur": chloe,
        "conseiller": bruno,
        "élu": UserFactory(roles=["élu"]),
        "financeur": UserFactory(roles=["partenaire financeur"]),
        "administrateur": UserFactory(roles=["administrateur"], is_staff=True),
    }


def _statuses(client, people, path: str) -> tuple[int, ...]:
    out = []
    for role in ROLES:
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        out.append(client.get(path).status_code)
    return tuple(out)


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_are_for_staff_only(client, people, path):
    assert _statuses(client, people, path) == STAFF


def test_followed_places_are_for_officials_and_staff(client, people):
    assert _statuses(client, people, "/territoire/suivis/") == (302, 403, 403, 200, 200, 403, 200)


def test_a_guichet_request_by_id(client, people):
    """Chloé's request in Béthune: hers to see; the staff view for staff covering it (Bruno
    covers no agglomeration: 404, its existence is not his to know) and administrators."""
    request = make_request(holder=people["porteur"])
    mine = f"/guichet/mes-demandes/{request.pk}/"
    staff = f"/guichet/suivi/{request.pk}/"
    assert _statuses(client, people, mine) == (302, 404, 200, 404, 404, 404, 302)
    assert _statuses(client, people, staff) == (302, 403, 403, 404, 403, 403, 200)


def test_a_draft_project_by_id_page_and_api(client, people):
    draft = ProjectFactory(visibility="draft", holder_user=people["porteur"])
    page = _statuses(client, people, f"/projets/{draft.pk}/")
    api = _statuses(client, people, f"/api/v1/projects/{draft.pk}")
    assert page[0] == 404 and page[1] == 404 and page[4] == 404 and page[5] == 404
    assert page[2] == 200  # its holder
    assert api[0] == 404 and api[1] == 404 and api[4] == 404 and api[5] == 404


def _funder_of(user):
    organisation = OrganisationFactory(name="Fondation du bassin minier", family="aident")
    Membership.objects.create(organisation=organisation, user=user, status=MembershipStatus.ACTIVE)
    return FunderFactory(organisation=organisation)


def test_a_funders_management_and_demand_pages_by_id(client, people):
    """The funder role's member of the funder's organisation, and staff; a funder of another
    organisation is refused like everyone else."""
    ensure_perimeters()
    funder = _funder_of(people["financeur"])
    aid = make_aid(funders=[funder], deadline_in=30)
    expected = (302, 403, 403, 200, 403, 200, 200)
    for path in (
        f"/financeurs/{funder.pk}/gestion/",
        f"/financeurs/{funder.pk}/gestion/aides/nouvelle/",
        f"/financeurs/{funder.pk}/gestion/aides/{aid.pk}/",
        f"/financeurs/{funder.pk}/demande/",
    ):
        assert _statuses(client, people, path) == expected, path
    other = _funder_of(UserFactory(roles=["partenaire financeur"]))
    refused = (302, 403, 403, 200, 403, 403, 200)
    assert _statuses(client, people, f"/financeurs/{other.pk}/gestion/") == refused
    assert _statuses(client, people, f"/financeurs/{other.pk}/demande/") == refused


def test_a_projects_applications_page_by_id(client, people):
    """Its holders and staff record them; others are refused (404 for a draft)."""
    public = ProjectFactory(holder_user=people["porteur"])
    draft = ProjectFactory(visibility="draft", holder_user=people["porteur"])
    page = f"/projets/{public.pk}/candidatures/"
    assert _statuses(client, people, page) == (302, 403, 200, 200, 403, 403, 200)
    page = f"/projets/{draft.pk}/candidatures/"
    assert _statuses(client, people, page) == (302, 404, 200, 200, 404, 404, 200)
    api = f"/api/v1/projects/{public.pk}/applications"
    assert _statuses(client, people, api) == (200,) * 7
