"""What the guichet holds about a person (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.guichet.models import MentorOffer, SupportRequest


def export_requests(user: User) -> list[dict[str, Any]]:
    """The person's requests with what they and the advisors wrote to them (staff notes are
    the staff's working notes and are not part of the holder's data)."""
    requests = (
        SupportRequest.objects.filter(holder=user)
        .select_related("project")
        .prefetch_related("recommendations", "messages")
        .order_by("id")
    )
    return [
        {
            "id": r.pk,
            "project": r.project.title,
            "holder_type": r.holder_type,
            "structure_name": r.structure_name,
            "needs": r.need_list,
            "help_wanted": r.help_wanted,
            "actors_count": r.actors_count,
            "timing": r.timing,
            "wished_date": r.wished_date.isoformat() if r.wished_date else None,
            "social_urgency": r.social_urgency,
            "abandonment_risk": r.abandonment_risk,
            "consent_at": r.consent_at.isoformat(),
            "status": r.status,
            "outcome": r.outcome,
            "created_at": r.created_at.isoformat(),
            "recommendations": [
                {"kind": x.kind, "title": x.title, "status": x.status}
                for x in r.recommendations.all()
            ],
            "messages": [
                {
                    "from_me": m.author_id == user.pk,
                    "body": m.body,
                    "created_at": m.created_at.isoformat(),
                }
                for m in r.messages.all()
            ],
        }
        for r in requests
    ]


def export_mentor_offers(user: User) -> list[dict[str, Any]]:
    return [
        {"project_id": o.project_id, "message": o.message, "is_active": o.is_active}
        for o in MentorOffer.objects.filter(user=user).order_by("id")
    ]


def delete_guichet_data(user: User) -> None:
    SupportRequest.objects.filter(holder=user).delete()
    MentorOffer.objects.filter(user=user).delete()


personal_data.register(
    key="guichet_requests",
    label="Vos demandes au guichet unique",
    export=export_requests,
    on_delete=(
        "Supprimées : vos demandes, leurs recommandations, messages, notes et historique. Les "
        "messages que vous avez écrits comme conseiller restent, sans votre nom."
    ),
    anonymise=delete_guichet_data,
)

personal_data.register(
    key="guichet_mentor_offers",
    label="Vos propositions de parrainage",
    export=export_mentor_offers,
    on_delete="Supprimées.",
)
