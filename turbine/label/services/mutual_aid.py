"""The pôle d'entraide de l'ambition: a labelled or applying holder asks for a peer review of
its ambition, holders of other labelled projects volunteer, the exchange is recorded with its
outcome, shown publicly only when the holder agrees."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.label.models import (
    Application,
    ApplicationStatus,
    PeerMessage,
    PeerMessageKind,
    PeerOutcome,
    PeerRequest,
    PeerRequestStatus,
    PeerVolunteer,
)
from turbine.label.rules import is_application_holder
from turbine.label.selectors.label import current_label

ASKING_STATUSES = (
    ApplicationStatus.SELF_ASSESSMENT,
    ApplicationStatus.RETURNED,
    ApplicationStatus.REVIEW,
    ApplicationStatus.GRANTED,
    ApplicationStatus.CONFIRMED,
)


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise TurbineError(f"{label} contient un caractère invalide.", field=field)
    if required and not value:
        raise TurbineError(f"{label} est obligatoire.", field=field)
    if len(value) > max_length:
        raise TurbineError(f"{label} ne doit pas dépasser {max_length} caractères.", field=field)
    return value


def _locked_request(request_id: int) -> PeerRequest:
    request = (
        PeerRequest.objects.select_for_update(of=("self",))
        .select_related("application__project", "application__organisation")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFoundError("Cette demande d'entraide n'existe pas.")
    return request


def is_participant(user: User, request: PeerRequest) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_application_holder(user, request.application)
        or request.volunteers.filter(user=user).exists()
    )


def labelled_applications_of(user: User) -> list[Application]:
    """The user's applications holding a valid label (projects they may volunteer for)."""
    if not user.is_authenticated:
        return []
    candidates = Application.objects.filter(status__in=ApplicationStatus.labelled()).select_related(
        "project__holder_organisation", "organisation"
    )
    return [
        a
        for a in candidates[:500]
        if is_application_holder(user, a) and current_label(application_id=a.pk) is not None
    ]


@transaction.atomic
def peer_request_create(
    *, actor: User, application_id: int, question: str, public: bool, is_demo: bool = False
) -> PeerRequest:
    application = (
        Application.objects.select_related("project", "organisation")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFoundError("Cette candidature n'existe pas.")
    if not is_application_holder(actor, application):
        raise PermissionDeniedError("Seul le porteur demande un regard de pairs sur son ambition.")
    if application.status not in ASKING_STATUSES:
        raise TurbineError(
            "L'entraide s'ouvre aux projets labellisés ou en cours de candidature (engagements "
            "signés)."
        )
    question = _text(question, field="question", label="Votre question", max_length=5000)
    if PeerRequest.objects.filter(
        application=application, status__in=(PeerRequestStatus.OPEN, PeerRequestStatus.IN_PROGRESS)
    ).exists():
        raise TurbineError("Une demande d'entraide est déjà en cours pour ce projet.")
    return PeerRequest.objects.create(
        application=application,
        question=question,
        public=public,
        created_by=actor,
        is_demo=is_demo,
    )


@transaction.atomic
def peer_volunteer(*, actor: User, request_id: int) -> PeerVolunteer:
    """A holder of another labelled project volunteers."""
    request = _locked_request(request_id)
    if request.status == PeerRequestStatus.CLOSED:
        raise TurbineError("Cette demande d'entraide est close.")
    if is_application_holder(actor, request.application):
        raise TurbineError("Vous portez ce projet : invitez plutôt des pairs.")
    labelled = labelled_applications_of(actor)
    if not labelled:
        raise PermissionDeniedError(
            "Seuls les porteurs d'un projet labellisé se portent volontaires."
        )
    try:
        with transaction.atomic():
            volunteer = PeerVolunteer.objects.create(
                request=request, user=actor, application=labelled[0]
            )
    except IntegrityError:
        raise TurbineError("Vous êtes déjà volontaire pour cette demande.") from None
    if request.status == PeerRequestStatus.OPEN:
        request.status = PeerRequestStatus.IN_PROGRESS
        request.save(update_fields=["status"])
    return volunteer


@transaction.atomic
def peer_message_post(*, actor: User, request_id: int, kind: str, body: str) -> PeerMessage:
    request = _locked_request(request_id)
    if not is_participant(actor, request):
        raise PermissionDeniedError("Seuls le porteur et les pairs volontaires échangent ici.")
    if request.status == PeerRequestStatus.CLOSED:
        raise TurbineError("Cette demande d'entraide est close.")
    if kind not in PeerMessageKind.values:
        raise TurbineError("Choisissez : question ou réponse.", field="kind")
    body = _text(body, field="body", label="Le message", max_length=5000)
    return PeerMessage.objects.create(request=request, author=actor, kind=kind, body=body)


@transaction.atomic
def peer_meeting_set(
    *, actor: User, request_id: int, meeting_at: datetime.datetime, place: str
) -> PeerRequest:
    request = _locked_request(request_id)
    if not is_participant(actor, request):
        raise PermissionDeniedError(
            "Seuls le porteur et les pairs volontaires fixent la rencontre."
        )
    if request.status == PeerRequestStatus.CLOSED:
        raise TurbineError("Cette demande d'entraide est close.")
    if not 2000 <= meeting_at.year <= 2100:
        raise TurbineError("Choisissez une date plausible.", field="meeting_at")
    request.meeting_at = meeting_at
    request.meeting_place = _text(place, field="place", label="Le lieu", max_length=300)
    request.save(update_fields=["meeting_at", "meeting_place"])
    return request


@transaction.atomic
def peer_close(
    *, actor: User, request_id: int, outcome: str, reasons: str, public: bool
) -> PeerRequest:
    """The holder records the outcome: ambition kept, raised, or lowered (with its reasons)."""
    request = _locked_request(request_id)
    if not is_application_holder(actor, request.application):
        raise PermissionDeniedError("Seul le porteur clôt l'échange.")
    if request.status == PeerRequestStatus.CLOSED:
        raise TurbineError("Cette demande d'entraide est déjà close.")
    if not request.volunteers.exists():
        raise TurbineError("Aucun pair n'a encore participé : l'échange ne peut pas se clore.")
    if outcome not in PeerOutcome.values:
        raise TurbineError("Choisissez l'issue de l'échange.", field="outcome")
    reasons = _text(
        reasons,
        field="reasons",
        label="Les raisons",
        max_length=5000,
        required=outcome == PeerOutcome.LOWERED,
    )
    request.outcome = outcome
    request.outcome_reasons = reasons
    request.public = public
    request.status = PeerRequestStatus.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["outcome", "outcome_reasons", "public", "status", "closed_at"])
    return request
