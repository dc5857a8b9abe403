"""Proposals: submission during the submission phase, feasibility review by staff."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from turbine.budget import services
from turbine.budget.models import ProposalStatus, StaffAction
from turbine.budget.services import BudgetError, NotEligibleError
from turbine.budget.tests.factories import make_campaign, make_proposal
from turbine.core.exceptions import PermissionDeniedError, ThrottledError
from turbine.core.models import Theme
from turbine.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_it_submits_a_proposal_during_the_submission_phase(territory, alice) -> None:
    campaign = make_campaign(phase="depot")
    proposal = services.proposal_submit(
        user=alice,
        campaign=campaign,
        title="  Vélos partagés  ",
        description="Des vélos pour tous.",
        estimated_cost=25_000,
        commune=Commune.objects.get(code="62498"),
        themes=Theme.objects.filter(slug="mobilite"),
    )
    assert proposal.title == "Vélos partagés"
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.envelope == campaign.envelopes.get()
    assert [t.slug for t in proposal.themes.all()] == ["mobilite"]


def test_it_refuses_a_proposal_outside_the_submission_phase(territory, alice) -> None:
    campaign = make_campaign(phase="vote")
    with pytest.raises(BudgetError, match="pas ouvert"):
        services.proposal_submit(
            user=alice, campaign=campaign, title="X", description="Y", estimated_cost=10
        )


def test_it_refuses_unverified_or_non_resident_authors(territory, alice, bruno) -> None:
    campaign = make_campaign(phase="depot")
    with pytest.raises(NotEligibleError, match="commune de résidence"):
        services.proposal_submit(
            user=bruno, campaign=campaign, title="X", description="Y", estimated_cost=10
        )
    EmailAddress.objects.filter(user=alice).update(verified=False)
    with pytest.raises(NotEligibleError, match="Confirmez"):
        services.proposal_submit(
            user=alice, campaign=campaign, title="X", description="Y", estimated_cost=10
        )


def test_it_refuses_a_cost_above_the_budget(territory, alice) -> None:
    campaign = make_campaign(phase="depot", total_budget=1000)
    with pytest.raises(BudgetError) as error:
        services.proposal_submit(
            user=alice, campaign=campaign, title="X", description="Y", estimated_cost=5000
        )
    assert error.value.field == "estimated_cost"


def test_it_reviews_a_proposal_and_logs_the_decision(territory, alice, bruno) -> None:
    campaign = make_campaign(phase="faisabilite")
    proposal = make_proposal(campaign, status=ProposalStatus.SUBMITTED, author=alice)
    services.proposal_review(
        actor=bruno, proposal_id=proposal.pk, decision="recevable", revised_cost=12_500
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADMISSIBLE
    assert proposal.cost == Decimal(12_500)
    log = StaffAction.objects.get()
    assert (log.actor, log.action, log.proposal) == (bruno, "decision:recevable", proposal)


def test_it_requires_a_public_reason_to_refuse(territory, bruno) -> None:
    campaign = make_campaign(phase="faisabilite")
    proposal = make_proposal(campaign, status=ProposalStatus.SUBMITTED)
    with pytest.raises(BudgetError, match="motif"):
        services.proposal_review(actor=bruno, proposal_id=proposal.pk, decision="non_recevable")
    services.proposal_review(
        actor=bruno,
        proposal_id=proposal.pk,
        decision="non_recevable",
        public_reason="Relève de la compétence de l'État.",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INADMISSIBLE


def test_it_refuses_reviews_by_non_staff(territory, alice) -> None:
    campaign = make_campaign(phase="faisabilite")
    proposal = make_proposal(campaign, status=ProposalStatus.SUBMITTED)
    with pytest.raises(PermissionDeniedError):
        services.proposal_review(actor=alice, proposal_id=proposal.pk, decision="recevable")


def test_it_merges_duplicates_and_tells_both_authors(
    territory, alice, chloe, bruno, django_capture_on_commit_callbacks
) -> None:
    campaign = make_campaign(phase="faisabilite")
    kept = make_proposal(campaign, title="Composteurs", author=chloe)
    duplicate = make_proposal(
        campaign, title="Compost collectif", author=alice, status=ProposalStatus.SUBMITTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_review(
            actor=bruno, proposal_id=duplicate.pk, decision="fusionnee", merge_into_id=kept.pk
        )
    duplicate.refresh_from_db()
    assert duplicate.status == ProposalStatus.MERGED
    assert duplicate.merged_into == kept
    assert "Composteurs" in duplicate.public_reason
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "chloe@example.org"]
    assert all("fusionnée" in m.subject for m in mail.outbox)


def test_it_closes_reviews_when_the_vote_opens(territory, bruno) -> None:
    campaign = make_campaign(phase="vote")
    proposal = make_proposal(campaign, status=ProposalStatus.SUBMITTED)
    with pytest.raises(BudgetError, match="closes"):
        services.proposal_review(actor=bruno, proposal_id=proposal.pk, decision="recevable")


def test_it_follows_a_funded_project_to_completion(territory, alice, bruno) -> None:
    campaign = make_campaign(phase="resultats")
    funded = make_proposal(campaign, status=ProposalStatus.FUNDED)
    other = make_proposal(campaign, status=ProposalStatus.NOT_FUNDED)
    with pytest.raises(PermissionDeniedError):
        services.proposal_progress(actor=alice, proposal_id=funded.pk, status="en_travaux", note="")
    with pytest.raises(BudgetError, match="lauréat"):
        services.proposal_progress(actor=bruno, proposal_id=other.pk, status="en_travaux", note="")
    services.proposal_progress(
        actor=bruno, proposal_id=funded.pk, status="en_travaux", note="Chantier en mars."
    )
    services.proposal_progress(
        actor=bruno, proposal_id=funded.pk, status="realisee", note="Inauguré."
    )
    funded.refresh_from_db()
    assert (funded.status, funded.progress_note) == (ProposalStatus.DONE, "Inauguré.")
    # The funded proposal has become a public project of the projects app, at the same stage.
    project = funded.realisation_project
    assert project is not None and project.is_public
    assert (project.title, project.stage, project.budget_total) == (funded.title, "realise", 10_000)
    assert [c.code for c in project.communes.all()] == ["62498"]
    assert list(StaffAction.objects.values_list("action", flat=True)) == [
        "realisation:realisee",
        "realisation:en_travaux",
    ]


def test_it_puts_proposals_in_the_site_search(territory, alice, bruno) -> None:
    from turbine.core import search

    campaign = make_campaign(phase="depot")
    proposal = services.proposal_submit(
        user=alice, campaign=campaign, title="Ruches communales", description="Des abeilles.",
        estimated_cost=3000, commune=Commune.objects.get(code="62498"),
    )  # fmt: skip
    page = search.search("ruche", kinds=["budget_proposal"])
    assert [h.url for h in page.hits] == [proposal.get_absolute_url()]
    assert "Déposée" in page.hits[0].excerpt
    services.proposal_review(actor=bruno, proposal_id=proposal.pk, decision="recevable")
    assert "Recevable" in search.search("ruche", kinds=["budget_proposal"]).hits[0].excerpt


def test_it_tells_the_author_the_feasibility_decision_once(
    territory, alice, bruno, django_capture_on_commit_callbacks
) -> None:
    campaign = make_campaign(phase="faisabilite")
    proposal = make_proposal(campaign, status=ProposalStatus.SUBMITTED, author=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_review(
            actor=bruno,
            proposal_id=proposal.pk,
            decision="non_recevable",
            public_reason="Hors budget.",
        )
        services.proposal_review(
            actor=bruno,
            proposal_id=proposal.pk,
            decision="non_recevable",
            public_reason="Hors budget !",
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Turbine] Votre idée n'est pas recevable"
    assert "Motif : Hors budget." in mail.outbox[0].body


def test_it_throttles_proposals_per_ip_address(territory, alice, client, monkeypatch) -> None:
    monkeypatch.setattr(services.proposals, "PROPOSALS_PER_IP_PER_HOUR", 1)
    campaign = make_campaign(phase="depot")
    commune = Commune.objects.get(code="62498")
    services.proposal_submit(
        user=alice,
        campaign=campaign,
        title="Un",
        description="Y",
        estimated_cost=10,
        commune=commune,
        client_ip="192.0.2.1",
    )
    with pytest.raises(ThrottledError, match="Trop d'envois"):
        services.proposal_submit(
            user=alice,
            campaign=campaign,
            title="Deux",
            description="Y",
            estimated_cost=10,
            commune=commune,
            client_ip="192.0.2.1",
        )
    assert campaign.proposals.count() == 1
