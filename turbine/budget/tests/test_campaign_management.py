"""Staff create and edit campaigns on their own pages, with the services' validation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from turbine.budget import services
from turbine.budget.models import Ballot, Campaign, Envelope, StaffAction
from turbine.budget.services import BudgetError, EnvelopeSpec
from turbine.budget.tests.factories import make_campaign, make_proposal
from turbine.core.exceptions import PermissionDeniedError
from turbine.territory.models import Agglomeration

pytestmark = pytest.mark.django_db

DATE_FIELDS = (
    "submission_start",
    "submission_end",
    "feasibility_end",
    "vote_start",
    "vote_end",
    "results_date",
    "realisation_date",
)


def _dates(start: date, offsets: tuple[int, ...] = (0, 20, 40, 41, 60, 61, 200)) -> dict:
    pairs = zip(DATE_FIELDS, offsets, strict=True)
    return {f: (start + timedelta(days=d)).isoformat() for f, d in pairs}


def _form(**overrides: object) -> dict:
    data = {
        "slug": "bp-2028",
        "title": "Budget participatif 2028",
        "year": "2028",
        "description": "Troisième édition.",
        "total_budget": "1000000",
        "min_age": "16",
        "ballot_type": "approval",
        "approval_min": "1",
        "approval_max": "5",
        "cumulative_points": "10",
        "rule": "mes-completed",
        **_dates(date(2028, 1, 10)),
        "enveloppes-TOTAL_FORMS": "2",
        "enveloppes-INITIAL_FORMS": "0",
        "enveloppes-MIN_NUM_FORMS": "0",
        "enveloppes-MAX_NUM_FORMS": "20",
        "enveloppes-0-name": "Petits projets",
        "enveloppes-0-budget": "300000",
        "enveloppes-0-max_cost": "50000",
        "enveloppes-1-name": "Grands projets",
        "enveloppes-1-budget": "700000",
        "enveloppes-1-min_cost": "50001",
    }
    data.update({k: str(v) for k, v in overrides.items()})
    return data


def test_it_keeps_campaign_pages_to_staff(client: Client, territory, alice) -> None:
    campaign = make_campaign(phase="depot")
    new = reverse("budget:campaign_new")
    edit = reverse("budget:campaign_edit", args=[campaign.slug])
    assert client.get(new).status_code == 302  # to the login page
    client.force_login(alice)
    assert client.get(new).status_code == 403
    assert client.post(new, _form()).status_code == 403
    assert client.get(edit).status_code == 403
    assert "Créer une campagne" not in client.get("/budget-participatif/").content.decode()
    assert Campaign.objects.count() == 1
    with pytest.raises(PermissionDeniedError):
        services.campaign_update(
            actor=alice,
            campaign_id=campaign.pk,
            title="X",
            year=2028,
            total_budget=1,
            dates=[],
            envelopes=[],
            ballot_type="approval",
            approval_min=1,
            approval_max=1,
            cumulative_points=1,
            rule="greedy",
        )


def test_it_creates_a_campaign_from_the_staff_page(client: Client, territory, bruno) -> None:
    client.force_login(bruno)
    assert "Créer une campagne" in client.get("/budget-participatif/").content.decode()
    new = reverse("budget:campaign_new")
    assert client.get(new).status_code == 200
    late = _dates(date(2028, 1, 10), (0, 20, 41, 41, 60, 61, 200))
    response = client.post(new, _form(**late))
    body = response.content.decode()
    assert response.status_code == 200
    assert "doit venir strictement après" in body and "fin de l&#x27;étude" in body
    response = client.post(new, _form(**{"enveloppes-1-budget": "800000"}))
    assert "Enveloppes : Les enveloppes dépassent le budget total" in response.content.decode()
    response = client.post(new, _form(approval_min=6))
    assert "ne peut pas être inférieur au minimum" in response.content.decode()
    response = client.post(new, _form(slug="BP 2028"))
    assert "minuscules" in response.content.decode()
    assert not Campaign.objects.exists()
    response = client.post(new, _form())
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="bp-2028")
    assert response["Location"] == campaign.get_absolute_url()
    assert [(e.name, e.budget, e.max_cost) for e in campaign.envelopes.all()] == [
        ("Petits projets", Decimal(300_000), Decimal(50_000)),
        ("Grands projets", Decimal(700_000), None),
    ]
    assert campaign.vote_start == date(2028, 2, 20)
    assert StaffAction.objects.get().action == "campagne:creation"
    response = client.post(new, _form())
    assert "porte déjà l&#x27;identifiant" in response.content.decode()


def test_it_edits_a_campaign_and_its_envelopes(client: Client, territory, bruno) -> None:
    campaign = make_campaign(
        phase="depot",
        total_budget=100_000,
        envelopes=[
            EnvelopeSpec(name="A", budget=Decimal(40_000)),
            EnvelopeSpec(name="B", budget=Decimal(60_000)),
        ],
    )
    a, b = campaign.envelopes.all()
    make_proposal(campaign, envelope=b)
    client.force_login(bruno)
    edit = reverse("budget:campaign_edit", args=[campaign.slug])
    body = client.get(edit).content.decode()
    assert 'value="Budget participatif de test"' in body and 'value="A"' in body
    lens = Agglomeration.objects.order_by("name").first()
    today = timezone.localdate()
    base = {k: v for k, v in _form().items() if not k.startswith("enveloppes") and k != "slug"}
    base.update(_dates(today - timedelta(days=10), (0, 20, 30, 40, 50, 60, 200)))
    data = {
        **base,
        "total_budget": "120000",
        "rule": "greedy",
        "enveloppes-TOTAL_FORMS": "3",
        "enveloppes-INITIAL_FORMS": "2",
        "enveloppes-0-envelope_id": str(a.pk),
        "enveloppes-0-name": "B",  # the two envelopes swap their names
        "enveloppes-0-budget": "50000",
        "enveloppes-0-agglomeration": str(lens.pk),
        "enveloppes-1-envelope_id": str(b.pk),
        "enveloppes-1-name": "A",
        "enveloppes-1-budget": "60000",
        "enveloppes-2-name": "C",
        "enveloppes-2-budget": "10000",
    }
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.title, campaign.rule, campaign.total_budget) == (
        "Budget participatif 2028",
        "greedy",
        Decimal(120_000),
    )
    assert [(e.pk, e.name, e.agglomeration_id) for e in campaign.envelopes.all()][:2] == [
        (a.pk, "B", lens.pk),
        (b.pk, "A", None),
    ]
    assert campaign.envelopes.count() == 3
    # The envelope holding a proposal cannot be deleted.
    response = client.post(edit, {**data, "enveloppes-1-delete": "on"})
    assert response.status_code == 200
    assert "ne peut pas être supprimée" in response.content.decode()
    assert Envelope.objects.filter(pk=b.pk).exists()


def test_it_freezes_the_ballot_once_people_have_voted(territory, bruno) -> None:
    campaign = make_campaign(phase="vote")
    envelope = campaign.envelopes.get()
    Ballot.objects.create(campaign=campaign, envelope=envelope, choices=[], synthetic=True)
    today = timezone.localdate()
    values = {
        "actor": bruno,
        "campaign_id": campaign.pk,
        "title": "Nouveau titre",
        "year": campaign.year,
        "total_budget": campaign.total_budget,
        "dates": [
            campaign.submission_start,
            campaign.submission_end,
            campaign.feasibility_end,
            campaign.vote_start,
            today + timedelta(days=15),  # the vote may be extended
            today + timedelta(days=25),
            campaign.realisation_date,
        ],
        "envelopes": [
            (envelope.pk, EnvelopeSpec(name="Tout le territoire", budget=envelope.budget))
        ],
        "ballot_type": campaign.ballot_type,
        "approval_min": campaign.approval_min,
        "approval_max": campaign.approval_max,
        "cumulative_points": campaign.cumulative_points,
        "rule": campaign.rule,
    }
    services.campaign_update(**values)
    envelope.refresh_from_db()
    assert envelope.name == "Tout le territoire"
    with pytest.raises(BudgetError, match="bulletin ne peut plus changer"):
        services.campaign_update(**{**values, "approval_max": 9})
    with pytest.raises(BudgetError, match="enveloppes ne peuvent plus changer"):
        services.campaign_update(
            **{**values, "envelopes": [(envelope.pk, EnvelopeSpec(name="X", budget=1))]}
        )
    campaign.refresh_from_db()
    assert campaign.title == "Nouveau titre" and campaign.approval_max != 9
    results = make_campaign(phase="resultats", slug="bp-resultats")
    with pytest.raises(BudgetError, match="règle de décision ne peut plus changer"):
        services.campaign_update(
            **{
                **values,
                "campaign_id": results.pk,
                "dates": [
                    results.submission_start,
                    results.submission_end,
                    results.feasibility_end,
                    results.vote_start,
                    results.vote_end,
                    results.results_date,
                    results.realisation_date,
                ],
                "envelopes": [
                    (e.pk, EnvelopeSpec(name=e.name, budget=e.budget))
                    for e in results.envelopes.all()
                ],
                "rule": "greedy",
            }
        )
