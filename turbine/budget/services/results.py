"""Publication of a campaign's results: the only write of the results.

``campaign_results_publish`` tallies every envelope with every rule once the vote is closed,
stores the snapshots, records the outcome on the proposals (winners "lauréate", the others "non
retenue") and marks the campaign published, in one transaction. It runs from the scheduled task
on the results date (``publish_due_results``), from the staff button on the campaign's review
page and from ``manage.py publish_results``. The results page and the API only read what it
stored.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import formats, timezone

from turbine.accounts.models import User
from turbine.budget.models import Campaign, Proposal, ProposalStatus, ResultSnapshot
from turbine.budget.results import RULE_LABELS, compute_envelope_result
from turbine.budget.search_indexes import index_proposals
from turbine.budget.services.proposals import BudgetError, _log
from turbine.budget.services.votes import campaign_ballots_seal

#: Every rule the results page and the API can show: all are tallied at publication.
PUBLISHED_RULES = tuple(RULE_LABELS)


class ResultsAlreadyPublishedError(BudgetError):
    pass


def campaigns_results_due(*, today: date) -> list[Campaign]:
    """Campaigns whose results date has come and whose results are not published yet."""
    return list(
        Campaign.objects.filter(
            results_date__lte=today, results_published_at__isnull=True
        ).order_by("results_date", "pk")
    )


def campaign_results_publish(
    *, campaign_id: int, actor: User | None = None, today: date | None = None
) -> Campaign:
    """Tally and publish the results of the campaign (see the module's docstring).

    Refused while the vote is open, and once the results are published (they never change
    afterwards). ``actor`` is the staff member who asked, ``None`` for the scheduled task.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        try:
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        except Campaign.DoesNotExist:
            raise BudgetError("Cette campagne n'existe pas.") from None
        if campaign.results_published:
            published = formats.date_format(
                timezone.localtime(campaign.results_published_at), "j F Y"
            )
            raise ResultsAlreadyPublishedError(
                f"Les résultats de « {campaign.title} » sont déjà publiés (le {published})."
            )
        if today <= campaign.vote_end:
            end = formats.date_format(campaign.vote_end, "j F Y")
            raise BudgetError(
                f"Le vote de « {campaign.title} » est ouvert jusqu'au {end} inclus : les "
                "résultats ne peuvent être publiés qu'après sa clôture."
            )
        # Before any tally: every pending ballot in the box, the box shuffled, the key gone.
        campaign_ballots_seal(campaign_id=campaign.pk, today=today)
        envelopes = list(campaign.envelopes.all())
        for envelope in envelopes:
            envelope.campaign = campaign
        # A tally written before publication (an earlier version wrote them on the first visit)
        # is recomputed: ballots are final only now.
        ResultSnapshot.objects.filter(envelope__in=envelopes).delete()
        ballots = 0
        decided: list[int] = []
        for envelope in envelopes:
            for rule in PUBLISHED_RULES:
                data = compute_envelope_result(envelope, rule)
                ResultSnapshot.objects.create(
                    envelope=envelope, rule=rule, ballot_count=data["num_voters"], data=data
                )
                if rule != campaign.rule:
                    continue
                ballots += data["num_voters"]
                winners = [p["proposal"] for p in data["projects"] if p["selected"]]
                decided += [p["proposal"] for p in data["projects"]]
                admissible = Proposal.objects.filter(
                    envelope=envelope, status=ProposalStatus.ADMISSIBLE
                )
                admissible.filter(pk__in=winners).update(status=ProposalStatus.FUNDED)
                admissible.update(status=ProposalStatus.NOT_FUNDED)
        campaign.results_published_at = timezone.now()
        campaign.save(update_fields=["results_published_at"])
        _log(
            campaign=campaign,
            actor=actor,
            action="results_publish",
            envelopes=len(envelopes),
            ballots=ballots,
            by="staff" if actor is not None else "schedule",
        )
        index_proposals(ids=decided)
    return campaign


def results_publish_due(*, today: date | None = None) -> list[Campaign]:
    """Publish every campaign whose results date has come; returns the campaigns published."""
    today = today or timezone.localdate()
    published = []
    for campaign in campaigns_results_due(today=today):
        try:
            published.append(campaign_results_publish(campaign_id=campaign.pk, today=today))
        except ResultsAlreadyPublishedError:  # published meanwhile by staff
            continue
    return published
