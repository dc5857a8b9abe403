"""Suggested matches ("maillages improbables"), each with the reasons it is suggested.

A match is scored on three things, in this order of weight:
- complementarity: a need meets an offer of the same kind (+4), shared themes (+2 each, three at
  most), complementary families of actors for organisations (+1);
- proximity: same commune (+3), same agglomeration (+2), elsewhere on the territory (0);
- the improbable connection: actors who share no network get a bonus (+2).
A candidate with no complementarity at all is never suggested. Candidates are read in one
bounded query (``CANDIDATES`` most recent), so the cost does not grow with the directory.

``suggest_organisations`` takes a plain ``Profile``: other apps (funding: partners for a call)
build one from their own object and get ranked organisations with their reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from turbine.core.models import Theme
from turbine.directory.models import (
    Direction,
    Family,
    NeedOffer,
    NeedOfferKind,
    Network,
    Organisation,
    PersonProfile,
)

CANDIDATES = 300
LIMIT = 5


@dataclass
class Profile:
    """What matching knows of one side: themes (slug -> name), place and networks."""

    themes: dict[str, str] = field(default_factory=dict)
    commune: tuple[str, str] | None = None  # (INSEE code, name)
    agglomeration: tuple[str, str] | None = None  # (SIREN, name)
    networks: dict[str, str] = field(default_factory=dict)  # slug -> name
    direction: str = ""
    kind: str = ""
    family: str = ""


@dataclass
class Suggestion:
    kind: str  # the introduction target kind: "organisation", "besoin-offre"...
    object_id: str
    title: str
    url: str
    score: int
    reasons: list[str]
    obj: Any = None


def score(source: Profile, candidate: Profile) -> tuple[int, list[str]]:
    """The score of ``candidate`` for ``source`` and the French reasons; 0 means "not a match"."""
    points = 0
    reasons: list[str] = []
    complementary = 0
    if (
        source.direction
        and candidate.direction
        and source.direction != candidate.direction
        and source.kind == candidate.kind
    ):
        complementary += 4
        label = NeedOfferKind(candidate.kind).label
        reasons.append(f"Un besoin rencontre une offre de même nature ({label}).")
    shared = [name for slug, name in source.themes.items() if slug in candidate.themes]
    if shared:
        complementary += 2 * min(len(shared), 3)
        reasons.append("Thèmes en commun : " + ", ".join(sorted(shared)) + ".")
    if source.family and candidate.family and source.family != candidate.family:
        complementary += 1
        reasons.append(
            f"Familles complémentaires : {Family(source.family).label.lower()} et "
            f"{Family(candidate.family).label.lower()}."
        )
    if complementary == 0:
        return 0, []
    points += complementary
    if source.commune and candidate.commune and source.commune[0] == candidate.commune[0]:
        points += 3
        reasons.append(f"Même commune : {candidate.commune[1]}.")
    elif (
        source.agglomeration
        and candidate.agglomeration
        and source.agglomeration[0] == candidate.agglomeration[0]
    ):
        points += 2
        reasons.append(f"Même agglomération : {candidate.agglomeration[1]}.")
    elif candidate.commune:
        reasons.append(f"Ailleurs sur le territoire : {candidate.commune[1]}.")
    common = sorted(name for slug, name in source.networks.items() if slug in candidate.networks)
    if common:
        reasons.append("Réseau en commun : " + ", ".join(common) + ".")
    else:
        points += 2
        reasons.append("Aucun réseau en commun : une rencontre improbable, qui élargit le cercle.")
    return points, reasons


def _place(commune: Any) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    if commune is None:
        return None, None
    agglomeration = commune.agglomeration
    return (commune.code, commune.name), (
        (agglomeration.siren, agglomeration.name) if agglomeration else None
    )


def organisation_profile(org: Organisation) -> Profile:
    commune, agglomeration = _place(org.commune)
    return Profile(
        themes={t.slug: t.name for t in org.themes.all()},
        commune=commune,
        agglomeration=agglomeration,
        networks={n.slug: n.name for n in org.networks.all()},
        family=org.family,
    )


def author_networks(author_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The networks of each author's public profile, in one query."""
    result: dict[int, dict[str, str]] = {}
    rows = PersonProfile.networks.through.objects.filter(
        personprofile__user_id__in=list(set(author_ids))
    ).values_list("personprofile__user_id", "network__slug", "network__name")
    for user_id, slug, name in rows:
        result.setdefault(user_id, {})[slug] = name
    return result


def needoffer_profile(item: NeedOffer, networks_of_author: dict[str, str] | None = None) -> Profile:
    """The networks of an announcement are its organisation's and its author's own
    (``networks_of_author``, read with ``author_networks``)."""
    communes = list(item.communes.all())
    organisation = item.organisation
    commune_obj = communes[0] if communes else (organisation.commune if organisation else None)
    commune, agglomeration = _place(commune_obj)
    networks = {n.slug: n.name for n in organisation.networks.all()} if organisation else {}
    networks.update(networks_of_author or {})
    return Profile(
        themes={t.slug: t.name for t in item.themes.all()},
        commune=commune,
        agglomeration=agglomeration,
        networks=networks,
        direction=item.direction,
        kind=item.kind,
    )


def person_profile(person: Any) -> Profile:
    """A person with a public profile (``directory_profile`` prefetched with its themes and
    networks)."""
    commune, agglomeration = _place(person.commune)
    profile = getattr(person, "directory_profile", None)
    return Profile(
        themes={t.slug: t.name for t in profile.themes.all()} if profile else {},
        commune=commune,
        agglomeration=agglomeration,
        networks={n.slug: n.name for n in profile.networks.all()} if profile else {},
    )


def _organisation_candidates() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(is_hidden=False)
        .select_related("commune__agglomeration")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("slug", "name")),
            Prefetch("networks", queryset=Network.objects.only("slug", "name")),
        )
    )


def _ranked(suggestions: Iterable[Suggestion], limit: int) -> list[Suggestion]:
    kept = [s for s in suggestions if s.score > 0]
    kept.sort(key=lambda s: (-s.score, s.title, s.object_id))
    return kept[:limit]


def suggest_organisations(
    *, profile: Profile, exclude_ids: Iterable[int] = (), limit: int = LIMIT
) -> list[Suggestion]:
    """Organisations that complement ``profile``, best first, with their reasons."""
    if not profile.themes:
        return []
    candidates = (
        _organisation_candidates()
        .filter(themes__slug__in=list(profile.themes))
        .exclude(pk__in=list(exclude_ids))
        .distinct()
        .order_by("-id")[:CANDIDATES]
    )
    suggestions = []
    for org in candidates:
        points, reasons = score(profile, organisation_profile(org))
        suggestions.append(
            Suggestion(
                kind="organisation",
                object_id=str(org.pk),
                title=org.name,
                url=org.get_absolute_url(),
                score=points,
                reasons=reasons,
                obj=org,
            )
        )
    return _ranked(suggestions, limit)


def suggestions_for_organisation(org: Organisation, *, limit: int = LIMIT) -> list[Suggestion]:
    return suggest_organisations(
        profile=organisation_profile(org), exclude_ids=[org.pk], limit=limit
    )


def open_needs_offers(today: date | None = None) -> QuerySet[NeedOffer]:
    today = today or timezone.localdate()
    return NeedOffer.objects.open(today)


def _needoffer_candidates() -> QuerySet[NeedOffer]:
    return (
        open_needs_offers()
        .select_related("organisation__commune__agglomeration", "author")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("slug", "name")),
            "communes__agglomeration",
            Prefetch("organisation__networks", queryset=Network.objects.only("slug", "name")),
        )
    )


def suggestions_for_needoffer(item: NeedOffer, *, limit: int = LIMIT) -> list[Suggestion]:
    """Open needs/offers of the other direction that meet this one."""
    profile = needoffer_profile(item, author_networks([item.author_id]).get(item.author_id))
    other = Direction.OFFER if item.direction == Direction.NEED else Direction.NEED
    candidates = (
        _needoffer_candidates()
        .filter(direction=other)
        .filter(Q(kind=item.kind) | Q(themes__slug__in=list(profile.themes)))
        .exclude(author_id=item.author_id)
        .distinct()
        .order_by("-created_at", "-id")[:CANDIDATES]
    )
    candidates = list(candidates)
    networks = author_networks(c.author_id for c in candidates)
    suggestions = []
    for candidate in candidates:
        points, reasons = score(
            profile, needoffer_profile(candidate, networks.get(candidate.author_id))
        )
        suggestions.append(
            Suggestion(
                kind="besoin-offre",
                object_id=str(candidate.pk),
                title=candidate.title,
                url=candidate.get_absolute_url(),
                score=points,
                reasons=reasons,
                obj=candidate,
            )
        )
    return _ranked(suggestions, limit)


def project_profile(project: Any) -> Profile:
    """A project of the projects app, read through its prefetched relations."""
    communes = list(project.communes.all())
    commune, agglomeration = _place(communes[0] if communes else None)
    holder = project.holder_organisation
    return Profile(
        themes={t.slug: t.name for t in project.themes.all()},
        commune=commune,
        agglomeration=agglomeration,
        networks={n.slug: n.name for n in holder.networks.all()} if holder else {},
    )
