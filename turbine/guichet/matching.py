"""What Turbine finds for a project: aids, advisors and experts, mentors, similar projects,
offers and administrative procedures — each with a score and the French reasons it was chosen.

Deterministic and explainable: every point of a score comes with a sentence; ties are broken by
title then id. Aids come only from the funding catalogue's eligibility query (published, not
past their deadline, already open, the holder's beneficiary type, a perimeter containing the
commune): a closed aid or one the holder is not eligible for is never a candidate.
Every list reads a bounded number of candidates, so the cost does not grow with the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from turbine.accounts import roles
from turbine.core import search as search_index
from turbine.core.models import Theme
from turbine.directory import matching as directory_matching
from turbine.directory.models import Direction, NeedOfferKind, PersonProfile
from turbine.funding import selectors as funding_selectors
from turbine.funding.models import Aid, Beneficiary, ProjectStage
from turbine.guichet.models import AdvisorCoverage, MentorOffer, Need, Procedure, Status
from turbine.projects.models import Project, Visibility
from turbine.territory.models import Commune

LIMIT = 8
AID_CANDIDATES = 400
CANDIDATES = 200
DEADLINE_SOON_DAYS = 45

# The projects app's stages, in the funding catalogue's vocabulary.
FUNDING_STAGE = {
    "idee": ProjectStage.THINKING,
    "emergence": ProjectStage.THINKING,
    "conception": ProjectStage.THINKING,
    "financement": ProjectStage.DOING,
    "realisation": ProjectStage.DOING,
    "realise": ProjectStage.USING,
}
STAGE_ORDER = ["idee", "emergence", "conception", "financement", "realisation", "realise"]

# The needs/offers board kinds that answer each need of the guichet.
NEED_OFFER_KINDS = {
    Need.FUNDING: [NeedOfferKind.FUNDING],
    Need.PARTNERS: [NeedOfferKind.PARTNERSHIP],
    Need.SKILLS: [NeedOfferKind.SKILL, NeedOfferKind.TRAINING, NeedOfferKind.VOLUNTEERS],
    Need.PLACE: [NeedOfferKind.PLACE, NeedOfferKind.EQUIPMENT],
    Need.NETWORK: [NeedOfferKind.PARTNERSHIP, NeedOfferKind.VOLUNTEERS],
}


@dataclass
class MatchQuery:
    title: str
    description: str
    commune: Commune
    beneficiary: str
    themes: list[Theme]
    stage: str
    budget: Decimal | None = None
    needs: list[str] = field(default_factory=list)
    holder_type: str = ""
    exclude_project_id: int | None = None
    exclude_user_id: int | None = None

    @property
    def text(self) -> str:
        return f"{self.title} {self.description}".strip()

    @property
    def theme_names(self) -> dict[str, str]:
        return {t.slug: t.name for t in self.themes}

    def profile(self) -> directory_matching.Profile:
        agglomeration = self.commune.agglomeration
        return directory_matching.Profile(
            themes=self.theme_names,
            commune=(self.commune.code, self.commune.name),
            agglomeration=(agglomeration.siren, agglomeration.name) if agglomeration else None,
        )


@dataclass
class Item:
    kind: str
    id: int
    title: str
    url: str
    score: int
    reasons: list[str]
    obj: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class MatchResult:
    aids: list[Item]
    advisors: list[Item]
    mentors: list[Item]
    projects: list[Item]
    offers: list[Item]
    procedures: list[Item]

    def is_empty(self) -> bool:
        return not any(
            (self.aids, self.advisors, self.mentors, self.projects, self.offers, self.procedures)
        )


def _ranked(items: list[Item], limit: int = LIMIT) -> list[Item]:
    kept = [i for i in items if i.score > 0]
    kept.sort(key=lambda i: (-i.score, i.title, i.id))
    return kept[:limit]


def _euros(value: int | Decimal) -> str:
    return f"{int(value):,}".replace(",", "\u202f") + " €"


def _shared_reason(names: list[str]) -> str:
    return "Thèmes en commun : " + ", ".join(sorted(names)) + "."


# --- Aids -------------------------------------------------------------------------------------


def _text_ranks(text: str, kind: str) -> dict[int, int]:
    """Positions of the catalogue's documents of ``kind`` that the project's text finds."""
    words = [w for w in text.split() if len(w) > 3][:30]
    if not words:
        return {}
    query = " OR ".join(words)
    page = search_index.search(query, kinds=[kind], page_size=50)
    return {int(hit.object_id): rank for rank, hit in enumerate(page.hits)}


def match_aids(query: MatchQuery, *, today: datetime.date | None = None) -> list[Item]:
    today = today or timezone.localdate()
    filters = funding_selectors.AidFilters(
        commune=query.commune.code, beneficiary=query.beneficiary, open=True
    )
    eligible = funding_selectors.filtered_aids(filters, today=today)
    if eligible is None:
        return []
    theme_ids = [t.pk for t in query.themes]
    text_ranks = _text_ranks(query.text, funding_selectors.SEARCH_KIND)
    candidates = eligible.filter(Q(themes__in=theme_ids) | Q(pk__in=list(text_ranks)))
    rows = list(
        candidates.values_list("pk", "match_rank").order_by("pk").distinct()[:AID_CANDIDATES]
    )
    if not rows:
        return []
    ranks = dict(rows)
    containing = set(
        funding_selectors.containing_perimeter_ids(commune_code=query.commune.code) or []
    )
    aids = list(funding_selectors._with_relations(Aid.objects.filter(pk__in=ranks)))
    wanted_stage = FUNDING_STAGE.get(query.stage)
    beneficiary_label = str(Beneficiary(query.beneficiary).label).lower()
    items = []
    for aid in aids:
        points = 0
        reasons = []
        shared = [t.name for t in aid.themes.all() if t.pk in theme_ids]
        if shared:
            points += 3 * min(len(shared), 3)
            reasons.append(_shared_reason(shared))
        if aid.pk in text_ranks:
            points += 3 if text_ranks[aid.pk] < 10 else 1
            reasons.append("Sa description répond aux mots de votre projet.")
        if points == 0:
            continue
        if wanted_stage and wanted_stage in aid.stages.split():
            points += 2
            reasons.append(f"Elle finance l'étape où en est le projet ({wanted_stage.label}).")
        if query.budget is not None:
            if aid.amount_min is not None and query.budget < aid.amount_min:
                points -= 2
                reasons.append(
                    f"Votre budget est inférieur à son montant minimal ({_euros(aid.amount_min)})."
                )
            elif aid.amount_max is not None and query.budget <= aid.amount_max:
                points += 2
                reasons.append(
                    f"Votre budget entre dans ses montants (jusqu'à {_euros(aid.amount_max)})."
                )
        if aid.deadline is not None:
            days = (aid.deadline - today).days
            when = aid.deadline.strftime("%d/%m/%Y")
            if days <= DEADLINE_SOON_DAYS:
                points += 1
                reasons.append(f"Date limite proche : le {when}, ne tardez pas.")
            else:
                reasons.append(f"Date limite : le {when}.")
        else:
            reasons.append("Aide permanente, sans date limite.")
        rank = ranks.get(aid.pk)
        if rank is not None and rank <= 2:
            points += 1
            reasons.append("Aide locale : son périmètre est la commune ou l'intercommunalité.")
        narrowest = next((p for p in aid.perimeters.all() if p.pk in containing), None)
        reasons.append(
            f"Vous y êtes éligible : elle est ouverte aux {beneficiary_label} et couvre "
            f"{query.commune.name}" + (f" ({narrowest.name})." if narrowest else ".")
        )
        items.append(
            Item(
                kind="aide",
                id=aid.pk,
                title=aid.title,
                url=aid.get_absolute_url(),
                score=max(points, 1),
                reasons=reasons,
                obj=aid,
            )
        )
    items.sort(key=lambda i: (-i.score, i.obj.deadline or datetime.date.max, i.title, i.id))
    return items[:LIMIT]


# --- People -----------------------------------------------------------------------------------


def advisor_load(user_ids: list[int]) -> dict[int, int]:
    """Open requests assigned to each advisor (one query)."""
    from turbine.guichet.models import SupportRequest

    rows = (
        SupportRequest.objects.filter(advisor_id__in=user_ids)
        .exclude(status=Status.CLOSED)
        .values_list("advisor_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def match_advisors(query: MatchQuery) -> list[Item]:
    """Advisors of the Turbine covering these themes in this agglomeration, then people of the
    directory whose public profile says they can help on these themes."""
    theme_names = query.theme_names
    agglomeration = query.commune.agglomeration
    coverages = list(
        AdvisorCoverage.objects.filter(user__groups__name=roles.ADVISOR, user__is_active=True)
        .filter(Q(themes__slug__in=list(theme_names)) | Q(agglomerations=agglomeration))
        .select_related("user")
        .prefetch_related("themes", "agglomerations")
        .distinct()
        .order_by("user_id")[:CANDIDATES]
    )
    load = advisor_load([c.user_id for c in coverages])
    items = []
    for coverage in coverages:
        points = 0
        reasons = []
        shared = [t.name for t in coverage.themes.all() if t.slug in theme_names]
        if shared:
            points += 2 * min(len(shared), 3)
            reasons.append("Conseiller de la Turbine sur ces thèmes : " + ", ".join(shared) + ".")
        if agglomeration and any(a.pk == agglomeration.pk for a in coverage.agglomerations.all()):
            points += 3
            reasons.append(f"Couvre votre agglomération : {agglomeration.name}.")
        if not coverage.is_available:
            points -= 2
            reasons.append("N'accepte pas de nouvelles demandes pour le moment.")
        items.append(
            Item(
                kind="conseiller",
                id=coverage.user_id,
                title=coverage.user.public_name,
                url="",
                score=points,
                reasons=reasons,
                obj=coverage.user,
                extra={"role": "conseiller", "load": load.get(coverage.user_id, 0)},
            )
        )
    advisors = _ranked(items, 4)
    experts = []
    if theme_names:
        profiles = (
            PersonProfile.objects.filter(
                user__is_profile_public=True,
                user__is_active=True,
                themes__slug__in=list(theme_names),
            )
            .exclude(can_help_with="")
            .exclude(user_id=query.exclude_user_id)
            .select_related("user__commune__agglomeration")
            .prefetch_related("themes", "networks")
            .distinct()
            .order_by("-updated_at", "-id")[:CANDIDATES]
        )
        for profile in profiles:
            person = profile.user
            points, reasons = directory_matching.score(
                query.profile(), directory_matching.person_profile(person)
            )
            reasons = [r for r in reasons if not r.startswith("Aucun réseau")]
            reasons.insert(0, f"Peut aider : {profile.can_help_with[:160]}")
            experts.append(
                Item(
                    kind="personne",
                    id=person.pk,
                    title=person.public_name,
                    url=f"/acteurs/personnes/{person.pk}/",
                    score=points,
                    reasons=reasons,
                    obj=person,
                    extra={"role": "personne-ressource"},
                )
            )
    return advisors + _ranked(experts, 4)


def match_mentors(query: MatchQuery) -> list[Item]:
    """Holders of similar projects further along who volunteered to help newcomers."""
    theme_names = query.theme_names
    if not theme_names:
        return []
    position = STAGE_ORDER.index(query.stage) if query.stage in STAGE_ORDER else 0
    further = STAGE_ORDER[position + 1 :]
    offers = (
        MentorOffer.objects.filter(
            is_active=True,
            project__stage__in=further,
            project__themes__slug__in=list(theme_names),
        )
        .exclude(user_id=query.exclude_user_id)
        .select_related("user", "project")
        .prefetch_related("project__themes", "project__communes__agglomeration")
        .distinct()
        .order_by("-created_at", "-id")[:CANDIDATES]
    )
    items = []
    for offer in offers:
        project = offer.project
        points, reasons = directory_matching.score(
            query.profile(), directory_matching.project_profile(project)
        )
        reasons = [r for r in reasons if not r.startswith(("Aucun réseau", "Réseau"))]
        points += 2
        reasons.insert(
            0,
            f"A mené « {project.title} » jusqu'à l'étape « {project.get_stage_display()} » "
            "et propose d'aider les nouveaux porteurs.",
        )
        items.append(
            Item(
                kind="mentor",
                id=offer.pk,
                title=offer.user.public_name,
                url=project.get_absolute_url() if project.is_public else "",
                score=points,
                reasons=reasons,
                obj=offer,
                extra={"project": project.title},
            )
        )
    return _ranked(items)


def match_projects(query: MatchQuery) -> list[Item]:
    theme_names = query.theme_names
    if not theme_names:
        return []
    projects = (
        Project.objects.filter(
            visibility=Visibility.PUBLIC, is_hidden=False, themes__slug__in=list(theme_names)
        )
        .exclude(pk=query.exclude_project_id)
        .select_related("holder_organisation")
        .prefetch_related("themes", "communes__agglomeration", "holder_organisation__networks")
        .distinct()
        .order_by("-updated_at", "-id")[:CANDIDATES]
    )
    items = []
    for project in projects:
        points, reasons = directory_matching.score(
            query.profile(), directory_matching.project_profile(project)
        )
        reasons = [r for r in reasons if not r.startswith(("Aucun réseau", "Réseau"))]
        items.append(
            Item(
                kind="projet",
                id=project.pk,
                title=project.title,
                url=project.get_absolute_url(),
                score=points,
                reasons=reasons + [f"Étape : {project.get_stage_display()}."],
                obj=project,
            )
        )
    return _ranked(items)


def match_offers(query: MatchQuery) -> list[Item]:
    """Open offers of the needs/offers board that answer the project's needs or themes."""
    kinds = sorted({k for need in query.needs for k in NEED_OFFER_KINDS.get(need, [])})
    theme_names = query.theme_names
    if not kinds and not theme_names:
        return []
    offers = list(
        directory_matching.open_needs_offers()
        .filter(direction=Direction.OFFER)
        .filter(Q(kind__in=kinds) | Q(themes__slug__in=list(theme_names)))
        .exclude(author_id=query.exclude_user_id)
        .select_related("organisation__commune__agglomeration")
        .prefetch_related("themes", "communes__agglomeration", "organisation__networks")
        .distinct()
        .order_by("-created_at", "-id")[:CANDIDATES]
    )
    items = []
    for offer in offers:
        points, reasons = directory_matching.score(
            query.profile(), directory_matching.needoffer_profile(offer)
        )
        reasons = [r for r in reasons if not r.startswith(("Aucun réseau", "Réseau"))]
        if offer.kind in kinds:
            points += 4
            reasons.insert(
                0, f"Répond à un de vos besoins : {NeedOfferKind(offer.kind).label.lower()}."
            )
        items.append(
            Item(
                kind="offre",
                id=offer.pk,
                title=offer.title,
                url=offer.get_absolute_url(),
                score=points,
                reasons=reasons,
                obj=offer,
            )
        )
    return _ranked(items)


def match_procedures(query: MatchQuery) -> list[Item]:
    """Procedures of the catalogue whose keywords appear in the project's text, or whose themes
    or holder types are the project's."""
    words = set(search_index.fold(query.text).replace("'", " ").replace("-", " ").split())
    theme_slugs = set(query.theme_names)
    procedures = Procedure.objects.filter(is_active=True).prefetch_related("themes")
    items = []
    for procedure in procedures:
        points = 0
        reasons = []
        hits = [k for k in procedure.keywords.split() if search_index.fold(k) in words]
        if hits:
            points += 3 * min(len(hits), 3)
            reasons.append("Votre projet parle de : " + ", ".join(sorted(hits)) + ".")
        shared = [t.name for t in procedure.themes.all() if t.slug in theme_slugs]
        if shared and hits:
            points += 1
            reasons.append(_shared_reason(shared))
        if points and query.holder_type and f" {query.holder_type} " in procedure.holder_types:
            points += 1
            reasons.append("Démarche qui concerne votre type de structure.")
        if points and Need.PROCEDURES in query.needs:
            points += 1
            reasons.append("Vous avez demandé de l'aide pour les démarches.")
        if points:
            reasons.append(f"À qui s'adresser : {procedure.whom_to_ask}.")
        items.append(
            Item(
                kind="demarche",
                id=procedure.pk,
                title=procedure.title,
                url=procedure.url,
                score=points,
                reasons=reasons,
                obj=procedure,
                extra={"what_to_do": procedure.what_to_do, "whom_to_ask": procedure.whom_to_ask},
            )
        )
    return _ranked(items)


def match(query: MatchQuery, *, today: datetime.date | None = None) -> MatchResult:
    return MatchResult(
        aids=match_aids(query, today=today),
        advisors=match_advisors(query),
        mentors=match_mentors(query),
        projects=match_projects(query),
        offers=match_offers(query),
        procedures=match_procedures(query),
    )


def query_for_request(support_request: Any) -> MatchQuery | None:
    """The match query of a stored request (its project read with themes and communes)."""
    from turbine.guichet.models import HOLDER_BENEFICIARY

    project = support_request.project
    communes = list(project.communes.all())
    if not communes:
        return None
    return MatchQuery(
        title=project.title,
        description=f"{project.summary} {project.description} {support_request.help_wanted}",
        commune=communes[0],
        beneficiary=HOLDER_BENEFICIARY.get(support_request.holder_type, "particulier"),
        themes=list(project.themes.all()),
        stage=project.stage,
        budget=project.budget_total,
        needs=support_request.need_list,
        holder_type=support_request.holder_type,
        exclude_project_id=project.pk,
        exclude_user_id=support_request.holder_id,
    )
