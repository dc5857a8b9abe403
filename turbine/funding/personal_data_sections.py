"""What the funding catalogue holds about a person (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.funding.models import Alert, LocalNote, PartnerSearch


def export_alerts(user: User) -> list[dict[str, Any]]:
    """Alerts need no account: those sent to the account's address are the person's."""
    return [
        {
            "email": a.email,
            "search": a.query,
            "frequency": a.frequency,
            "followed_aids": [aid.pk for aid in a.followed_aids.all()],
            "created_at": a.created_at.isoformat(),
            "confirmed_at": a.confirmed_at.isoformat() if a.confirmed_at else None,
            "unsubscribed_at": a.unsubscribed_at.isoformat() if a.unsubscribed_at else None,
        }
        for a in Alert.objects.filter(email__iexact=user.email).prefetch_related("followed_aids")
    ]


def delete_alerts(user: User) -> None:
    Alert.objects.filter(email__iexact=user.email).delete()


def export_partner_searches(user: User) -> list[dict[str, Any]]:
    return [
        {
            "aid": s.aid_id,
            "aid_title": s.aid.title,
            "organisation": s.organisation,
            "looking_for": s.looking_for,
            "created_at": s.created_at.isoformat(),
            "closed_at": s.closed_at.isoformat() if s.closed_at else None,
        }
        for s in PartnerSearch.objects.filter(author=user).select_related("aid")
    ]


def export_notes(user: User) -> list[dict[str, Any]]:
    return [
        {
            "aid": n.aid_id,
            "text": n.text,
            "visibility": n.visibility,
            "created_at": n.created_at.isoformat(),
        }
        for n in LocalNote.objects.filter(author=user)
    ]


personal_data.register(
    key="funding_alerts",
    label="Alertes sur les aides envoyées à votre adresse",
    export=export_alerts,
    on_delete="Supprimées avec le compte.",
    anonymise=delete_alerts,
)
personal_data.register(
    key="funding_partner_searches",
    label="Recherches de partenaires pour des appels à projets",
    export=export_partner_searches,
    on_delete="Supprimées avec le compte.",
)
personal_data.register(
    key="funding_notes",
    label="Notes locales sur les aides (équipe)",
    export=export_notes,
    on_delete="Conservées sans votre nom : elles informent le territoire.",
)
