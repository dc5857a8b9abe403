"""The demand around a funder's aids (``/financeurs/<id>/demande/``): guichet requests that
matched them, holders' choices with their reasons, alerts, applications; aggregates only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.directory.models import Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.funding.models import Alert, ProjectApplication
from turbine.funding.tests.conftest import _ensure as ensure_perimeters
from turbine.funding.tests.factories import FunderFactory, make_aid
from turbine.guichet import services as guichet_services
from turbine.guichet.tests.factories import make_request
from turbine.portal.demand import funder_demand

pytestmark = pytest.mark.django_db


@pytest.fixture
def fanny(territory):
    ensure_perimeters()
    return UserFactory(display_name="Fanny", roles=["partenaire financeur"])


@pytest.fixture
def funder(fanny):
    organisation = OrganisationFactory(name="Fondation des jardins", family="aident")
    Membership.objects.create(organisation=organisation, user=fanny, status=MembershipStatus.ACTIVE)
    return FunderFactory(name="Fondation des jardins", organisation=organisation)


def test_it_counts_requests_choices_alerts_and_applications(client, fanny, funder, chloe):
    aid = make_aid(
        title="Jardin partagé et potager",
        funders=[funder],
        themes=["alimentation"],
        beneficiaries=["association"],
    )
    make_aid(title="Autre financeur", funders=[FunderFactory()], themes=["alimentation"])
    first = make_request(holder=chloe)
    second = make_request(holder=UserFactory(commune_code="62498"), commune="62498")
    assert aid.pk in [row["id"] for row in first.found["aids"]]
    guichet_services.aid_choice_set(
        user=chloe, support_request=first, aid_id=aid.pk, choice="ecartee", reason="Trop tard"
    )
    alert = Alert.objects.create(email="a@example.org", token="t" * 40, confirmed_at=timezone.now())
    alert.followed_aids.add(aid)
    ProjectApplication.objects.create(project=second.project, aid=aid, status="obtenue")

    demand = funder_demand(funder=funder)
    row = next(r for r in demand.aids if r.aid.pk == aid.pk)
    assert demand.matched == 2 and row.matched == 2
    assert {t.label for t in row.by_theme} == {"Alimentation"}
    assert sum(t.count for t in row.by_agglomeration) == 2
    assert (row.set_aside, row.set_aside_reasons, row.followers, row.obtained) == (
        1, ["Trop tard"], 1, 1,
    )  # fmt: skip

    client.force_login(fanny)
    page = client.get(f"/financeurs/{funder.pk}/demande/").content.decode()
    assert "Jardin partagé et potager" in page and "« Trop tard »" in page
    assert "Autre financeur" not in page
    # Never a person: neither the holders' names nor their projects' titles.
    assert "Chloé" not in page and first.project.title not in page


def test_the_demand_page_has_flat_queries(
    client, fanny, funder, chloe, django_assert_max_num_queries
):
    make_aid(title="Jardin partagé", funders=[funder], themes=["alimentation"])
    make_request(holder=chloe)
    client.force_login(fanny)
    with django_assert_max_num_queries(20) as few:
        client.get(f"/financeurs/{funder.pk}/demande/")
    for n in range(5):
        make_aid(title=f"Jardin {n}", funders=[funder], themes=["alimentation"])
        make_request(holder=UserFactory(), title=f"Jardin {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/financeurs/{funder.pk}/demande/")
