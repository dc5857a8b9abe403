"""Study visits: offers and their dates, requests without an account with seats held
atomically, the host's answer, the visitor's personal link, reminders and feedback."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, ThrottledError, TurbineError
from turbine.core.throttle import throttle_exceeded
from turbine.directory.models import MemberRole, MembershipStatus, Organisation
from turbine.projects.selectors import public_projects
from turbine.showcase.models import (
    Language,
    VisitFeedback,
    VisitOffer,
    VisitorOrigin,
    VisitRequest,
    VisitRequestStatus,
    VisitSlot,
)
from turbine.showcase.models.visits import HOLDING
from turbine.showcase.search_showcase import VISIT, reindex_after_commit
from turbine.showcase.services._common import (
    clean_text,
    communes_checked,
    require,
    send_text_email,
    themes_checked,
)

SIGNING_SALT = "turbine.showcase.visit-request"
# How long a visitor's personal link works: long enough to come back after the visit.
TOKEN_MAX_AGE = timedelta(days=400)
REMINDER_BEFORE = timedelta(hours=48)
FEEDBACK_WINDOW = timedelta(days=14)
MAX_SLOTS_AHEAD = timedelta(days=2 * 365)
# Requests are made without an account: a connection may send this many an hour in all, and
# this many for the same visit (a school asking for two dates, a typo corrected).
REQUESTS_PER_IP_PER_HOUR = 10
REQUESTS_PER_IP_AND_OFFER_PER_HOUR = 3


def request_token(request: VisitRequest) -> str:
    return signing.dumps(request.pk, salt=SIGNING_SALT)


def personal_path(request: VisitRequest) -> str:
    return reverse("showcase:visit_request_personal", args=[request_token(request)])


def get_request_by_token(*, token: str) -> VisitRequest:
    """The request of a personal link; ``NotFoundError`` when the link is wrong or too old."""
    try:
        request_id = signing.loads((token or "")[:200], salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise NotFoundError("Ce lien de suivi n'est pas valide ou a expiré.") from None
    request = (
        VisitRequest.objects.select_related("slot__offer__host", "proposed_slot", "feedback")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFoundError("Ce lien de suivi n'est pas valide ou a expiré.")
    return request


# --- Offers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitOfferData:
    title: str
    host_id: int
    commune_code: str
    meeting_point: str
    description: str
    learnings: str
    languages: list[str]
    project_id: int | None = None
    accessibility: str = ""
    step_free: bool = False
    duration_minutes: int = 90
    theme_slugs: list[str] = field(default_factory=list)


def _check_offer(offer: VisitOffer, data: VisitOfferData, *, actor: User) -> None:
    host = Organisation.objects.filter(pk=data.host_id, is_hidden=False).first()
    if host is None:
        raise TurbineError("Cette structure n'existe pas.", field="host")
    if (
        not actor.has_perm("showcase.view_visit_figures")
        and not actor.memberships.filter(organisation=host, status=MembershipStatus.ACTIVE).exists()
    ):
        raise TurbineError(
            "Vous ne pouvez proposer une visite qu'au nom d'une structure dont vous êtes membre.",
            field="host",
        )
    offer.host = host
    offer.title = clean_text(data.title, field="title", max_length=200)
    offer.commune = communes_checked([data.commune_code])[0] if data.commune_code else None  # type: ignore[assignment]
    if offer.commune is None:
        raise TurbineError("Choisissez la commune de la visite.", field="commune")
    offer.meeting_point = clean_text(data.meeting_point, field="meeting_point", max_length=300)
    offer.description = clean_text(data.description, field="description", max_length=5000)
    offer.learnings = clean_text(data.learnings, field="learnings", max_length=3000)
    languages = list(dict.fromkeys(data.languages))
    if not languages or any(code not in Language.values for code in languages):
        raise TurbineError("Choisissez au moins une langue de visite.", field="languages")
    offer.languages = languages
    offer.accessibility = clean_text(
        data.accessibility, field="accessibility", max_length=500, required=False
    )
    offer.step_free = bool(data.step_free)
    if not 15 <= data.duration_minutes <= 600:
        raise TurbineError("Une visite dure de 15 minutes à 10 heures.", field="duration_minutes")
    offer.duration_minutes = data.duration_minutes
    offer.project = None
    if data.project_id is not None:
        offer.project = public_projects().filter(pk=data.project_id).first()
        if offer.project is None:
            raise TurbineError("Ce projet n'est pas public.", field="project")


def visit_offer_create(*, actor: User, data: VisitOfferData) -> VisitOffer:
    require(
        actor.has_perm("showcase.add_visit"),
        "Seuls les membres d'une structure proposent une visite.",
    )
    with transaction.atomic():
        offer = VisitOffer(created_by=actor)
        _check_offer(offer, data, actor=actor)
        offer.save()
        offer.themes.set(themes_checked(data.theme_slugs))
        reindex_after_commit(kind=VISIT, ids=[offer.pk])
    return offer


def get_offer_for_manage(*, user: User, offer_id: int) -> VisitOffer:
    offer = VisitOffer.objects.select_related("host", "commune").filter(pk=offer_id).first()
    if offer is None:
        raise NotFoundError("Visite introuvable.")
    require(
        user.has_perm("showcase.manage_visit", offer),
        "Seule la structure qui accueille gère cette visite.",
    )
    return offer


def visit_offer_update(*, actor: User, offer_id: int, data: VisitOfferData) -> VisitOffer:
    """The host (or staff) rewrites the offer. Its dates and the requests already made stay as
    they are; a language dropped here does not cancel a request already made in it."""
    with transaction.atomic():
        offer = get_offer_for_manage(user=actor, offer_id=offer_id)
        offer = VisitOffer.objects.select_for_update().get(pk=offer.pk)
        _check_offer(offer, data, actor=actor)
        offer.save(
            update_fields=[
                "host",
                "title",
                "commune",
                "meeting_point",
                "description",
                "learnings",
                "languages",
                "accessibility",
                "step_free",
                "duration_minutes",
                "project",
            ]
        )
        offer.themes.set(themes_checked(data.theme_slugs))
        reindex_after_commit(kind=VISIT, ids=[offer.pk])
    return offer


def visit_offer_publish_set(*, actor: User, offer_id: int, published: bool) -> VisitOffer:
    """The host hides the offer (it leaves the public list and takes no new request; the
    requests already made stay, and the host still answers them) or opens it again. An offer
    hidden by the moderation stays hidden when its host opens it again."""
    offer = get_offer_for_manage(user=actor, offer_id=offer_id)
    changed = VisitOffer.objects.filter(pk=offer.pk, is_published=not published).update(
        is_published=published
    )
    if not changed:
        raise TurbineError(
            "Cette visite est déjà ouverte aux demandes."
            if published
            else "Cette visite est déjà masquée."
        )
    offer.is_published = published
    reindex_after_commit(kind=VISIT, ids=[offer.pk])
    return offer


def visit_slot_add(*, actor: User, offer_id: int, start: datetime, capacity: int) -> VisitSlot:
    offer = get_offer_for_manage(user=actor, offer_id=offer_id)
    now = timezone.now()
    if start <= now:
        raise TurbineError("Choisissez une date à venir.", field="start")
    if start > now + MAX_SLOTS_AHEAD:
        raise TurbineError("Choisissez une date dans les deux ans.", field="start")
    if not 1 <= capacity <= 500:
        raise TurbineError("Le nombre de places va de 1 à 500.", field="capacity")
    return VisitSlot.objects.create(offer=offer, start=start, capacity=capacity)


# --- Requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitRequestData:
    slot_id: int
    contact_name: str
    email: str
    group_name: str
    origin: str
    group_size: int
    language: str
    country: str = "France"
    needs: str = ""
    message: str = ""


def _lock_slot(slot_id: int) -> VisitSlot:
    """The slot, locked until the transaction ends: two groups asking for the last seats at the
    same time are served one after the other, so ``reserved`` never passes ``capacity``."""
    slot = VisitSlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None:
        raise TurbineError("Cette date n'existe pas.", field="slot")
    return slot


def _hold(slot: VisitSlot, seats: int) -> None:
    """Must run inside the transaction holding the lock on ``slot``."""
    if seats > slot.capacity - slot.reserved:
        remaining = max(0, slot.capacity - slot.reserved)
        raise TurbineError(
            f"Il ne reste que {remaining} place(s) à cette date."
            if remaining
            else "Cette date est complète ; choisissez-en une autre.",
            field="group_size",
        )
    VisitSlot.objects.filter(pk=slot.pk).update(reserved=F("reserved") + seats)


def _release(slot_id: int, seats: int) -> None:
    slot = _lock_slot(slot_id)
    VisitSlot.objects.filter(pk=slot.pk).update(reserved=max(0, slot.reserved - seats))


def _host_emails(offer: VisitOffer) -> list[str]:
    emails = list(
        User.objects.filter(
            memberships__organisation_id=offer.host_id,
            memberships__status=MembershipStatus.ACTIVE,
            memberships__role=MemberRole.ADMIN,
            is_active=True,
        ).values_list("email", flat=True)
    )
    if offer.host.contact_email:
        emails.append(offer.host.contact_email)
    if offer.created_by_id and offer.created_by and offer.created_by.email not in emails:
        emails.append(offer.created_by.email)
    return list(dict.fromkeys(emails))


def _throttle_requests(*, offer_id: int, client_ip: str | None) -> None:
    """Counts one request from ``client_ip`` (None: not a web request, not counted); the
    refused attempts count too, so a robot retrying at once stays refused."""
    if client_ip is None:
        return
    per_ip = throttle_exceeded(
        f"showcase:visit-requests:ip:{client_ip}", limit=REQUESTS_PER_IP_PER_HOUR, window=3600
    )
    per_offer = throttle_exceeded(
        f"showcase:visit-requests:ip:{client_ip}:offer:{offer_id}",
        limit=REQUESTS_PER_IP_AND_OFFER_PER_HOUR,
        window=3600,
    )
    if per_offer:
        raise ThrottledError(
            _(
                "Vous avez déjà envoyé plusieurs demandes pour cette visite en peu de temps : "
                "réessayez dans une heure, ou répondez depuis votre lien personnel de suivi."
            )
        )
    if per_ip:
        raise ThrottledError(
            _(
                "Trop de demandes de visite depuis votre connexion en peu de temps : "
                "réessayez dans une heure."
            )
        )


def visit_request_create(
    *, offer_id: int, data: VisitRequestData, client_ip: str | None = None
) -> VisitRequest:
    """A group asks for a visit on one date, without an account: its seats are held at once
    (under a lock on the date) until the host confirms, declines or proposes another date.
    ``client_ip``, given by the page and the API, is throttled per connection and per visit."""
    offer = VisitOffer.objects.public().select_related("host").filter(pk=offer_id).first()
    if offer is None:
        raise NotFoundError("Visite introuvable.")
    _throttle_requests(offer_id=offer.pk, client_ip=client_ip)
    contact_name = clean_text(data.contact_name, field="contact_name", max_length=120)
    email = clean_text(data.email, field="email", max_length=254)
    if "@" not in email or " " in email:
        raise TurbineError("Adresse électronique invalide.", field="email")
    group_name = clean_text(data.group_name, field="group_name", max_length=200)
    if data.origin not in VisitorOrigin.values:
        raise TurbineError("Dites d'où vient le groupe.", field="origin")
    if not 1 <= data.group_size <= 500:
        raise TurbineError("Un groupe compte de 1 à 500 personnes.", field="group_size")
    if data.language not in offer.languages:
        raise TurbineError("Cette visite ne se fait pas dans cette langue.", field="language")
    country = clean_text(data.country, field="country", max_length=80)
    needs = clean_text(data.needs, field="needs", max_length=500, required=False)
    message = clean_text(data.message, field="message", max_length=2000, required=False)
    with transaction.atomic():
        slot = _lock_slot(data.slot_id)
        if slot.offer_id != offer.pk:
            raise TurbineError("Cette date n'appartient pas à cette visite.", field="slot")
        if slot.start <= timezone.now():
            raise TurbineError("Cette date est passée.", field="slot")
        _hold(slot, data.group_size)
        request = VisitRequest.objects.create(
            slot=slot,
            contact_name=contact_name,
            email=email,
            group_name=group_name,
            origin=data.origin,
            country=country,
            group_size=data.group_size,
            language=data.language,
            needs=needs,
            message=message,
        )
        context = {"request": request, "offer": offer, "slot": slot, "path": personal_path(request)}
        send_text_email(
            to=[email],
            subject=f"Votre demande de visite : {offer.title}",
            template="visit_requested",
            context=context,
        )
        send_text_email(
            to=_host_emails(offer),
            subject=f"Nouvelle demande de visite : {offer.title}",
            template="visit_request_host",
            context={**context, "manage_path": reverse("showcase:visit_manage", args=[offer.pk])},
        )
    return request


def visit_request_decide(
    *,
    actor: User,
    request_id: int,
    action: str,
    proposed_slot_id: int | None = None,
    note: str = "",
) -> VisitRequest:
    """The host confirms (the seats are already held), declines (they are freed), or proposes
    another date of the same visit (the seats move only when the visitor accepts)."""
    if action not in ("confirm", "decline", "propose"):
        raise TurbineError("Action inconnue.")
    note = clean_text(note, field="host_note", max_length=2000, required=False)
    with transaction.atomic():
        request = VisitRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            raise NotFoundError("Demande introuvable.")
        offer = get_offer_for_manage(user=actor, offer_id=request.slot.offer_id)
        if request.status not in (VisitRequestStatus.PENDING, VisitRequestStatus.CONFIRMED):
            raise TurbineError("Cette demande n'attend plus de réponse.")
        if action == "confirm":
            if request.status != VisitRequestStatus.PENDING:
                raise TurbineError("Cette demande est déjà confirmée.")
            request.status = VisitRequestStatus.CONFIRMED
        elif action == "decline":
            _release(request.slot_id, request.group_size)
            request.status = VisitRequestStatus.DECLINED
        else:
            proposed = VisitSlot.objects.filter(
                pk=proposed_slot_id or 0, offer=offer, start__gt=timezone.now()
            ).first()
            if proposed is None or proposed.pk == request.slot_id:
                raise TurbineError(
                    "Choisissez une autre date à venir de cette visite.", field="proposed_slot"
                )
            if proposed.remaining < request.group_size:
                raise TurbineError(
                    "Cette autre date n'a pas assez de places.", field="proposed_slot"
                )
            _release(request.slot_id, request.group_size)
            request.status, request.proposed_slot = VisitRequestStatus.PROPOSED, proposed
        request.host_note, request.decided_at = note, timezone.now()
        request.save(update_fields=["status", "proposed_slot", "host_note", "decided_at"])
        send_text_email(
            to=[request.email],
            subject=f"Réponse à votre demande de visite : {offer.title}",
            template="visit_decided",
            context={"request": request, "offer": offer, "path": personal_path(request)},
        )
    return request


def visit_request_answer_proposal(*, token: str, accept: bool) -> VisitRequest:
    """The visitor accepts the other date (its seats are then held, under the lock) or not."""
    found = get_request_by_token(token=token)
    with transaction.atomic():
        request = VisitRequest.objects.select_for_update().get(pk=found.pk)
        if request.status != VisitRequestStatus.PROPOSED or request.proposed_slot_id is None:
            raise TurbineError("Aucune autre date n'attend votre réponse.")
        if not accept:
            request.status = VisitRequestStatus.CANCELLED
            request.save(update_fields=["status"])
            return request
        slot = _lock_slot(request.proposed_slot_id)
        if slot.start <= timezone.now():
            raise TurbineError("Cette date est passée.")
        _hold(slot, request.group_size)
        request.slot, request.proposed_slot = slot, None
        request.status = VisitRequestStatus.CONFIRMED
        request.save(update_fields=["slot", "proposed_slot", "status"])
    return request


def visit_request_cancel(*, token: str) -> VisitRequest:
    found = get_request_by_token(token=token)
    with transaction.atomic():
        request = VisitRequest.objects.select_for_update().get(pk=found.pk)
        if request.status not in (*HOLDING, VisitRequestStatus.PROPOSED):
            raise TurbineError("Cette demande est déjà close.")
        if request.slot.start <= timezone.now():
            raise TurbineError("La visite a déjà eu lieu.")
        if request.holds_seats:
            _release(request.slot_id, request.group_size)
        request.status = VisitRequestStatus.CANCELLED
        request.save(update_fields=["status"])
    return request


def visit_feedback_give(*, token: str, rating: int, learned: str) -> VisitFeedback:
    request = get_request_by_token(token=token)
    if request.status != VisitRequestStatus.CONFIRMED or request.slot.start > timezone.now():
        raise TurbineError("Vous pourrez donner votre avis après la visite.")
    if not 1 <= rating <= 5:
        raise TurbineError("La note va de 1 à 5.", field="rating")
    learned = clean_text(learned, field="learned", max_length=2000)
    with transaction.atomic():
        feedback, created = VisitFeedback.objects.get_or_create(
            request=request, defaults={"rating": rating, "learned": learned}
        )
        if not created:
            raise TurbineError("Vous avez déjà donné votre avis sur cette visite, merci.")
    return feedback


def visit_reminders_send(*, now: datetime | None = None) -> tuple[int, int]:
    """Reminders 48 hours before a confirmed visit and, after it, the request for feedback:
    each sent once (claimed by a conditional UPDATE in the same transaction as the email).
    Returns (reminders, feedback requests)."""
    now = now or timezone.now()
    reminders = feedbacks = 0
    due = VisitRequest.objects.filter(
        status=VisitRequestStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        slot__start__gt=now,
        slot__start__lte=now + REMINDER_BEFORE,
    ).select_related("slot__offer")
    for request in due.iterator(chunk_size=500):
        with transaction.atomic():
            if VisitRequest.objects.filter(pk=request.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                send_text_email(
                    to=[request.email],
                    subject=f"Rappel : visite {request.slot.offer.title}",
                    template="visit_reminder",
                    context={
                        "request": request,
                        "offer": request.slot.offer,
                        "path": personal_path(request),
                    },
                )
                reminders += 1
    after = VisitRequest.objects.filter(
        status=VisitRequestStatus.CONFIRMED,
        feedback_asked_at__isnull=True,
        slot__start__lte=now,
        slot__start__gt=now - FEEDBACK_WINDOW,
    ).select_related("slot__offer")
    for request in after.iterator(chunk_size=500):
        with transaction.atomic():
            if VisitRequest.objects.filter(pk=request.pk, feedback_asked_at__isnull=True).update(
                feedback_asked_at=now
            ):
                send_text_email(
                    to=[request.email],
                    subject=f"Votre avis sur la visite {request.slot.offer.title}",
                    template="visit_feedback",
                    context={
                        "request": request,
                        "offer": request.slot.offer,
                        "path": personal_path(request),
                    },
                )
                feedbacks += 1
    return reminders, feedbacks
