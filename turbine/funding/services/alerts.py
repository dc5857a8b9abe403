"""Alerts by email, without an account: double opt-in, digests, deadline reminders, unsubscribe.

Sending is idempotent: a digest is recorded (``AlertDigest``, unique per alert and period) in the
same transaction that moves the alert's window, and its email is queued to leave only after that
transaction commits. A run that crashes before the commit leaves nothing behind and the next run
redoes the period; a run that crashes after it finds the period recorded and sends nothing: the
same digest is never sent twice (at worst one is lost, never duplicated).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from turbine.core.email import send_after_commit
from turbine.core.emails import normalise_address
from turbine.core.exceptions import NotFoundError
from turbine.core.throttle import throttle_exceeded
from turbine.funding.forms import AidSearchForm, filters_querystring
from turbine.funding.models import Aid, Alert, AlertDigest, AlertFrequency, live_q
from turbine.funding.selectors import AidFilters, aid_search
from turbine.funding.services.catalogue import FundingError

REMINDER_DAYS = (30, 7)
MAX_PENDING_PER_EMAIL = 5
DIGEST_MAX_AIDS = 50


def _filters(query: str) -> AidFilters:
    form = AidSearchForm(QueryDict(query))
    if not form.is_valid():
        raise FundingError("Cette recherche contient des filtres invalides.", field="query")
    return form.filters()


def _canonical(query: str) -> str:
    return filters_querystring(_filters(query))


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send(*, template: str, to: str, context: dict, headers: dict[str, str] | None = None) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"funding/email/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"funding/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"funding/email/{template}.html", context), "text/html"
    )
    send_after_commit(message)


def _links(alert: Alert) -> dict[str, str]:
    return {
        "confirm_url": _absolute(reverse("funding:alert_confirm", args=[alert.token])),
        "unsubscribe_url": _absolute(reverse("funding:alert_unsubscribe", args=[alert.token])),
        "search_url": _absolute(
            reverse("funding:aid_list") + (f"?{alert.query}" if alert.query else "")
        ),
    }


def _list_headers(alert: Alert) -> dict[str, str]:
    """RFC 2369 and 8058: mail programs show their own « Se désabonner » button; the one-click
    address takes a bare POST, without a page or a cookie."""
    one_click = _absolute(reverse("funding:alert_unsubscribe_one_click", args=[alert.token]))
    return {
        "List-Unsubscribe": f"<{one_click}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _over_pending_cap(email: str) -> bool:
    """True when the address already has its share of alerts awaiting confirmation: counted
    atomically on its canonical form (``+tags`` and gmail dots are one mailbox), and in the
    database. Callers then send nothing and say nothing different, so that the answer never
    tells whether an address has alerts."""
    if throttle_exceeded(
        f"alerts:pending:{normalise_address(email)}", limit=MAX_PENDING_PER_EMAIL, window=86400
    ):
        return True
    pending = Alert.objects.filter(
        email=email,
        confirmed_at__isnull=True,
        created_at__gte=timezone.now() - datetime.timedelta(days=1),
    ).count()
    return pending >= MAX_PENDING_PER_EMAIL


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise FundingError("Adresse électronique invalide.", field="email")
    return email


@transaction.atomic
def alert_create(*, email: str, query: str, frequency: str) -> Alert | None:
    """Save a search as an alert and email a confirmation link (nothing else is sent before).
    None, silently, when the address has too many alerts awaiting confirmation."""
    email = _clean_email(email)
    if frequency not in AlertFrequency.values:
        raise FundingError("Fréquence inconnue.", field="frequency")
    query = _canonical(query)
    if _over_pending_cap(email):
        return None
    alert = Alert.objects.create(
        email=email, query=query, frequency=frequency, token=secrets.token_urlsafe(32)
    )
    _send(
        template="alert_confirm",
        to=email,
        context={"alert": alert, "filters": describe_query(query), **_links(alert)},
    )
    return alert


@transaction.atomic
def alert_follow_aid(*, email: str, aid_id: int) -> Alert | None:
    """Follow an aid's deadlines: added to the address's active alert if it has one (nothing is
    sent), otherwise to a new deadlines-only alert that must be confirmed first."""
    email = _clean_email(email)
    aid = Aid.objects.filter(live_q(), pk=aid_id).first()
    if aid is None:
        raise NotFoundError("Cette aide n'est plus en cours.")
    alert = (
        Alert.objects.filter(email=email, confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        .order_by("-confirmed_at")
        .first()
    )
    if alert is None:
        if _over_pending_cap(email):
            return None
        alert = Alert.objects.create(
            email=email,
            includes_search=False,
            frequency=AlertFrequency.WEEKLY,
            token=secrets.token_urlsafe(32),
        )
        alert.followed_aids.add(aid)
        _send(
            template="alert_confirm",
            to=email,
            context={"alert": alert, "followed": aid, **_links(alert)},
        )
    else:
        alert.followed_aids.add(aid)
    return alert


def _alert_by_token(token: str) -> Alert:
    # Locked: a confirmation and an unsubscription clicked at once must not overwrite each other.
    alert = Alert.objects.select_for_update().filter(token=token).first()
    if alert is None:
        raise NotFoundError("Ce lien d'alerte n'est pas valide.")
    return alert


@transaction.atomic
def alert_confirm(*, token: str) -> Alert:
    alert = _alert_by_token(token)
    if alert.unsubscribed_at is not None:
        raise FundingError("Cette alerte a été désactivée ; créez-en une nouvelle.")
    if alert.confirmed_at is None:
        alert.confirmed_at = timezone.now()
        alert.last_digest_until = alert.confirmed_at
        alert.save(update_fields=["confirmed_at", "last_digest_until"])
    return alert


@transaction.atomic
def alert_unsubscribe(*, token: str) -> Alert:
    alert = _alert_by_token(token)
    if alert.unsubscribed_at is None:
        alert.unsubscribed_at = timezone.now()
        alert.save(update_fields=["unsubscribed_at"])
    return alert


def describe_query(query: str) -> list[str]:
    """The filters of a saved search in French, for emails and pages."""
    form = AidSearchForm(QueryDict(query))
    if not form.is_valid():
        return []
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False):
            continue
        if name == "commune" and form.commune_perimeter:
            value = f"{form.commune_perimeter.name} ({form.commune_perimeter.code})"
        elif hasattr(field, "choices") and name != "commune":
            names = {str(k): str(v) for k, v in field.choices}
            values = value if isinstance(value, list) else [value]
            value = ", ".join(names.get(str(v), str(v)) for v in values)
        elif value is True:
            value = "oui"
        parts.append(f"{field.label} : {value}")
    return parts


# --- Digests ----------------------------------------------------------------------------------


def period_key(*, frequency: str, today: datetime.date) -> str:
    if frequency == AlertFrequency.DAILY:
        return today.isoformat()
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02}"


@dataclass(frozen=True)
class DigestContent:
    aids: list[Aid]
    reminders: list[tuple[Aid, int]]  # (aid, days left)


def digest_content(*, alert: Alert, until: datetime.datetime) -> DigestContent:
    since = alert.last_digest_until or alert.confirmed_at or alert.created_at
    today = timezone.localdate(until)
    aids: list[Aid] = []
    if alert.includes_search:
        ids = aid_search(_filters(alert.query), today=today).ids
        window = Q(changed_at__gt=since, changed_at__lte=until) | Q(
            published_at__gt=since, published_at__lte=until
        )
        aids = list(
            Aid.objects.filter(window, pk__in=ids)
            .prefetch_related("funders")
            .order_by("-changed_at", "pk")[:DIGEST_MAX_AIDS]
        )
    last_day = timezone.localdate(since)
    reminders = []
    for aid in alert.followed_aids.filter(live_q(today), deadline__isnull=False).order_by(
        "deadline"
    ):
        deadline = aid.deadline
        if deadline is None:  # excluded by the query; said for the type checker
            continue
        for days in REMINDER_DAYS:
            # The reminder's day fell in the window (since the previous digest, up to today).
            if last_day < deadline - datetime.timedelta(days=days) <= today:
                reminders.append((aid, (deadline - today).days))
                break
    return DigestContent(aids=aids, reminders=reminders)


def alert_digest_send(*, alert_id: int, now: datetime.datetime | None = None) -> str:
    """Record and queue this period's digest of one alert. Returns "sent", "empty" (nothing new:
    recorded, no email), "done" (already recorded for this period) or "inactive"."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
        if alert is None or not alert.is_active:
            return "inactive"
        period = period_key(frequency=alert.frequency, today=timezone.localdate(now))
        content = digest_content(alert=alert, until=now)
        try:
            with transaction.atomic():
                AlertDigest.objects.create(
                    alert=alert,
                    period=period,
                    aid_count=len(content.aids),
                    deadline_count=len(content.reminders),
                )
        except IntegrityError:
            return "done"
        alert.last_digest_until = now
        alert.save(update_fields=["last_digest_until"])
        if not content.aids and not content.reminders:
            return "empty"
        _send(
            template="alert_digest",
            to=alert.email,
            context={
                "alert": alert,
                "aids": content.aids,
                "reminders": content.reminders,
                "filters": describe_query(alert.query) if alert.includes_search else [],
                **_links(alert),
            },
            headers=_list_headers(alert),
        )
    return "sent"


def alerts_send_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Digest every active alert for the current period (daily and weekly); safe to run many
    times a day: each alert gets one digest per period."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    ids = Alert.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).values_list("pk", flat=True)
    for alert_id in list(ids.order_by("pk")):
        outcome = alert_digest_send(alert_id=alert_id, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
