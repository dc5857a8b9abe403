"""After a meeting: minutes, documents and the short feedback form."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.models import (
    Event,
    EventDocument,
    EventFeedback,
    Registration,
    RegistrationStatus,
)
from turbine.cooperation.uploads import check_document, stored_name
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError

MAX_DOCUMENTS = 30


def _event_for_organiser(*, actor: User, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFoundError("Cette rencontre n'existe pas.")
    if not actor.has_perm("cooperation.change_event", event):
        raise PermissionDeniedError("Seuls les organisateurs et l'équipe peuvent faire cela.")
    return event


def event_set_minutes(*, actor: User, event_id: int, minutes: str) -> Event:
    """The minutes, in Markdown (rendered sanitised by ``core.markdown``)."""
    event = _event_for_organiser(actor=actor, event_id=event_id)
    minutes = minutes.strip()
    if len(minutes) > 50_000:
        raise TurbineError(
            "Le compte rendu ne doit pas dépasser 50 000 caractères.", field="minutes"
        )
    event.minutes = minutes
    event.save(update_fields=["minutes", "updated_at"])
    return event


def event_document_add(
    *, actor: User, event_id: int, title: str, upload: UploadedFile
) -> EventDocument:
    event = _event_for_organiser(actor=actor, event_id=event_id)
    title = title.strip()
    if not title:
        raise TurbineError("Donnez un titre au document.", field="title")
    checked = check_document(upload)
    with transaction.atomic():
        # Locked: the number of documents is counted before adding one.
        Event.objects.select_for_update().filter(pk=event.pk).first()
        if event.documents.count() >= MAX_DOCUMENTS:
            raise TurbineError(f"Une rencontre garde au plus {MAX_DOCUMENTS} documents.")
        document = EventDocument(
            event=event,
            title=title[:200],
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        upload.seek(0)
        document.file.save(stored_name(checked), ContentFile(upload.read()), save=False)
        document.save()
    return document


def event_document_delete(*, actor: User, document_id: int) -> None:
    document = EventDocument.objects.select_related("event").filter(pk=document_id).first()
    if document is None:
        raise NotFoundError("Ce document n'existe pas.")
    _event_for_organiser(actor=actor, event_id=document.event_id)
    storage, name = document.file.storage, document.file.name or ""
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def feedback_submit(
    *, registration: Registration, rating: int, useful: bool, comment: str
) -> EventFeedback:
    """Once per registration that held a place, from the start of the event; sending again
    replaces the earlier answer."""
    event = registration.event
    if registration.status != RegistrationStatus.REGISTERED:
        raise PermissionDeniedError("Seules les personnes inscrites peuvent donner leur avis.")
    if event.start > timezone.now():
        raise TurbineError("Vous pourrez donner votre avis une fois la rencontre commencée.")
    if not 1 <= rating <= 5:
        raise TurbineError("Choisissez une appréciation de 1 à 5.", field="rating")
    comment = comment.strip()
    if len(comment) > 2000:
        raise TurbineError("Le commentaire ne doit pas dépasser 2 000 caractères.", field="comment")
    values = {"event": event, "rating": rating, "useful": useful, "comment": comment}
    try:
        with transaction.atomic():
            feedback, _ = EventFeedback.objects.update_or_create(
                registration=registration, defaults=values
            )
    except IntegrityError:
        # The same person sent the form twice at once: the other answer was stored first.
        feedback = EventFeedback.objects.get(registration=registration)
        for name, value in values.items():
            setattr(feedback, name, value)
        feedback.save()
    return feedback
