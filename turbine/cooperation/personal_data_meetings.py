"""Personal-data section of meetings (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from turbine.accounts import personal_data
from turbine.accounts.models import User
from turbine.cooperation.models import ACTIVE_STATUSES, Registration
from turbine.cooperation.services.meetings import registration_cancel


def export_registrations(user: User) -> list[dict[str, Any]]:
    return [
        {
            "event": r.event.title,
            "start": r.event.start.isoformat(),
            "status": r.get_status_display(),
            "code": r.code,
            "registered_at": r.created_at.isoformat(),
            "attended_at": r.attended_at.isoformat() if r.attended_at else None,
            "age_band": r.get_age_band_display() if r.age_band else None,
            "agglomeration": r.agglomeration.name if r.agglomeration else None,
            "first_time": r.get_first_time_display() if r.first_time else None,
            "heard_via": r.get_heard_via_display() if r.heard_via else None,
            "feedback": {"rating": r.feedback.rating, "comment": r.feedback.comment}
            if hasattr(r, "feedback")
            else None,
        }
        for r in Registration.objects.filter(user=user)
        .select_related("event", "agglomeration", "feedback")
        .order_by("event__start")
    ]


def anonymise_registrations(user: User) -> None:
    """Upcoming registrations are cancelled (their places go to the waiting list); past ones
    stay counted as attendance, without name, address or declared information."""
    now = timezone.now()
    upcoming = Registration.objects.filter(
        user=user, status__in=ACTIVE_STATUSES, event__end__gt=now
    ).values_list("event_id", flat=True)
    for event_id in list(upcoming):
        registration_cancel(user=user, event_id=event_id)
    with transaction.atomic():
        for registration in Registration.objects.filter(user=user).only("pk"):
            Registration.objects.filter(pk=registration.pk).update(
                user=None,
                email=f"compte-supprime-{registration.pk}@invalid.invalid",
                name="",
                age_band="",
                agglomeration=None,
                first_time="",
                heard_via="",
            )


personal_data.register(
    key="cooperation_registrations",
    label="Rencontres : inscriptions",
    export=export_registrations,
    on_delete=(
        "Vos inscriptions à venir sont annulées (votre place revient à la liste d'attente) ; "
        "les rencontres passées gardent seulement le nombre de présents, sans votre nom."
    ),
    anonymise=anonymise_registrations,
)
