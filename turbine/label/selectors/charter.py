"""Reads of the charter: the current version, its signatories, a member's history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Subquery

from turbine.accounts.models import User
from turbine.directory.models import Family, MemberRole, MembershipStatus, Organisation
from turbine.label.models import CharterSignature, CharterVersion
from turbine.label.rules import town_hall_admin_communes
from turbine.territory.models import Commune

COMMUNE_FAMILY = "commune"


def current_version() -> CharterVersion | None:
    return CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()


def _current_version_id() -> Subquery:
    """The current version's id, as a subquery (no query of its own)."""
    return Subquery(
        CharterVersion.objects.filter(published_at__isnull=False)
        .order_by("-number")
        .values("pk")[:1]
    )


def current_signatures_of(organisation_ids: Sequence[int]) -> dict[int, CharterSignature]:
    """The adherence to the current version of each of these organisations, in one query."""
    rows = CharterSignature.objects.filter(
        version_id=_current_version_id(), organisation_id__in=list(organisation_ids)
    ).select_related("version")
    return {s.organisation_id: s for s in rows if s.organisation_id is not None}


def current_signatory_organisation_ids() -> QuerySet[CharterSignature, Any]:
    """The ids of the organisations that adhere to the current version, as a subquery."""
    return CharterSignature.objects.filter(
        version_id=_current_version_id(), organisation__isnull=False
    ).values("organisation_id")


def published_versions() -> QuerySet[CharterVersion]:
    return CharterVersion.objects.filter(published_at__isnull=False).order_by("-number")


def family_choices() -> list[tuple[str, str]]:
    return [*((value, str(label)) for value, label in Family.choices), (COMMUNE_FAMILY, "Communes")]


def signatures_filtered(
    *, version: CharterVersion, family: str = "", agglomeration: str = ""
) -> QuerySet[CharterSignature]:
    """Adherences to ``version``, filtered by family of actors (or « commune ») and by the
    agglomeration where the member is."""
    qs = CharterSignature.objects.filter(version=version).filter(
        Q(organisation__isnull=True) | Q(organisation__is_hidden=False)
    )
    if family == COMMUNE_FAMILY:
        qs = qs.filter(commune__isnull=False)
    elif family in Family.values:
        qs = qs.filter(organisation__family=family)
    if agglomeration:
        qs = qs.filter(
            Q(commune__agglomeration__siren=agglomeration)
            | Q(organisation__commune__agglomeration__siren=agglomeration)
        )
    return qs.select_related(
        "organisation__commune__agglomeration", "commune__agglomeration", "version"
    ).order_by("organisation__name", "commune__name", "id")


def renewals_pending(*, version: CharterVersion, limit: int = 500) -> list[CharterSignature]:
    """The latest earlier adherence of each member that has not adhered to ``version`` yet."""
    signed_orgs = CharterSignature.objects.filter(version=version, organisation__isnull=False)
    signed_communes = CharterSignature.objects.filter(version=version, commune__isnull=False)
    qs = (
        CharterSignature.objects.filter(version__number__lt=version.number)
        .exclude(organisation_id__in=signed_orgs.values("organisation_id"))
        .exclude(commune_id__in=signed_communes.values("commune_id"))
        .filter(Q(organisation__isnull=True) | Q(organisation__is_hidden=False))
        .select_related("organisation", "commune", "version")
        .order_by("-version__number", "-signed_at")
    )
    seen: set[tuple[str, int | None]] = set()
    pending = []
    for signature in qs[: limit * 3]:
        key = (
            ("o", signature.organisation_id)
            if signature.organisation_id
            else (
                "c",
                signature.commune_id,
            )
        )
        if key in seen:
            continue
        seen.add(key)
        pending.append(signature)
        if len(pending) >= limit:
            break
    return sorted(pending, key=lambda s: s.member_name)


@dataclass(frozen=True)
class Member:
    """Someone a person may sign for: an organisation or a commune."""

    value: str  # "o:<id>" or "c:<id>"
    name: str
    signed_current: bool


def signable_members(*, user: User, version: CharterVersion | None) -> list[Member]:
    if not user.is_authenticated:
        return []
    organisations = list(
        Organisation.objects.filter(
            is_hidden=False,
            memberships__user=user,
            memberships__role=MemberRole.ADMIN,
            memberships__status=MembershipStatus.ACTIVE,
        ).order_by("name")
    )
    communes = list(Commune.objects.filter(pk__in=town_hall_admin_communes(user)).order_by("name"))
    signed_orgs: set[int] = set()
    signed_communes: set[int] = set()
    if version is not None:
        rows = CharterSignature.objects.filter(version=version).filter(
            Q(organisation__in=organisations) | Q(commune__in=communes)
        )
        for org_id, commune_id in rows.values_list("organisation_id", "commune_id"):
            if org_id:
                signed_orgs.add(org_id)
            else:
                signed_communes.add(commune_id)
    return [
        *(Member(f"o:{o.pk}", o.name, o.pk in signed_orgs) for o in organisations),
        *(Member(f"c:{c.pk}", f"Commune de {c.name}", c.pk in signed_communes) for c in communes),
    ]


def organisation_history(*, organisation_id: int) -> QuerySet[CharterSignature]:
    return (
        CharterSignature.objects.filter(organisation_id=organisation_id)
        .select_related("version")
        .order_by("-version__number")
    )


def commune_history(*, commune_id: int) -> QuerySet[CharterSignature]:
    return (
        CharterSignature.objects.filter(commune_id=commune_id)
        .select_related("version")
        .order_by("-version__number")
    )
