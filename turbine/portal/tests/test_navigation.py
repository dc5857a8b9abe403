"""Each role sees its own entries in the account menu (``core.navigation``)."""

from __future__ import annotations

import pytest

from turbine.accounts.tests.factories import UserFactory
from turbine.directory.models import Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.tests.factories import FunderFactory

pytestmark = pytest.mark.django_db

ENTRIES = ("Mes aides", "Mes demandes", "File du guichet", "Mes communes")


def _menu(client, user) -> set[str]:
    client.force_login(user)
    page = client.get("/").content.decode()
    menu = page.split('aria-label="Mon compte"', 1)[1].split("</nav>", 1)[0]
    return {entry for entry in ENTRIES if entry in menu}


def test_each_role_sees_its_own_entries(client, territory, alice, bruno, chloe):
    fanny = UserFactory(roles=["partenaire financeur"])
    organisation = OrganisationFactory(family="aident")
    Membership.objects.create(organisation=organisation, user=fanny, status=MembershipStatus.ACTIVE)
    funder = FunderFactory(organisation=organisation)
    assert _menu(client, alice) == set()
    assert _menu(client, chloe) == {"Mes demandes"}
    assert _menu(client, bruno) == {"File du guichet", "Mes communes"}
    assert _menu(client, UserFactory(roles=["élu"])) == {"Mes communes"}
    assert _menu(client, fanny) == {"Mes aides"}
    page = client.get(f"/financeurs/{funder.pk}/gestion/").content.decode()
    assert f'href="/financeurs/{funder.pk}/gestion/" aria-current="page">Mes aides' in page
    # A funder role without an organisation that is a funder has no « Mes aides ».
    assert _menu(client, UserFactory(roles=["partenaire financeur"])) == set()
