"""Tallies of the campaigns' ballots with the engine of :mod:`turbine.budget.engine`.

Pure reads and computation: the tally is computed once per envelope and rule when the results
are published (``turbine.budget.services.campaign_results_publish``, the only writer) and kept
in :class:`ResultSnapshot` (plain JSON), so that the results page and the API read a few rows
whatever the number of ballots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from turbine.budget.engine import Election, Project, fairness, tally
from turbine.budget.explanations import explain_outcome
from turbine.budget.models import (
    VOTABLE_STATUSES,
    Ballot,
    BallotType,
    Campaign,
    Envelope,
    Proposal,
)

RULE_LABELS = {
    "mes-completed": "Méthode des parts égales, complétée",
    "mes": "Méthode des parts égales",
    "greedy": "Les plus soutenus d'abord (glouton)",
}


def engine_ballot_type(campaign: Campaign) -> str:
    return "cumulative" if campaign.ballot_type == BallotType.CUMULATIVE else "approval"


@dataclass(frozen=True)
class EnvelopeElection:
    election: Election
    proposals: dict[str, Proposal]  # by project id
    votes: dict[str, int]  # supporters (approval) or points (cumulative), by project id


def envelope_proposals(envelope: Envelope) -> list[Proposal]:
    return list(
        Proposal.objects.filter(envelope=envelope, status__in=VOTABLE_STATUSES)
        .select_related("commune__agglomeration")
        .order_by("id")
    )


def ballots_iter(envelope: Envelope) -> Sequence[Any]:
    """Choices of every ballot of the envelope, in id order (random UUIDs: an anonymous order)."""
    return list(
        Ballot.objects.filter(envelope=envelope).order_by("id").values_list("choices", flat=True)
    )


def envelope_election(
    envelope: Envelope, *, meta: dict[str, str] | None = None
) -> EnvelopeElection:
    """The election of an envelope: its votable proposals and its anonymous ballots."""
    campaign = envelope.campaign
    proposals = envelope_proposals(envelope)
    pid_of = {p.pk: p.project_id for p in proposals}
    cumulative = campaign.ballot_type == BallotType.CUMULATIVE
    votes: Counter[str] = Counter()
    ballots: list[Any] = []
    ballot: Any
    for choices in ballots_iter(envelope):
        if cumulative:
            ballot = {pid_of[int(i)]: int(pts) for i, pts in choices if int(i) in pid_of}
            for pid, pts in ballot.items():
                votes[pid] += pts
        else:
            ballot = [pid_of[int(i)] for i in choices if int(i) in pid_of]
            votes.update(ballot)
        ballots.append(ballot)
    election = Election(
        projects=[Project(p.project_id, Fraction(p.cost), p.title) for p in proposals],
        ballots=ballots,
        budget=envelope.budget,
        ballot_type=engine_ballot_type(campaign),
        meta=meta,
    )
    return EnvelopeElection(
        election=election,
        proposals={p.project_id: p for p in proposals},
        votes=dict(votes),
    )


def _num(value: Fraction | int | Decimal) -> float | int:
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


def compute_envelope_result(envelope: Envelope, rule: str) -> dict[str, Any]:
    """Tally the envelope with ``rule``; a JSON-ready dict (see the results template)."""
    ee = envelope_election(envelope)
    result = tally(ee.election, rule=rule)
    figures = fairness(ee.election, result)
    projects: list[dict[str, Any]] = []
    per_agglomeration: dict[str, dict[str, Any]] = {}
    for pid, outcome in result.projects.items():
        proposal = ee.proposals[pid]
        agglo = (
            proposal.commune.agglomeration.name
            if proposal.commune and proposal.commune.agglomeration
            else "Sans commune précise"
        )
        row = per_agglomeration.setdefault(agglo, {"name": agglo, "funded": 0, "cost": 0})
        if outcome.selected:
            row["funded"] += 1
            row["cost"] += _num(outcome.cost)
        projects.append(
            {
                "id": pid,
                "proposal": proposal.pk,
                "title": proposal.title,
                "cost": _num(outcome.cost),
                "votes": ee.votes.get(pid, 0),
                "supporters": outcome.supporters,
                "selected": outcome.selected,
                "position": outcome.position,
                "explanation": explain_outcome(result, pid),
            }
        )
    projects.sort(key=lambda p: (not p["selected"], p["position"] or 0, -p["votes"], p["title"]))
    return {
        "rule": rule,
        "rule_label": RULE_LABELS[rule],
        "budget": _num(envelope.budget),
        "num_voters": result.num_voters,
        "selected": list(result.selected),
        "total_cost": _num(result.total_cost),
        "projects": projects,
        "fairness": {
            "voters_with_funded_project": figures.voters_with_funded_project,
            "share_voters_with_funded_project": float(figures.share_voters_with_funded_project),
            "spent": _num(figures.spent),
            "share_spent": float(figures.share_spent),
            "funded_count": len(result.selected),
        },
        "per_agglomeration": sorted(per_agglomeration.values(), key=lambda r: r["name"]),
    }
