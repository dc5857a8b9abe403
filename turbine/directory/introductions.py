"""Introductions ("mises en relation") through Turbine.

A signed-in person asks to be put in touch with a *target* (an organisation, a person, a need
or offer, a project), optionally about a *subject* they bring (their own need or offer, their
project; in the funding app, a call for projects). The person behind the target receives a
message by email and in their "Mises en relation" page; each side decides whether to share their
contact, and the two addresses are shown to both only when both agree.

Reuse from another app (the funding app's "partners for a call"):
1. Register the subject kind once, in the app's ``ready()``::

       from turbine.directory import introductions
       introductions.register_subject(
           kind="appel", label="Appel à projets", describe=describe_call
       )

   where ``describe_call(object_id, user)`` returns ``(title, url)`` of the call, or None if it
   does not exist or the person may not use it.
2. Suggest partners with ``turbine.directory.matching.suggest_organisations(profile=...)``,
   building a ``matching.Profile`` from the call's themes and the person's organisation.
3. Ask with ``introductions.introduction_request(user=..., target_kind="organisation",
   target_id=str(org.pk), subject_kind="appel", subject_id=str(call.pk), message=...,
   reasons=suggestion.reasons)``. Counts and the inbox page include it with no other change;
   ``introduction_counts(subject_kind="appel")`` gives the counts of that use alone.
New target kinds are registered the same way with ``register_target``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.email import send_after_commit
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import (
    Introduction,
    IntroductionStatus,
    MemberRole,
    MembershipStatus,
    NeedOffer,
    Organisation,
)

MAX_PENDING_PER_PERSON = 30


@dataclass(frozen=True)
class Target:
    title: str
    url: str
    recipient: User | None


@dataclass(frozen=True)
class TargetKind:
    kind: str
    label: str
    resolve: Callable[[str], Target | None]


@dataclass(frozen=True)
class SubjectKind:
    kind: str
    label: str
    describe: Callable[[str, User], tuple[str, str] | None]


_targets: dict[str, TargetKind] = {}
_subjects: dict[str, SubjectKind] = {}


def register_target(*, kind: str, label: str, resolve: Callable[[str], Target | None]) -> None:
    _targets[kind] = TargetKind(kind, label, resolve)


def register_subject(
    *, kind: str, label: str, describe: Callable[[str, User], tuple[str, str] | None]
) -> None:
    _subjects[kind] = SubjectKind(kind, label, describe)


def target_label(kind: str) -> str:
    return _targets[kind].label if kind in _targets else kind


def subject_label(kind: str) -> str:
    return _subjects[kind].label if kind in _subjects else kind


class IntroductionError(TurbineError):
    pass


def _notify(introduction: Introduction, *, to: User, template: str) -> None:
    if to is None or not to.email:
        return
    context = {"introduction": introduction, "site_url": getattr(settings, "SITE_URL", "")}
    subject = render_to_string(f"directory/email/{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"directory/email/{template}_body.txt", context),
        to=[to.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
    )
    message.attach_alternative(
        render_to_string(f"directory/email/{template}_body.html", context), "text/html"
    )
    send_after_commit(message)


def introduction_request(
    *,
    user: User,
    target_kind: str,
    target_id: str,
    message: str,
    subject_kind: str = "",
    subject_id: str = "",
    reasons: Iterable[str] = (),
    share_contact: bool = True,
) -> Introduction:
    """Ask to be put in touch with the person behind a target."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour demander une mise en relation.")
    if target_kind not in _targets:
        raise NotFoundError("On ne peut pas demander de mise en relation avec ce contenu.")
    target = _targets[target_kind].resolve(str(target_id))
    if target is None:
        raise NotFoundError("Ce contenu n'existe pas ou n'est plus disponible.")
    if target.recipient is None:
        raise IntroductionError("Personne ne peut encore répondre pour ce contenu.")
    if target.recipient.pk == user.pk:
        raise IntroductionError(
            "Vous ne pouvez pas demander à être mis en relation avec vous-même."
        )
    subject_title = ""
    if subject_kind:
        if subject_kind not in _subjects:
            raise IntroductionError("Sujet de mise en relation inconnu.", field="subject")
        described = _subjects[subject_kind].describe(str(subject_id), user)
        if described is None:
            raise IntroductionError("Ce sujet n'existe pas ou n'est pas le vôtre.", field="subject")
        subject_title = described[0]
    message = message.strip()
    if not message:
        raise IntroductionError(
            "Écrivez quelques mots pour vous présenter et dire ce que vous proposez.",
            field="message",
        )
    if len(message) > 2000:
        raise IntroductionError(
            "Le message ne doit pas dépasser 2 000 caractères.", field="message"
        )
    with transaction.atomic():
        # Lock the requester so that two simultaneous requests cannot pass the checks below.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if Introduction.objects.filter(
            requester=user,
            target_kind=target_kind,
            target_id=str(target_id),
            status__in=[IntroductionStatus.ASKED, IntroductionStatus.ACCEPTED],
        ).exists():
            raise IntroductionError("Vous avez déjà demandé cette mise en relation.")
        pending = Introduction.objects.filter(requester=user, status=IntroductionStatus.ASKED)
        if pending.count() >= MAX_PENDING_PER_PERSON:
            raise IntroductionError(
                "Vous avez déjà beaucoup de demandes sans réponse : attendez quelques réponses."
            )
        introduction = Introduction.objects.create(
            requester=user,
            recipient=target.recipient,
            target_kind=target_kind,
            target_id=str(target_id),
            target_title=target.title[:300],
            subject_kind=subject_kind,
            subject_id=str(subject_id) if subject_kind else "",
            subject_title=subject_title[:300],
            message=message,
            reasons=[str(r) for r in reasons][:10],
            # Not ticking the box leaves the decision open, to be taken later.
            requester_shares=True if share_contact else None,
        )
        _notify(introduction, to=target.recipient, template="introduction_asked")
    return introduction


def introduction_decide(*, user: User, introduction_id: int, share: bool) -> Introduction:
    """One side decides whether to share their contact. A refusal declines the introduction;
    when both sides agree it is accepted and both see the other's address."""
    with transaction.atomic():
        introduction = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("requester", "recipient")
            .filter(pk=introduction_id)
            .filter(Q(requester=user) | Q(recipient=user))
            .first()
        )
        if introduction is None:
            raise NotFoundError("Cette mise en relation n'existe pas.")
        if introduction.status == IntroductionStatus.DECLINED:
            raise IntroductionError("Cette mise en relation a été déclinée.")
        if introduction.status == IntroductionStatus.ACCEPTED:
            raise IntroductionError("Cette mise en relation est déjà acceptée.")
        is_recipient = introduction.recipient_id == user.pk
        if is_recipient:
            introduction.recipient_shares = share
        else:
            introduction.requester_shares = share
        if introduction.recipient_shares is False or introduction.requester_shares is False:
            introduction.status = IntroductionStatus.DECLINED
        elif introduction.recipient_shares and introduction.requester_shares:
            introduction.status = IntroductionStatus.ACCEPTED
        if introduction.status != IntroductionStatus.ASKED:
            introduction.decided_at = timezone.now()
        introduction.save(
            update_fields=["recipient_shares", "requester_shares", "status", "decided_at"]
        )
        other = introduction.requester if is_recipient else introduction.recipient
        _notify(introduction, to=other, template="introduction_answered")
    return introduction


def introductions_of(*, user: User) -> QuerySet[Introduction]:
    return (
        Introduction.objects.filter(Q(requester=user) | Q(recipient=user))
        .select_related("requester", "recipient")
        .order_by("-created_at", "-id")
    )


def introduction_counts(*, subject_kind: str | None = None) -> dict[str, int]:
    """Introductions asked (all), accepted and declined: the cooperation indicators."""
    qs = Introduction.objects.all()
    if subject_kind is not None:
        qs = qs.filter(subject_kind=subject_kind)
    counts = qs.aggregate(
        asked=Count("id"),
        accepted=Count("id", filter=Q(status=IntroductionStatus.ACCEPTED)),
        declined=Count("id", filter=Q(status=IntroductionStatus.DECLINED)),
    )
    return {key: counts[key] or 0 for key in ("asked", "accepted", "declined")}


def asked_targets(*, user: User, kind: str, ids: Iterable[str]) -> set[str]:
    """Which of these targets the person has already asked to meet (open or accepted)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Introduction.objects.filter(
            requester=user,
            target_kind=kind,
            target_id__in=[str(i) for i in ids],
            status__in=[IntroductionStatus.ASKED, IntroductionStatus.ACCEPTED],
        ).values_list("target_id", flat=True)
    )


# --- Targets and subjects of the directory ----------------------------------------------------


def _organisation_target(object_id: str) -> Target | None:
    if not object_id.isdigit():
        return None
    org = Organisation.objects.filter(pk=int(object_id), is_hidden=False).first()
    if org is None:
        return None
    admin = (
        org.memberships.filter(role=MemberRole.ADMIN, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .order_by("created_at", "id")
        .first()
    )
    return Target(org.name, org.get_absolute_url(), admin.user if admin else None)


def _person_target(object_id: str) -> Target | None:
    if not object_id.isdigit():
        return None
    person = User.objects.filter(pk=int(object_id), is_profile_public=True, is_active=True).first()
    if person is None:
        return None

    return Target(
        str(person.public_name), reverse("directory:person_detail", args=[person.pk]), person
    )


def _needoffer_target(object_id: str) -> Target | None:
    if not object_id.isdigit():
        return None
    item = NeedOffer.objects.open().filter(pk=int(object_id)).select_related("author").first()
    return Target(item.title, item.get_absolute_url(), item.author) if item else None


def _own_needoffer(object_id: str, user: User) -> tuple[str, str] | None:
    if not object_id.isdigit():
        return None
    item = NeedOffer.objects.filter(pk=int(object_id), author=user).first()
    return (item.title, item.get_absolute_url()) if item else None


def _own_organisation(object_id: str, user: User) -> tuple[str, str] | None:
    if not object_id.isdigit():
        return None
    org = Organisation.objects.filter(
        pk=int(object_id), memberships__user=user, memberships__status=MembershipStatus.ACTIVE
    ).first()
    return (org.name, org.get_absolute_url()) if org else None


register_target(kind="organisation", label="Organisation", resolve=_organisation_target)
register_target(kind="personne", label="Personne", resolve=_person_target)
register_target(kind="besoin-offre", label="Besoin ou offre", resolve=_needoffer_target)
register_subject(kind="besoin-offre", label="Besoin ou offre", describe=_own_needoffer)
register_subject(kind="organisation", label="Organisation", describe=_own_organisation)
