"""Reports of public content and the staff moderation queue.

Any app makes a kind of content reportable with ``register``: ``describe`` returns the public
title and address of an object (None if it does not exist or is not public), ``set_hidden``
hides it from lists, search, map and API (or shows it again). The directory registers
organisations; the projects app registers projects; needs and offers are registered too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory import search_indexes
from turbine.directory.models import NeedOffer, Organisation, Report, ReportStatus


@dataclass(frozen=True)
class Moderatable:
    kind: str
    label: str
    describe: Callable[[str], tuple[str, str] | None]
    set_hidden: Callable[[str, bool], None]


_registry: dict[str, Moderatable] = {}


def register(
    *,
    kind: str,
    label: str,
    describe: Callable[[str], tuple[str, str] | None],
    set_hidden: Callable[[str, bool], None],
) -> None:
    _registry[kind] = Moderatable(kind, label, describe, set_hidden)


def get(kind: str) -> Moderatable:
    if kind not in _registry:
        raise NotFoundError("Ce type de contenu ne peut pas être signalé.")
    return _registry[kind]


def label(kind: str) -> str:
    return _registry[kind].label if kind in _registry else kind


MAX_OPEN_REPORTS_PER_PERSON = 20


def report_create(*, user: User, kind: str, object_id: str, reason: str) -> Report:
    """A signed-in person reports public content that may break the rules."""
    if not user.is_authenticated:
        raise PermissionDeniedError("Connectez-vous pour signaler un contenu.")
    moderatable = get(kind)
    described = moderatable.describe(str(object_id))
    if described is None:
        raise NotFoundError("Ce contenu n'existe pas ou n'est pas public.")
    reason = reason.strip()
    if not reason:
        raise TurbineError("Dites en quelques mots ce qui pose problème.", field="reason")
    if len(reason) > 2000:
        raise TurbineError("Le motif ne doit pas dépasser 2 000 caractères.", field="reason")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if (
            Report.objects.filter(reporter=user, status=ReportStatus.OPEN).count()
            >= MAX_OPEN_REPORTS_PER_PERSON
        ):
            raise TurbineError("Vous avez déjà de nombreux signalements en attente de traitement.")
        if Report.objects.filter(
            reporter=user, kind=kind, object_id=str(object_id), status=ReportStatus.OPEN
        ).exists():
            raise TurbineError("Vous avez déjà signalé ce contenu ; l'équipe va l'examiner.")
        return Report.objects.create(
            kind=kind,
            object_id=str(object_id),
            title=described[0][:300],
            reason=reason,
            reporter=user,
        )


def report_handle(*, user: User, report_id: int, hide: bool) -> Report:
    """Staff hide the reported content (every open report of it is closed) or dismiss the
    report."""
    if not user.has_perm("directory.moderate"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine modère les contenus.")
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise NotFoundError("Ce signalement n'existe pas.")
        if report.status != ReportStatus.OPEN:
            raise TurbineError("Ce signalement a déjà été traité.")
        now = timezone.now()
        if hide:
            get(report.kind).set_hidden(report.object_id, True)
            Report.objects.filter(
                kind=report.kind, object_id=report.object_id, status=ReportStatus.OPEN
            ).update(status=ReportStatus.HIDDEN, handled_by=user, handled_at=now)
        else:
            report.status = ReportStatus.DISMISSED
            report.handled_by = user
            report.handled_at = now
            report.save(update_fields=["status", "handled_by", "handled_at"])
        report.refresh_from_db()
    return report


def content_restore(*, user: User, kind: str, object_id: str) -> None:
    """Staff show hidden content again."""
    if not user.has_perm("directory.moderate"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine modère les contenus.")
    with transaction.atomic():
        get(kind).set_hidden(str(object_id), False)


def open_reports() -> list[Report]:
    return list(
        Report.objects.filter(status=ReportStatus.OPEN)
        .select_related("reporter")
        .order_by("created_at", "id")[:200]
    )


def recent_decisions() -> list[Report]:
    return list(
        Report.objects.exclude(status=ReportStatus.OPEN)
        .select_related("handled_by")
        .order_by("-handled_at", "-id")[:50]
    )


# --- Organisations ----------------------------------------------------------------------------


def _describe_organisation(object_id: str) -> tuple[str, str] | None:
    if not object_id.isdigit():
        return None
    org = Organisation.objects.filter(pk=int(object_id), is_hidden=False).first()
    return (org.name, org.get_absolute_url()) if org else None


def _hide_organisation(object_id: str, hidden: bool) -> None:
    Organisation.objects.filter(pk=int(object_id)).update(is_hidden=hidden)
    search_indexes.index_organisations([int(object_id)])


register(
    kind="organisation",
    label="Organisation",
    describe=_describe_organisation,
    set_hidden=_hide_organisation,
)


def _describe_needoffer(object_id: str) -> tuple[str, str] | None:
    if not object_id.isdigit():
        return None
    item = NeedOffer.objects.filter(pk=int(object_id), is_hidden=False).first()
    return (item.title, item.get_absolute_url()) if item else None


def _hide_needoffer(object_id: str, hidden: bool) -> None:
    NeedOffer.objects.filter(pk=int(object_id)).update(is_hidden=hidden)
    search_indexes.index_needs_offers([int(object_id)])


register(
    kind="besoin-offre",
    label="Besoin ou offre",
    describe=_describe_needoffer,
    set_hidden=_hide_needoffer,
)
