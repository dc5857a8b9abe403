"""One person, one vote (issue 10, points 4 and 4b): a deleted and recreated account, or a
second account with the same address written otherwise, cannot vote again."""

from __future__ import annotations

import html

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from turbine.accounts.services import user_delete
from turbine.accounts.tests.factories import UserFactory
from turbine.budget import services
from turbine.budget.models import Ballot, PendingBallot, VoterDigest
from turbine.budget.services import BudgetError, EnvelopeSpec
from turbine.budget.tests.factories import flush_ballots, make_campaign, make_proposal
from turbine.core.emails import normalise_address

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "normalised"),
    [
        ("Alice@Example.org", "alice@example.org"),
        ("alice+budget@example.org", "alice@example.org"),
        ("A.Li.Ce+bp+2@Gmail.com", "alice@gmail.com"),
        ("a.lice@googlemail.com", "alice@googlemail.com"),
        ("a.lice@example.org", "a.lice@example.org"),  # dots matter elsewhere
        (" alice@example.org ", "alice@example.org"),
    ],
)
def test_it_normalises_addresses(address, normalised) -> None:
    assert normalise_address(address) == normalised


@pytest.fixture
def campaign(territory):
    campaign = make_campaign(phase="vote")
    make_proposal(campaign, title="A")
    make_proposal(campaign, title="B")
    return campaign


def _vote(user, campaign, title="A"):
    envelope = campaign.envelopes.get()
    proposal = campaign.proposals.get(title=title)
    return services.ballot_cast(
        user=user, envelope_id=envelope.pk, choices=[proposal.pk], age_declared=True
    )


def test_it_refuses_a_second_vote_after_the_account_is_deleted(campaign) -> None:
    first = UserFactory(email="dominique@example.org", commune_code="62498")
    _vote(first, campaign)
    flush_ballots(campaign)
    user_delete(user=first)
    again = UserFactory(email="dominique@example.org", commune_code="62498")
    with pytest.raises(BudgetError, match="déjà servi à voter .* chaque personne ne vote"):
        _vote(again, campaign, title="B")
    assert Ballot.objects.count() == 1 and not PendingBallot.objects.exists()
    # The digest says nothing of the ballot: no id, no date, a keyed hash of the address.
    assert {f.name for f in VoterDigest._meta.get_fields()} == {"id", "campaign", "digest"}
    assert "dominique" not in VoterDigest.objects.get().digest


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("camille.martin@gmail.com", "CamilleMartin+budget@gmail.com"),
        ("camille@example.org", "camille+deuxieme@example.org"),
    ],
)
def test_it_refuses_the_same_address_written_otherwise(campaign, first, second) -> None:
    _vote(UserFactory(email=first, commune_code="62498"), campaign)
    with pytest.raises(BudgetError, match="déjà servi à voter"):
        _vote(UserFactory(email=second, commune_code="62498"), campaign)
    assert PendingBallot.objects.count() == 1


def test_it_checks_every_verified_address_of_the_account(campaign) -> None:
    _vote(UserFactory(email="sam@example.org", commune_code="62498"), campaign)
    other = UserFactory(email="sam.pro@example.net", commune_code="62498")
    EmailAddress.objects.create(user=other, email="sam+pro@example.org", verified=True)
    with pytest.raises(BudgetError, match="déjà servi à voter"):
        _vote(other, campaign)
    EmailAddress.objects.filter(email="sam+pro@example.org").update(verified=False)
    _vote(other, campaign)  # an unverified address proves nothing, and blocks nothing


def test_it_still_lets_the_voter_change_and_vote_in_another_envelope(territory) -> None:
    campaign = make_campaign(
        phase="vote",
        envelopes=[
            EnvelopeSpec(name="Petits projets", budget=50_000),
            EnvelopeSpec(name="Grands projets", budget=50_000),
        ],
    )
    small, large = campaign.envelopes.order_by("position")
    a = make_proposal(campaign, title="A", envelope=small)
    b = make_proposal(campaign, title="B", envelope=large)
    user = UserFactory(email="lou@example.org", commune_code="62498")
    services.ballot_cast(user=user, envelope_id=small.pk, choices=[a.pk], age_declared=True)
    receipt = services.ballot_cast(
        user=user, envelope_id=small.pk, choices=[a.pk], age_declared=True
    )
    assert receipt.changed
    services.ballot_cast(user=user, envelope_id=large.pk, choices=[b.pk], age_declared=True)
    assert VoterDigest.objects.count() == 2


def test_it_says_on_the_campaign_page_that_one_person_votes_once(client, campaign) -> None:
    for name in ("budget:campaign", "budget:vote"):
        page = html.unescape(client.get(reverse(name, args=[campaign.slug])).content.decode())
        assert "Chaque personne ne vote qu'une fois, avec une seule adresse" in page


def test_it_shows_the_refusal_in_french_on_the_ballot_page(client, campaign) -> None:
    _vote(UserFactory(email="noa@example.org", commune_code="62498"), campaign)
    again = UserFactory(email="noa+2@example.org", commune_code="62498")
    client.force_login(again)
    envelope = campaign.envelopes.get()
    url = reverse("budget:vote_ballot", args=[campaign.slug, envelope.pk])
    a = campaign.proposals.get(title="A")
    response = client.post(url, {"projets": [a.pk], "action": "confirmer", "age_declared": "on"})
    assert response.status_code == 200
    assert "déjà servi à voter" in response.content.decode()
