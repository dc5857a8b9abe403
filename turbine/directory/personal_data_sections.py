"""What the directory holds about a person (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.directory.models import Introduction, Membership, NeedOffer, PersonProfile, Report


def export_profile(user: User) -> dict[str, Any] | None:
    profile = PersonProfile.objects.filter(user=user).prefetch_related("themes", "networks").first()
    if profile is None:
        return None
    return {
        "know_how": profile.know_how,
        "can_help_with": profile.can_help_with,
        "themes": [t.slug for t in profile.themes.all()],
        "networks": [n.slug for n in profile.networks.all()],
        "updated_at": profile.updated_at.isoformat(),
    }


def export_memberships(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "organisation_id": m.organisation_id,
            "role": m.role,
            "status": m.status,
            "message": m.message,
            "created_at": m.created_at.isoformat(),
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]


def export_reports(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind,
            "object_id": r.object_id,
            "title": r.title,
            "reason": r.reason,
            "status": r.status,
            "created_at": r.created_at.isoformat(),
        }
        for r in Report.objects.filter(reporter=user)
    ]


def anonymise_reports(user: User) -> None:
    Report.objects.filter(handled_by=user).update(handled_by=None)


personal_data.register(
    key="directory_profile",
    label="Profil d'annuaire (savoir-faire, thèmes, réseaux)",
    export=export_profile,
    on_delete="Supprimé : votre profil d'annuaire (savoir-faire, aide proposée, thèmes, réseaux).",
)
personal_data.register(
    key="directory_memberships",
    label="Organisations dont vous êtes membre",
    export=export_memberships,
    on_delete=(
        "Supprimées : vos adhésions et demandes d'adhésion. Les fiches des organisations "
        "restent, sans votre nom."
    ),
)
personal_data.register(
    key="directory_reports",
    label="Signalements de contenu",
    export=export_reports,
    on_delete=("Anonymisés : vos signalements restent dans la file de modération, sans votre nom."),
    anonymise=anonymise_reports,
)


def export_needs_offers(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": n.pk,
            "direction": n.direction,
            "kind": n.kind,
            "title": n.title,
            "description": n.description,
            "expires_on": n.expires_on.isoformat(),
            "is_closed": n.is_closed,
        }
        for n in NeedOffer.objects.filter(author=user).order_by("id")
    ]


def export_introductions(user: User) -> list[dict[str, Any]]:
    return [
        {
            "role": "requester" if i.requester_id == user.pk else "recipient",
            "target": i.target_title,
            "subject": i.subject_title,
            "message": i.message if i.requester_id == user.pk else "",
            "status": i.status,
            "created_at": i.created_at.isoformat(),
        }
        for i in Introduction.objects.filter(Q(requester=user) | Q(recipient=user)).order_by("id")
    ]


def anonymise_introductions(user: User) -> None:
    """Introductions stay counted (cooperation indicators) without naming the person; their
    own messages are erased."""
    Introduction.objects.filter(requester=user).update(requester=None, message="")
    Introduction.objects.filter(recipient=user).update(recipient=None)


personal_data.register(
    key="directory_needs_offers",
    label="Vos besoins et offres",
    export=export_needs_offers,
    on_delete="Supprimés : vos annonces « je cherche / je propose ».",
)
personal_data.register(
    key="directory_introductions",
    label="Vos mises en relation",
    export=export_introductions,
    on_delete=(
        "Anonymisées : les mises en relation restent comptées, sans votre nom ni vos messages."
    ),
    anonymise=anonymise_introductions,
)
