"""Partners for a call for projects: an actor who wants to answer says which partners they look
for; others ask to be introduced. The introduction sends the requester's name, address and
message to the author by email (the requester agrees to it by asking); the author's address is
never shown, they answer if they wish.

Built here because the directory's generic introductions were not committed yet when this was
written; a later change can register a target kind there and call it instead.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from turbine.core.email import send_after_commit
from turbine.core.exceptions import NotFoundError, PermissionDeniedError
from turbine.funding import rules as funding_rules
from turbine.funding.models import Aid, PartnerRequest, PartnerSearch, live_q
from turbine.funding.services import FundingError

MAX_OPEN_REQUESTS_PER_DAY = 20


def _require_login(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour chercher des partenaires.")


@transaction.atomic
def partner_search_create(
    *, user: Any, aid_id: int, looking_for: str, organisation: str = ""
) -> PartnerSearch:
    _require_login(user)
    aid = Aid.objects.filter(live_q(), pk=aid_id).first()
    if aid is None:
        raise NotFoundError("Cette aide n'est plus en cours.")
    if not aid.is_call_for_projects:
        raise FundingError("On ne cherche des partenaires que pour un appel à projets ou un AMI.")
    looking_for = (looking_for or "").strip()
    if len(looking_for) < 10:
        raise FundingError(
            "Décrivez en quelques mots les partenaires que vous cherchez.", field="looking_for"
        )
    if len(looking_for) > 1000:
        raise FundingError("1 000 caractères au plus.", field="looking_for")
    try:
        with transaction.atomic():
            return PartnerSearch.objects.create(
                aid=aid,
                author=user,
                looking_for=looking_for,
                organisation=" ".join((organisation or "").split())[:200],
            )
    except IntegrityError:
        raise FundingError(
            "Vous cherchez déjà des partenaires pour cet appel : clôturez d'abord cette annonce."
        ) from None


@transaction.atomic
def partner_search_close(*, user: Any, search_id: int) -> PartnerSearch:
    _require_login(user)
    search = PartnerSearch.objects.select_for_update().filter(pk=search_id).first()
    if search is None:
        raise NotFoundError("Annonce introuvable.")
    if search.author_id != user.pk and not funding_rules.can_edit_catalogue(user):
        raise PermissionDeniedError("Seul son auteur peut clôturer cette annonce.")
    if search.closed_at is None:
        search.closed_at = timezone.now()
        search.save(update_fields=["closed_at"])
    return search


@transaction.atomic
def partner_request_create(*, user: Any, search_id: int, message: str) -> PartnerRequest:
    _require_login(user)
    search = (
        PartnerSearch.objects.select_related("aid", "author")
        .filter(pk=search_id, closed_at__isnull=True)
        .first()
    )
    if search is None:
        raise NotFoundError("Cette annonce est close ou n'existe pas.")
    if search.author_id == user.pk:
        raise FundingError("C'est votre propre annonce.")
    message = (message or "").strip()
    if not message:
        raise FundingError(
            "Présentez-vous en quelques mots et dites ce que vous apportez.", field="message"
        )
    if len(message) > 2000:
        raise FundingError("Le message ne doit pas dépasser 2 000 caractères.", field="message")
    recent = PartnerRequest.objects.filter(
        requester=user, created_at__gte=timezone.now() - timezone.timedelta(days=1)
    ).count()
    if recent >= MAX_OPEN_REQUESTS_PER_DAY:
        raise FundingError("Trop de demandes aujourd'hui : réessayez demain.")
    try:
        with transaction.atomic():
            request = PartnerRequest.objects.create(search=search, requester=user, message=message)
    except IntegrityError:
        raise FundingError("Vous avez déjà demandé cette mise en relation.") from None
    context = {
        "search": search,
        "request": request,
        "requester": user,
        "site_url": settings.SITE_URL,
    }
    email = EmailMultiAlternatives(
        subject=" ".join(
            render_to_string("funding/email/partner_request_subject.txt", context).split()
        ),
        body=render_to_string("funding/email/partner_request.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[search.author.email],
    )
    email.attach_alternative(
        render_to_string("funding/email/partner_request.html", context), "text/html"
    )
    send_after_commit(email)
    return request
