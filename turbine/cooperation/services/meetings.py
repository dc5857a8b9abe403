"""Every write on meetings: events, registrations with their waiting list, attendance,
reminders.

Capacity is guarded by one lock: every change of who holds a place (registering, confirming an
email registration, cancelling, promoting, changing the capacity) first takes the event's row
with ``select_for_update`` inside ``atomic``, and counts places under it. Two requests racing for
the last place are serialised on that row, so the event is never overbooked and a waiting entry
is promoted once. The lock order is always event, then registration, so no deadlock.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation import meetings_ics
from turbine.cooperation.models import (
    ACTIVE_STATUSES,
    Event,
    EventFormat,
    Modality,
    Registration,
    RegistrationMode,
    RegistrationStatus,
    ReminderDelay,
    TimeSlot,
)
from turbine.cooperation.search_meetings import index_events
from turbine.cooperation.services.groups import can_hold_group_meetings, notify_offer_session
from turbine.core.email import send_after_commit
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.directory.models import MembershipStatus, Organisation
from turbine.territory.models import Agglomeration, Commune

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed on the day
CODE_LENGTH = 8
EVENING_HOUR = 18
MAX_DURATION = timedelta(days=14)


def time_slot_of(start: datetime) -> str:
    """Week-end for a Saturday or Sunday start, evening from 18:00 (Paris time), else weekday."""
    local = timezone.localtime(start)
    if local.weekday() >= 5:
        return TimeSlot.WEEKEND
    if local.hour >= EVENING_HOUR:
        return TimeSlot.EVENING
    return TimeSlot.WEEKDAY


def normalise_code(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())[:CODE_LENGTH]


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventData:
    title: str
    description: str
    format: str
    modality: str
    start: datetime
    end: datetime
    language: str = "fr"
    commune: Commune | None = None
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    step_free: bool = False
    hearing_loop: bool = False
    childcare: bool = False
    accessibility_notes: str = ""
    online_url: str = ""
    themes: tuple[Theme, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    person_is_organiser: bool = True
    registration_mode: str = RegistrationMode.PLATFORM
    external_registration_url: str = ""
    capacity: int | None = None
    reminders_enabled: bool = True
    reminder_hours: int = 24
    group: Any = None  # a WorkingGroup whose meeting this is
    know_how_offer: Any = None  # a KnowHowOffer this session teaches


def _check_event_data(*, actor: User, data: EventData) -> None:
    if data.end <= data.start:
        raise TurbineError("La fin doit venir après le début.", field="end")
    if data.end - data.start > MAX_DURATION:
        raise TurbineError("Une rencontre dure au plus 14 jours.", field="end")
    if data.modality != Modality.ONLINE and data.commune is None:
        raise TurbineError(
            "Indiquez la commune où se tient la rencontre (ou choisissez « En ligne »).",
            field="commune",
        )
    if data.registration_mode == RegistrationMode.ELSEWHERE and not data.external_registration_url:
        raise TurbineError(
            "Donnez l'adresse du site où l'on s'inscrit.", field="external_registration_url"
        )
    if (data.latitude is None) != (data.longitude is None):
        raise TurbineError(
            "Donnez la latitude et la longitude, ou aucune des deux.", field="latitude"
        )
    if not data.organisations and not data.person_is_organiser:
        raise TurbineError(
            "Une rencontre a au moins un organisateur : vous-même ou une organisation.",
            field="organisations",
        )
    if not actor.has_perm("cooperation.view_diversity_dashboard"):  # staff may pick any
        mine = set(
            actor.memberships.filter(status=MembershipStatus.ACTIVE).values_list(
                "organisation_id", flat=True
            )
        )
        if any(o.pk not in mine for o in data.organisations):
            raise PermissionDeniedError(
                "Vous ne pouvez associer que les organisations dont vous êtes membre."
            )


def _apply(event: Event, data: EventData, *, actor: User) -> None:
    for name in (
        "title",
        "description",
        "format",
        "modality",
        "start",
        "end",
        "language",
        "commune",
        "address",
        "latitude",
        "longitude",
        "step_free",
        "hearing_loop",
        "childcare",
        "accessibility_notes",
        "online_url",
        "registration_mode",
        "external_registration_url",
        "capacity",
        "reminders_enabled",
        "reminder_hours",
    ):
        setattr(event, name, getattr(data, name))
    if event.modality == Modality.ONLINE:
        event.commune, event.address, event.latitude, event.longitude = None, "", None, None
    if event.registration_mode != RegistrationMode.ELSEWHERE:
        event.external_registration_url = ""
    event.time_slot = time_slot_of(event.start)


def _reindex(event_id: int) -> None:

    transaction.on_commit(lambda: index_events(ids=[event_id]))


def _check_links(*, actor: User, data: EventData) -> None:
    """A group's meeting is held by its members once the group crosses networks; a peer
    teaching session by the person who offers the know-how (or staff)."""
    staff = actor.has_perm("cooperation.view_diversity_dashboard")
    if (
        data.group is not None
        and not staff
        and not can_hold_group_meetings(user=actor, group=data.group)
    ):
        raise PermissionDeniedError(
            "Seuls les membres d'un groupe qui croise au moins deux réseaux y rattachent une "
            "rencontre."
        )
    if data.know_how_offer is not None:
        if not staff and data.know_how_offer.offered_by_id != actor.pk:
            raise PermissionDeniedError(
                "Seule la personne qui propose ce savoir-faire en programme une session."
            )
        if data.format != EventFormat.PEER_TRAINING:
            raise TurbineError(
                "Une session de savoir-faire est une rencontre « Formation entre pairs ».",
                field="format",
            )


def event_create(*, actor: User, data: EventData) -> Event:
    """Staff and members of organisations propose meetings; so do members of a working group
    (its meetings) and the person offering a know-how (its sessions)."""
    linked = data.group is not None or data.know_how_offer is not None
    if not linked and not actor.has_perm("cooperation.add_event"):
        raise PermissionDeniedError(
            "Seules l'équipe de la Turbine et les membres d'une organisation de l'annuaire "
            "peuvent proposer une rencontre."
        )
    _check_links(actor=actor, data=data)
    _check_event_data(actor=actor, data=data)
    with transaction.atomic():
        event = Event(created_by=actor, group=data.group, know_how_offer=data.know_how_offer)
        _apply(event, data, actor=actor)
        event.organiser_person = actor if data.person_is_organiser else None
        event.full_clean(exclude=["organiser_person", "created_by", "commune"])
        event.save()
        event.themes.set(data.themes)
        event.organisations.set(data.organisations)
        if event.know_how_offer_id is not None:
            notify_offer_session(event_id=event.pk)
        _reindex(event.pk)
    return event


def event_update(*, actor: User, event_id: int, data: EventData) -> Event:
    """Edits the event; a larger capacity promotes waiting entries at once (under the lock)."""
    with transaction.atomic():
        # Locked: the capacity may change, and places are counted under this lock.
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            raise NotFoundError("Cette rencontre n'existe pas.")
        if not actor.has_perm("cooperation.change_event", event):
            raise PermissionDeniedError("Vous ne pouvez pas modifier cette rencontre.")
        _check_event_data(actor=actor, data=data)
        was_person = event.organiser_person_id is not None
        _apply(event, data, actor=actor)
        if data.person_is_organiser and not was_person:
            event.organiser_person = actor
        elif not data.person_is_organiser:
            event.organiser_person = None
        event.full_clean(exclude=["organiser_person", "created_by", "commune"])
        if event.capacity is not None:
            held = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
            if event.capacity < held:
                raise TurbineError(
                    f"{held} personnes sont déjà inscrites : la capacité ne peut pas descendre "
                    "en dessous.",
                    field="capacity",
                )
        event.save()
        event.themes.set(data.themes)
        event.organisations.set(data.organisations)
        _promote(event, now=timezone.now())
        _reindex(event.pk)
    return event


# --- Registrations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """Optional, declared-only information, used in aggregate."""

    age_band: str = ""
    agglomeration: Agglomeration | None = None
    first_time: str = ""
    heard_via: str = ""


def _registrable(event: Event, *, now: datetime) -> None:
    if event.is_hidden:
        raise NotFoundError("Cette rencontre n'existe pas.")
    if event.registration_mode == RegistrationMode.ELSEWHERE:
        raise TurbineError("L'inscription à cette rencontre se fait sur un autre site.")
    if event.registration_mode == RegistrationMode.NONE:
        raise TurbineError("Cette rencontre est en entrée libre : pas besoin de s'inscrire.")
    if event.start <= now:
        raise TurbineError("Cette rencontre a déjà commencé : les inscriptions sont closes.")


def _assign_place(event: Event, registration: Registration, *, now: datetime) -> None:
    """Registered if a place is free, else at the end of the waiting list.

    Must be called inside a transaction holding the lock on ``event``."""
    held = (
        Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()
        if event.capacity is not None
        else 0
    )
    registration.confirmed_at = registration.confirmed_at or now
    if event.capacity is None or held < event.capacity:
        registration.status = RegistrationStatus.REGISTERED
    else:
        registration.status = RegistrationStatus.WAITING
        registration.queued_at = now


def _lock_event(event_id: int) -> Event:
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("commune")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise NotFoundError("Cette rencontre n'existe pas.")
    return event


def registration_create(
    *,
    event_id: int,
    user: User | None = None,
    email: str = "",
    name: str = "",
    declared: Declared | None = None,
) -> Registration:
    """A signed-in person registers at once; someone without an account gives an email address
    and gets a confirmation link (double opt-in) before holding or awaiting a place.

    Without an account, asking again for a live registration sends the personal link again,
    whatever its state, so that the page never tells whether an address is registered."""
    declared = declared or Declared()
    account = user if user is not None and user.is_authenticated else None
    signed_in = account is not None
    address = (account.email if account is not None else email).strip().lower()
    if not address:
        raise TurbineError("Indiquez votre adresse électronique.", field="email")
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        # Locked: places are counted under the event's row lock (see the module docstring).
        event = _lock_event(event_id)
        # Read the clock under the lock: the waiting list's order is the order of the lock.
        now = timezone.now()
        _registrable(event, now=now)
        existing = (
            Registration.objects.select_for_update()
            .filter(event=event, email=address, status__in=ACTIVE_STATUSES)
            .first()
        )
        if existing is not None:
            if signed_in:
                raise TurbineError("Vous êtes déjà inscrit·e à cette rencontre.")
            existing.token_digest = token_digest(token)
            existing.save(update_fields=["token_digest"])
            _notify_link(existing, token=token)
            return existing
        registration = Registration(
            event=event,
            user=account,
            email=address,
            name=(account.display_name if account is not None else name.strip())[:120],
            code=_new_code(),
            token_digest=token_digest(token),
            age_band=declared.age_band,
            agglomeration=declared.agglomeration,
            first_time=declared.first_time,
            heard_via=declared.heard_via,
        )
        if signed_in:
            _assign_place(event, registration, now=now)
        else:
            registration.status = RegistrationStatus.PENDING
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # The same address registered in a concurrent request that committed first.
            raise TurbineError("Cette adresse est déjà inscrite à cette rencontre.") from None
        if signed_in:
            _notify_place(registration, token=token)
        else:
            _send(registration, "confirm", token=token)
    return registration


def get_registration_by_token(*, token: str) -> Registration:
    if not token or len(token) > 100:
        raise NotFoundError("Ce lien n'est pas valide.")
    registration = (
        Registration.objects.select_related("event", "event__commune")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if registration is None:
        raise NotFoundError("Ce lien n'est pas valide ou a été remplacé par un plus récent.")
    return registration


def registration_confirm(*, token: str) -> Registration:
    """The double opt-in: the link of the confirmation email gives a place or a waiting rank.
    Confirming twice changes nothing."""
    found = get_registration_by_token(token=token)
    with transaction.atomic():
        event = _lock_event(found.event_id)
        now = timezone.now()  # under the lock, as in registration_create
        registration = Registration.objects.select_for_update().get(pk=found.pk)
        if registration.status != RegistrationStatus.PENDING:
            return registration
        _registrable(event, now=now)
        _assign_place(event, registration, now=now)
        registration.save(update_fields=["status", "confirmed_at", "queued_at"])
        registration.event = event
        _notify_place(registration, token=token)
    return registration


def _cancel(registration_id: int, *, event_id: int) -> Registration:
    """Must be called inside a transaction; takes the event lock, then the registration's."""
    event = _lock_event(event_id)
    now = timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if registration.status == RegistrationStatus.CANCELLED:
        raise TurbineError("Cette inscription est déjà annulée.")
    if event.end <= now:
        raise TurbineError("Cette rencontre est terminée.")
    freed = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    if freed:
        _promote(event, now=now)
    return registration


def registration_cancel(*, user: User, event_id: int) -> Registration:
    """The signed-in person cancels their registration; the oldest waiting entry is promoted."""
    if not user.is_authenticated:
        raise PermissionDeniedError("Connectez-vous pour annuler votre inscription.")
    registration = (
        Registration.objects.filter(event_id=event_id, user=user, status__in=ACTIVE_STATUSES)
        .only("pk")
        .first()
    )
    if registration is None:
        raise NotFoundError("Vous n'êtes pas inscrit·e à cette rencontre.")
    with transaction.atomic():
        return _cancel(registration.pk, event_id=event_id)


def registration_cancel_by_token(*, token: str) -> Registration:
    registration = get_registration_by_token(token=token)
    with transaction.atomic():
        return _cancel(registration.pk, event_id=registration.event_id)


def _promote(event: Event, *, now: datetime) -> list[Registration]:
    """Fill the free places with the oldest waiting entries, in order.

    Must be called inside a transaction holding the lock on ``event``: under it nobody else
    counts or gives places, so the conditional UPDATE below can only fail if the entry was
    cancelled, and an entry is never promoted twice."""
    promoted: list[Registration] = []
    if event.capacity is None:
        free = None
    else:
        held = Registration.objects.filter(
            event=event, status=RegistrationStatus.REGISTERED
        ).count()
        free = event.capacity - held
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).order_by(
        "queued_at", "id"
    )
    candidates = list(waiting if free is None else waiting[: max(free, 0)])
    for candidate in candidates:
        changed = Registration.objects.filter(
            pk=candidate.pk, status=RegistrationStatus.WAITING
        ).update(status=RegistrationStatus.REGISTERED, promoted_at=now)
        if changed == 1:
            candidate.status = RegistrationStatus.REGISTERED
            candidate.promoted_at = now
            candidate.event = event
            promoted.append(candidate)
            _send(candidate, "promoted", token=None)
    return promoted


def waiting_rank(registration: Registration) -> int | None:
    """1 for the next to be promoted."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=RegistrationStatus.WAITING,
            queued_at__lte=registration.queued_at,
        )
        .exclude(queued_at=registration.queued_at, id__gt=registration.pk)
        .count()
    )


# --- Attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceResult:
    registration: Registration
    already: bool


def attendance_mark(*, actor: User, event_id: int, code: str) -> AttendanceResult:
    """Marks the person of ``code`` present. Entering a code twice says so, changes nothing."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFoundError("Cette rencontre n'existe pas.")
    if not actor.has_perm("cooperation.mark_attendance", event):
        raise PermissionDeniedError("Seuls les organisateurs et l'équipe notent les présences.")
    normalised = normalise_code(code)
    if len(normalised) != CODE_LENGTH:
        raise TurbineError(
            "Un code d'inscription compte 8 caractères, par exemple K7PM-Q2XD.", field="code"
        )
    registration = Registration.objects.filter(event=event, code=normalised).first()
    if registration is None:
        raise TurbineError("Aucune inscription à cette rencontre ne porte ce code.", field="code")
    if registration.status == RegistrationStatus.WAITING:
        raise TurbineError(
            "Cette personne est sur liste d'attente, sans place confirmée.", field="code"
        )
    if registration.status != RegistrationStatus.REGISTERED:
        raise TurbineError(
            f"Cette inscription n'est pas valide ({registration.get_status_display().lower()}).",
            field="code",
        )
    now = timezone.now()
    # Conditional UPDATE: two scanners reading the same code record one arrival.
    changed = Registration.objects.filter(pk=registration.pk, attended_at__isnull=True).update(
        attended_at=now
    )
    if changed:
        registration.attended_at = now
    else:
        registration.refresh_from_db(fields=["attended_at"])
    return AttendanceResult(registration=registration, already=not changed)


# --- Reminders ------------------------------------------------------------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """Sends each due reminder once: to every registered person of an event with reminders on,
    once ``now`` is within ``reminder_hours`` of its start. Idempotent: each registration is
    claimed by a conditional UPDATE before its email is queued, in the same transaction."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=max(ReminderDelay.values))
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            reminder_sent_at__isnull=True,
            event__reminders_enabled=True,
            event__is_hidden=False,
            event__start__gt=now,
            event__start__lte=horizon,
        )
        .select_related("event", "event__commune")
        .order_by("event__start", "id")
    )
    sent = 0
    for registration in due.iterator(chunk_size=500):
        event = registration.event
        if event.start - timedelta(hours=event.reminder_hours) > now:
            continue
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk,
                reminder_sent_at__isnull=True,
                status=RegistrationStatus.REGISTERED,
            ).update(reminder_sent_at=now)
            if claimed:
                _send(registration, "reminder", token=None)
                sent += 1
    return sent


# --- Emails ---------------------------------------------------------------------------------


def _notify_place(registration: Registration, *, token: str | None) -> None:
    template = "registered" if registration.status == RegistrationStatus.REGISTERED else "waiting"
    _send(registration, template, token=token)


def _notify_link(registration: Registration, *, token: str) -> None:
    if registration.status == RegistrationStatus.PENDING:
        _send(registration, "confirm", token=token)
    else:
        _notify_place(registration, token=token)


def _send(registration: Registration, template: str, *, token: str | None) -> None:
    """One email of the triplet ``cooperation/meetings/email/<template>``, after commit; those
    that confirm a place carry the event as an .ics attachment (with the online link)."""
    event = registration.event
    context: dict[str, Any] = {
        "event": event,
        "registration": registration,
        "code": format_code(registration.code),
        "site_url": settings.SITE_URL,
        "event_url": meetings_ics.event_url(event),
        "personal_url": (
            settings.SITE_URL + reverse("cooperation:registration_personal", args=[token])
            if token
            else ""
        ),
    }
    subject = render_to_string(f"cooperation/meetings/email/{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=f"[Turbine] {subject.strip()}",
        body=render_to_string(f"cooperation/meetings/email/{template}.txt", context),
        to=[registration.email],
    )
    message.attach_alternative(
        render_to_string(f"cooperation/meetings/email/{template}.html", context), "text/html"
    )
    if template in ("registered", "promoted", "reminder"):
        message.attach(
            "rencontre.ics",
            meetings_ics.calendar_bytes([event], name=event.title, with_online_link=True).decode(),
            "text/calendar",
        )
    send_after_commit(message)
