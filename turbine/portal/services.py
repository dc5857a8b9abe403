"""Follows of a place and their monthly digest.

A digest is idempotent per month: the month is written on the follow in the transaction that
queues the email (sent only after the commit), so a second run the same month sends nothing."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from turbine.accounts.models import User
from turbine.budget.selectors import proposals_in_place
from turbine.cooperation.selectors.meetings import events_in_place
from turbine.core.email import send_after_commit
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.funding.selectors import aids_open_in_place
from turbine.portal.models import PlaceFollow
from turbine.portal.selectors import WINNING
from turbine.projects.selectors import projects_in_place, with_list_relations
from turbine.territory.models import Agglomeration, Commune

DIGEST_WINDOW_DAYS = 31
# A follow's token as secrets.token_urlsafe writes it; anything else matches no follow.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
CLOSING_WITHIN_DAYS = 30
DIGEST_ITEMS = 10


def follow_place(
    *, user: User, commune: Commune | None = None, agglomeration: Agglomeration | None = None
) -> PlaceFollow:
    """Follow a commune or an agglomeration (following it twice changes nothing)."""
    if not user.has_perm("portal.follow_place"):
        raise PermissionDeniedError(
            "Seuls les élus et les conseillers de la Turbine peuvent suivre une commune."
        )
    if (commune is None) == (agglomeration is None):
        raise TurbineError("Choisissez une commune ou une agglomération.")
    existing = PlaceFollow.objects.filter(
        user=user, commune=commune, agglomeration=agglomeration
    ).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return PlaceFollow.objects.create(
                user=user,
                commune=commune,
                agglomeration=agglomeration,
                token=secrets.token_urlsafe(32),
            )
    except IntegrityError:  # the same follow, created at the same moment by a second click
        return PlaceFollow.objects.get(user=user, commune=commune, agglomeration=agglomeration)


def unfollow_place(*, user: User, follow_id: int) -> None:
    deleted, _ = PlaceFollow.objects.filter(pk=follow_id, user=user).delete()
    if not deleted:
        raise NotFoundError("Vous ne suivez pas ce lieu.")


def unsubscribe(*, token: str) -> PlaceFollow:
    """Stop a follow from its digest's link, without signing in."""
    follow = (
        PlaceFollow.objects.select_related("commune", "agglomeration").filter(token=token).first()
        if TOKEN_RE.fullmatch(token or "")
        else None
    )
    if follow is None:
        raise NotFoundError("Ce lien de désabonnement n'est plus valable.")
    follow.delete()
    return follow


@dataclass(frozen=True)
class Digest:
    follow: PlaceFollow
    new_projects: list[Any]
    closing_aids: list[Any]
    winners: list[Any]
    events: list[Any]

    @property
    def is_empty(self) -> bool:
        return not (self.new_projects or self.closing_aids or self.winners or self.events)


def digest_for(follow: PlaceFollow, *, today: date) -> Digest:
    if follow.commune:
        communes = Commune.objects.filter(pk=follow.commune.pk)
        aids = aids_open_in_place(commune_code=follow.commune.code, limit=DIGEST_ITEMS)
    else:
        assert follow.agglomeration is not None
        communes = Commune.objects.filter(agglomeration=follow.agglomeration)
        aids = aids_open_in_place(epci_siren=follow.agglomeration.siren, limit=DIGEST_ITEMS)
    since = today - timedelta(days=DIGEST_WINDOW_DAYS)
    horizon = today + timedelta(days=CLOSING_WITHIN_DAYS)
    return Digest(
        follow=follow,
        new_projects=list(
            with_list_relations(
                projects_in_place(communes=communes).filter(created_at__date__gt=since)
            ).order_by("-created_at", "-id")[:DIGEST_ITEMS]
        ),
        closing_aids=[a for a in aids.items if a.deadline and a.deadline <= horizon],
        winners=list(
            proposals_in_place(communes=communes).filter(
                status__in=WINNING,
                campaign__results_date__gt=since,
                campaign__results_date__lte=today,
            )[:DIGEST_ITEMS]
        ),
        events=events_in_place(communes=communes, limit=5),
    )


def _verified_address(user: User) -> str | None:
    if not user.is_active:
        return None
    address = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "id")
        .values_list("email", flat=True)
        .first()
    )
    return address


def _send_digest(digest: Digest, to: str, period: str) -> None:
    site = settings.SITE_URL
    follow = digest.follow
    context = {
        "digest": digest,
        "place_name": follow.place_name,
        "period": period,
        "site_url": site,
        "place_url": site + follow.get_place_url(),
        "unsubscribe_url": site + reverse("portal:follow_unsubscribe", args=[follow.token]),
    }
    one_click = site + reverse("portal:follow_unsubscribe_one_click", args=[follow.token])
    subject = " ".join(render_to_string("portal/email/digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("portal/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("portal/email/digest.html", context), "text/html")
    send_after_commit(message)


def send_monthly_digests(*, today: date | None = None) -> int:
    """Send this month's digest of every follow that has not had it; a follow with nothing new
    is marked done without an email. Returns the number of emails queued."""
    today = today or timezone.localdate()
    period = today.strftime("%Y-%m")
    sent = 0
    pending = (
        PlaceFollow.objects.exclude(last_digest=period)
        .select_related("user", "commune", "agglomeration")
        .order_by("id")
    )
    for follow in pending.iterator(chunk_size=200):
        with transaction.atomic():
            locked = (
                PlaceFollow.objects.select_for_update()
                .filter(pk=follow.pk)
                .exclude(last_digest=period)
                .first()
            )
            if locked is None:
                continue
            locked.last_digest = period
            locked.save(update_fields=["last_digest"])
            address = _verified_address(follow.user)
            digest = digest_for(follow, today=today)
            if address and not digest.is_empty:
                _send_digest(digest, address, period)
                sent += 1
    return sent
