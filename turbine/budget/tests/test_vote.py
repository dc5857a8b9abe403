"""The vote: eligibility, ballot rules, one ballot per person enforced by the database,
changing the ballot, secrecy and anonymisation on account deletion."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction

from turbine.accounts import personal_data
from turbine.budget import secrecy, services
from turbine.budget.models import Ballot, PendingBallot, VoterRecord
from turbine.budget.services import BudgetError, EnvelopeSpec, NotEligibleError
from turbine.budget.tests.factories import flush_ballots, make_campaign, make_proposal
from turbine.core.exceptions import TurbineError
from turbine.territory.models import Agglomeration

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(territory):
    campaign = make_campaign(phase="vote", ballot_type="approval", approval_min=1, approval_max=2)
    for i in range(3):
        make_proposal(campaign, title=f"Projet {i}", cost=30_000)
    return campaign


def ids(campaign) -> list[int]:
    return list(campaign.proposals.order_by("title").values_list("id", flat=True))


def test_it_records_a_ballot_apart_from_the_voter(campaign, alice) -> None:
    envelope = campaign.envelopes.get()
    receipt = services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[:2], age_declared=True
    )
    assert len(receipt.code) == 12 and not receipt.changed
    record = VoterRecord.objects.get()
    # Not in the voter's transaction: the ballot waits, sealed, for a shuffled batch.
    assert not Ballot.objects.exists()
    pending = PendingBallot.objects.get()
    assert "choices" not in pending.sealed and len(pending.sealed) > 1000  # sealed, padded
    flush_ballots(campaign)
    assert not PendingBallot.objects.exists()
    ballot = Ballot.objects.get()
    assert record.user == alice
    assert ballot.choices == sorted(ids(campaign)[:2])
    # Nothing in the ballot names the voter, nothing in the register says what they chose.
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert not ballot_fields & {"user", "voter", "created_at", "updated_at"}
    assert not {f.name for f in PendingBallot._meta.get_fields()} & {"user", "created_at"}
    assert not {f.name for f in VoterRecord._meta.get_fields()} & {"choices", "ballot"}


def test_it_replaces_the_ballot_when_the_voter_changes_their_mind(campaign, alice) -> None:
    envelope = campaign.envelopes.get()
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[:1], age_declared=True
    )
    receipt = services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[1:3], age_declared=True
    )
    assert receipt.changed
    # Changed while pending: still one pending ballot, the last choice.
    assert PendingBallot.objects.count() == 1
    assert services.ballot_of(user=alice, envelope=envelope).choices == ids(campaign)[1:3]
    flush_ballots(campaign)
    first_token = Ballot.objects.get().token_hash
    # Changed once in the box: the flush replaces the ballot, under a new token.
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[2:3], age_declared=True
    )
    assert Ballot.objects.get().choices == ids(campaign)[1:3]  # until the next flush
    assert services.ballot_of(user=alice, envelope=envelope).choices == ids(campaign)[2:3]
    flush_ballots(campaign)
    assert Ballot.objects.count() == 1 and VoterRecord.objects.count() == 1
    assert Ballot.objects.get().choices == ids(campaign)[2:3]
    assert Ballot.objects.get().token_hash != first_token
    assert VoterRecord.objects.get().changes == 2
    assert services.ballot_of(user=alice, envelope=envelope).choices == ids(campaign)[2:3]


def test_it_enforces_one_voter_record_per_person_in_the_database(campaign, alice) -> None:
    envelope = campaign.envelopes.get()
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[:1], age_declared=True
    )
    flush_ballots(campaign)
    record = VoterRecord.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterRecord.objects.create(
            user=alice, campaign=campaign, envelope=envelope, receipt_hash="x",
            voted_at=record.voted_at, updated_at=record.updated_at,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            campaign=campaign, envelope=envelope, token_hash=Ballot.objects.get().token_hash
        )


@pytest.mark.parametrize(
    ("choices", "message"),
    [([], "au moins 1"), ("three", "au plus 2"), ([999_999], "pas soumis au vote")],
)
def test_it_checks_the_approval_ballot(campaign, alice, choices, message) -> None:
    envelope = campaign.envelopes.get()
    if choices == "three":
        choices = ids(campaign)
    with pytest.raises(BudgetError, match=message):
        services.ballot_cast(
            user=alice, envelope_id=envelope.pk, choices=choices, age_declared=True
        )
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()


def test_it_keeps_a_knapsack_ballot_within_the_envelope(territory, alice) -> None:
    campaign = make_campaign(phase="vote", ballot_type="knapsack", total_budget=50_000)
    a = make_proposal(campaign, title="A", cost=30_000)
    b = make_proposal(campaign, title="B", cost=25_000)
    envelope = campaign.envelopes.get()
    with pytest.raises(BudgetError, match="plus que l'enveloppe"):
        services.ballot_cast(
            user=alice, envelope_id=envelope.pk, choices=[a.pk, b.pk], age_declared=True
        )
    services.ballot_cast(user=alice, envelope_id=envelope.pk, choices=[b.pk], age_declared=True)
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == [b.pk]


def test_it_checks_the_points_of_a_cumulative_ballot(territory, alice) -> None:
    campaign = make_campaign(phase="vote", ballot_type="cumulative", cumulative_points=5)
    a = make_proposal(campaign, title="A")
    b = make_proposal(campaign, title="B")
    envelope = campaign.envelopes.get()
    with pytest.raises(BudgetError, match="5 au plus"):
        services.ballot_cast(
            user=alice,
            envelope_id=envelope.pk,
            choices={str(a.pk): 4, str(b.pk): 2},
            age_declared=True,
        )
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices={str(a.pk): 3, str(b.pk): 0}, age_declared=True
    )
    flush_ballots(campaign)
    assert Ballot.objects.get().choices == [[a.pk, 3]]


def test_it_checks_eligibility(campaign, alice, bruno) -> None:
    envelope = campaign.envelopes.get()
    choices = ids(campaign)[:1]
    with pytest.raises(NotEligibleError, match="ans"):
        services.ballot_cast(
            user=alice, envelope_id=envelope.pk, choices=choices, age_declared=False
        )
    with pytest.raises(NotEligibleError, match="commune"):
        services.ballot_cast(
            user=bruno, envelope_id=envelope.pk, choices=choices, age_declared=True
        )
    EmailAddress.objects.filter(user=alice).update(verified=False)
    with pytest.raises(NotEligibleError, match="Confirmez"):
        services.ballot_cast(
            user=alice, envelope_id=envelope.pk, choices=choices, age_declared=True
        )
    assert not Ballot.objects.exists() and not PendingBallot.objects.exists()


def test_it_refuses_votes_outside_the_vote_phase(territory, alice) -> None:
    campaign = make_campaign(phase="resultats")
    p = make_proposal(campaign)
    with pytest.raises(BudgetError, match="pas ouvert"):
        services.ballot_cast(
            user=alice, envelope_id=campaign.envelopes.get().pk, choices=[p.pk], age_declared=True
        )


def test_it_reserves_an_agglomeration_envelope_to_its_residents(territory, alice, chloe) -> None:
    lens = Agglomeration.objects.get(communes__code="62498")
    campaign = make_campaign(
        phase="vote",
        envelopes=[
            EnvelopeSpec(name="Lens-Liévin", budget=50_000, agglomeration=lens),
            EnvelopeSpec(name="Tout le territoire", budget=50_000),
        ],
    )
    local, wide = campaign.envelopes.order_by("position")
    p = make_proposal(campaign, envelope=local)
    assert services.voter_envelopes(user=alice, campaign=campaign) == [local, wide]
    assert services.voter_envelopes(user=chloe, campaign=campaign) == [wide]
    with pytest.raises(NotEligibleError, match="réservée"):
        services.ballot_cast(user=chloe, envelope_id=local.pk, choices=[p.pk], age_declared=True)
    services.ballot_cast(user=alice, envelope_id=local.pk, choices=[p.pk], age_declared=True)


def test_it_anonymises_votes_when_the_account_is_deleted(campaign, alice) -> None:
    envelope = campaign.envelopes.get()
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[:1], age_declared=True
    )
    flush_ballots(campaign)
    before = list(Ballot.objects.values_list("id", "token_hash", "choices"))
    # What accounts.services.user_delete runs before deleting the account.
    section = next(s for s in personal_data.sections() if s.key == "budget_votes")
    section.anonymise(alice)
    assert not VoterRecord.objects.exists()
    # The ballot is not touched (an update would mark it as the deleted person's) and stays
    # counted; the seal at the close of the vote removes its token.
    assert list(Ballot.objects.values_list("id", "token_hash", "choices")) == before


def test_it_exports_the_persons_own_votes_and_proposals(campaign, alice) -> None:
    envelope = campaign.envelopes.get()
    make_proposal(campaign, title="Mon idée", author=alice)
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[:1], age_declared=True
    )
    sections = {s.key: s for s in personal_data.sections()}
    votes = sections["budget_votes"].export(alice)
    assert votes[0]["envelope"] == envelope.name and votes[0]["choices"] == ids(campaign)[:1]
    assert [p["title"] for p in sections["budget_proposals"].export(alice)] == ["Mon idée"]


def test_it_does_not_depend_on_the_secret_key(campaign, alice, settings) -> None:
    envelope = campaign.envelopes.get()
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[:1], age_declared=True
    )
    flush_ballots(campaign)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[1:2], age_declared=True
    )
    flush_ballots(campaign)
    assert Ballot.objects.count() == 1 and Ballot.objects.get().choices == ids(campaign)[1:2]


def test_it_never_counts_a_voter_twice_if_the_key_is_lost(campaign, alice, chloe) -> None:
    envelope = campaign.envelopes.get()
    services.ballot_cast(
        user=alice, envelope_id=envelope.pk, choices=ids(campaign)[:1], age_declared=True
    )
    flush_ballots(campaign)
    secrecy.campaign_key_discard(campaign_id=campaign.pk)
    with pytest.raises(TurbineError, match="clé secrète du scrutin est introuvable"):
        services.ballot_cast(
            user=alice, envelope_id=envelope.pk, choices=ids(campaign)[1:2], age_declared=True
        )
    assert Ballot.objects.count() == 1 and Ballot.objects.get().choices == ids(campaign)[:1]
