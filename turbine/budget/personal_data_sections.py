"""Personal-data sections of the participatory budget (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.budget.models import Proposal, VoterRecord
from turbine.budget.services import ballot_of


def export_proposals(user: User) -> list[dict[str, Any]]:
    return [
        {
            "campaign": p.campaign.title,
            "title": p.title,
            "description": p.description,
            "commune": p.commune.name if p.commune else None,
            "place": p.place,
            "estimated_cost": str(p.estimated_cost),
            "status": p.get_status_display(),
            "created_at": p.created_at.isoformat(),
        }
        for p in Proposal.objects.filter(author=user).select_related("campaign", "commune")
    ]


def export_votes(user: User) -> list[dict[str, Any]]:
    """The person's participation and, since only they can ask, their own choices while the
    vote is open (once it is sealed, nobody can find them any more)."""
    rows = []
    for record in VoterRecord.objects.filter(user=user).select_related("campaign", "envelope"):
        ballot = ballot_of(user=user, envelope=record.envelope)
        rows.append(
            {
                "campaign": record.campaign.title,
                "envelope": record.envelope.name,
                "voted_at": record.voted_at.isoformat(),
                "updated_at": record.updated_at.isoformat(),
                "choices": ballot.choices if ballot else None,
            }
        )
    return rows


def anonymise_votes(user: User) -> None:
    """The voter records go with the account; the ballots stay counted, untouched (changing
    them now would mark, in the database, which ballot was this person's), and can no longer be
    found: their token needs the account. The address digests stay, so that the same address
    cannot vote again in the campaign (see ``services.votes``)."""
    VoterRecord.objects.filter(user=user).delete()


personal_data.register(
    key="budget_proposals",
    label="Budget participatif : idées déposées",
    export=export_proposals,
    on_delete=(
        "Conservées sans votre nom : les idées déposées restent publiées, elles ne sont plus "
        "rattachées à votre compte."
    ),
)
personal_data.register(
    key="budget_votes",
    label="Budget participatif : votes",
    export=export_votes,
    on_delete=(
        "Supprimée : la trace de votre participation. Vos bulletins, anonymes, restent comptés "
        "et ne peuvent plus être reliés à vous."
    ),
    anonymise=anonymise_votes,
)
