"""Personal-data section of citizen panels (see ``accounts.personal_data``): a volunteer's
registrations in panels' pools, with the features they declared, their consents, and whether
they were drawn (with their own probability, which only they may see)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.cooperation.models import PanelMember, Volunteer


def _probability(member: PanelMember) -> float | None:
    probabilities = member.draw.probabilities
    if 1 <= member.row <= len(probabilities):
        return probabilities[member.row - 1]
    return None


def export_volunteerings(user: User) -> list[dict[str, Any]]:
    volunteers = (
        Volunteer.objects.filter(user=user)
        .select_related("panel")
        .prefetch_related("selections__draw")
        .order_by("created_at", "pk")
    )
    return [
        {
            "panel": v.panel.title,
            "registered_at": v.created_at.isoformat(),
            "features": dict(v.features),
            "consent_draw": v.consent_draw,
            "consent_contact": v.consent_contact,
            "consent_name": v.consent_name,
            "withdrawn_at": v.withdrawn_at.isoformat() if v.withdrawn_at else None,
            "selections": [
                {
                    "drawn_at": m.draw.drawn_at.isoformat() if m.draw.drawn_at else None,
                    "status": m.get_status_display(),
                    "probability": _probability(m),
                    "replaces_someone": m.replaces_id is not None,
                    "answered_at": m.answered_at.isoformat() if m.answered_at else None,
                }
                for m in v.selections.all()
            ],
        }
        for v in volunteers
    ]


def anonymise_volunteerings(user: User) -> None:
    """Registrations never drawn are deleted with their features; a person drawn stays in the
    draw's record (the published register must still add up), detached from the account and
    without features, name or contact consent."""
    with transaction.atomic():
        Volunteer.objects.filter(user=user, selections__isnull=True).delete()
        Volunteer.objects.filter(user=user).update(
            user=None, features={}, consent_contact=False, consent_name=False
        )


personal_data.register(
    key="cooperation_panels",
    label="Panels citoyens : inscriptions au tirage au sort",
    export=export_volunteerings,
    on_delete=(
        "Vos inscriptions aux viviers sont supprimées avec les caractéristiques déclarées ; si "
        "vous avez été tiré·e au sort, le tirage garde une ligne anonyme (sans nom ni "
        "caractéristiques liées à vous) pour rester vérifiable."
    ),
    anonymise=anonymise_volunteerings,
)
