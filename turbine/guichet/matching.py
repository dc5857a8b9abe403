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
import re
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
from turbine.funding.models import Aid, AidType, Beneficiary, ProjectStage
from turbine.guichet.models import (
    HOLDER_BENEFICIARY,
    STRUCTURED_HOLDERS,
    AdvisorCoverage,
    AidChoiceKind,
    MentorOffer,
    Need,
    Procedure,
    ProcedureTrigger,
    Status,
    SupportRequest,
)
from turbine.projects.models import Project
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
    exclude_aid_ids: list[int] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    has_structure: bool = False

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

    @property
    def aids_are_closest(self) -> bool:
        """No aid fits well: the aids shown are only the closest the holder is eligible for."""
        return bool(self.aids) and all(i.extra.get("closest") for i in self.aids)

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

# The help asked, in the catalogue's aid types.
FINANCIAL_TYPES = {AidType.GRANT, AidType.LOAN, AidType.ADVANCE, AidType.OTHER_FINANCIAL}
ENGINEERING_TYPES = {AidType.TECHNICAL, AidType.FINANCIAL, AidType.LEGAL}
NEED_AID_TYPES = {
    Need.FUNDING: FINANCIAL_TYPES,
    Need.ENGINEERING: ENGINEERING_TYPES,
    Need.SKILLS: ENGINEERING_TYPES,
    Need.PROCEDURES: ENGINEERING_TYPES,
}
# Words of any project description that say nothing of what it is about (folded).
GENERIC_WORDS = frozenset(
    [
        "projet",
        "projets",
        "aide",
        "aides",
        "association",
        "associations",
        "commune",
        "communes",
        "action",
        "actions",
        "acteur",
        "acteurs",
        "habitant",
        "habitants",
        "territoire",
        "territoires",
        "local",
        "locale",
        "locaux",
        "locales",
        "developpement",
        "soutien",
        "soutenir",
        "financement",
        "financer",
        "creation",
        "creer",
        "mettre",
        "place",
        "faire",
        "permettre",
        "public",
        "publique",
        "personne",
        "personnes",
        "besoin",
        "besoins",
        "ville",
        "villes",
        "structure",
        "structures",
        "nouveau",
        "nouvelle",
        "nouveaux",
        "nouvelles",
        "mise",
        "oeuvre",
        "ensemble",
        "tous",
        "toutes",
        "tout",
        "autre",
        "autres",
        "plus",
        "cette",
        "notre",
        "nos",
        "leurs",
        "avoir",
        "etre",
        "veut",
        "voulons",
        "souhaite",
        "souhaitons",
        "souhaitent",
        "cadre",
        "objectif",
        "objectifs",
        "permet",
        "accompagner",
        "accompagnement",
        "porter",
        "porteur",
        "porteurs",
        "quartier",
        "quartiers",
        "lens",
        "bethune",
        "lievin",
        "henin",
        "carvin",
        "artois",
        "annee",
        "annees",
        "euros",
        "budget",
        "premier",
        "premiere",
        "deux",
        "trois",
    ]
)
TEXT_TITLE_POINTS = 3
TEXT_BODY_POINTS = 2
TEXT_CAP = 10
THEME_POINTS = 2
THEME_CAP = 4
# An aid "fits" when what it is about (words and themes) scores at least this much.
GOOD_FIT = 4
CLOSEST_SHOWN = 5


def _project_words(text: str) -> list[str]:
    """The words of the project worth looking for in the catalogue, in their first spelling;
    a plural also brings its singular (French stemming keeps « vélos » and « vélo » apart)."""
    words = []
    seen = set()
    for word in re.findall(r"\w+", text.lower()):
        folded = search_index.fold(word)
        if len(folded) < 3 or folded.isdigit() or folded in GENERIC_WORDS or folded in seen:
            continue
        if not search_index.stem_words(word):
            continue  # a stop word
        seen.add(folded)
        words.append(word)
        if len(folded) > 4 and folded[-1] in "sx" and folded[:-1] not in seen:
            seen.add(folded[:-1])
            words.append(word[:-1])
    return words[:40]


def _amount_reasons(aid: Aid, budget: Decimal | None) -> tuple[int, list[str]]:
    """What the aid states of its amount or rate, against the budget (nothing when it states
    neither, or when the budget is unknown)."""
    if budget is None or budget <= 0:
        return 0, []
    if aid.amount_min is not None and budget < aid.amount_min:
        return -2, [
            f"Son montant minimal ({_euros(aid.amount_min)}) dépasse votre budget "
            f"({_euros(budget)})."
        ]
    if aid.amount_max is not None:
        if budget <= aid.amount_max:
            return 1, [
                f"Elle peut aller jusqu'à {_euros(aid.amount_max)} : votre budget de "
                f"{_euros(budget)} est dans ses montants."
            ]
        return 0, [
            f"Elle plafonne à {_euros(aid.amount_max)} : elle couvrirait une partie de vos "
            f"{_euros(budget)}."
        ]
    if aid.subsidy_rate_max:
        share = budget * aid.subsidy_rate_max / 100
        return 0, [
            f"Elle finance jusqu'à {aid.subsidy_rate_max} % des dépenses, soit jusqu'à "
            f"{_euros(share)} sur vos {_euros(budget)}."
        ]
    return 0, []


def _quoted(word: str) -> str:
    # French quotes hold their word with no-break spaces: a line never starts with « ».
    return f"«\u00a0{word}\u00a0»"


def _words_reason(title_words: set[str], body_words: set[str]) -> str:
    parts = []
    if title_words:
        parts.append(", ".join(_quoted(w) for w in sorted(title_words)) + " dans son titre")
    if body_words:
        parts.append(", ".join(_quoted(w) for w in sorted(body_words)) + " dans sa description")
    return "Mots en commun avec votre projet : " + " ; ".join(parts) + "."


def _type_fit(aid: Aid, needs: list[str]) -> tuple[int, list[str]]:
    """Points and reason for the kind of help the aid gives against the help asked."""
    aid_types = set(aid.type_list)
    asked = [n for n in needs if n in NEED_AID_TYPES]
    if not asked:
        return 0, []
    labels = dict(AidType.choices)
    for need in asked:
        given = sorted(aid_types & NEED_AID_TYPES[need])
        if given:
            what = ", ".join(str(labels[t]).lower() for t in given)
            asked_label = str(Need(need).label).lower()
            return 2, [f"Elle apporte ce que vous cherchez ({asked_label}) : {what}."]
    what = ", ".join(str(labels.get(t, t)).lower() for t in sorted(aid_types)) or "non précisé"
    return -2, [f"Elle apporte autre chose que l'aide demandée : {what}."]


def _stage_fit(aid: Aid, stage: str) -> tuple[int, list[str]]:
    wanted = FUNDING_STAGE.get(stage)
    steps = aid.stages.split()
    if not wanted or not steps:
        return 0, []
    if wanted in steps:
        return 1, [f"Elle intervient à l'étape où en est le projet ({wanted.label.lower()})."]
    labels = ", ".join(
        str(ProjectStage(s).label).lower() for s in steps if s in ProjectStage.values
    )
    return -1, [f"Elle intervient plutôt à une autre étape ({labels})."]


def match_aids(
    query: MatchQuery, *, today: datetime.date | None = None, limit: int = LIMIT
) -> list[Item]:
    """Eligible aids ranked by fit with the project. Eligibility is a hard filter (the
    catalogue's ``filtered_aids``); fit is the words of the title and description found in the
    aid's text, the shared themes (worth less than words), the kind of help asked, the
    project's stage, the budget against what the aid states, and a local perimeter.

    When no aid fits (``GOOD_FIT``), the closest eligible aids are returned with
    ``extra["closest"] = True`` so that pages say so."""
    today = today or timezone.localdate()
    filters = funding_selectors.AidFilters(
        commune=query.commune.code, beneficiary=query.beneficiary, open=True
    )
    eligible = funding_selectors.filtered_aids(filters, today=today)
    if eligible is None:
        return []
    theme_ids = [t.pk for t in query.themes]
    hits = {
        int(m.object_id): m
        for m in search_index.match_words(
            _project_words(query.text), kind=funding_selectors.SEARCH_KIND, limit=AID_CANDIDATES
        )
    }
    # A word many aids hold says less of what the project is about (« solidaire », « école »).
    frequency: dict[str, int] = {}
    for m in hits.values():
        for word in m.title_words | m.body_words:
            frequency[word] = frequency.get(word, 0) + 1
    rarity = {w: 1.0 if n <= 6 else 0.6 if n <= 15 else 0.35 for w, n in frequency.items()}
    excluded = list(query.exclude_aid_ids)
    candidates = eligible.filter(Q(themes__in=theme_ids) | Q(pk__in=list(hits))).exclude(
        pk__in=excluded
    )
    rows = dict(
        candidates.values_list("pk", "match_rank").order_by("pk").distinct()[:AID_CANDIDATES]
    )
    if len(rows) < CLOSEST_SHOWN:
        # Too few candidates to choose the closest from: the nearest eligible aids complete them.
        extra_rows = (
            eligible.exclude(pk__in=[*excluded, *rows])
            .values_list("pk", "match_rank")
            .order_by("match_rank", "pk")
            .distinct()[: CLOSEST_SHOWN * 4]
        )
        rows.update(dict(extra_rows))
    if not rows:
        return []
    containing = set(
        funding_selectors.containing_perimeter_ids(commune_code=query.commune.code) or []
    )
    aids = list(funding_selectors._with_relations(Aid.objects.filter(pk__in=rows)))
    beneficiary_label = str(Beneficiary(query.beneficiary).label).lower()
    items = []
    for aid in aids:
        reasons = []
        hit = hits.get(aid.pk)
        title_words = set(hit.title_words) if hit else set()
        body_words = set(hit.body_words) - title_words if hit else set()
        text_points = min(
            round(
                sum(TEXT_TITLE_POINTS * rarity[w] for w in title_words)
                + sum(TEXT_BODY_POINTS * rarity[w] for w in body_words)
            ),
            TEXT_CAP,
        )
        if text_points:
            reasons.append(_words_reason(title_words, body_words))
        shared = sorted(t.name for t in aid.themes.all() if t.pk in theme_ids)
        theme_points = min(THEME_POINTS * len(shared), THEME_CAP)
        if shared:
            reasons.append(_shared_reason(shared))
        fit = text_points + theme_points
        points = fit
        for extra_points, extra_reasons in (
            _type_fit(aid, query.needs),
            _stage_fit(aid, query.stage),
            _amount_reasons(aid, query.budget),
        ):
            points += extra_points
            reasons += extra_reasons
        narrowest = next((p for p in aid.perimeters.all() if p.pk in containing), None)
        if rows.get(aid.pk) is not None and rows[aid.pk] <= 2 and narrowest is not None:
            points += 1
            reasons.append(f"Aide locale : elle est réservée à {narrowest.name}.")
        reasons.append(
            f"Vous y êtes éligible : elle est ouverte aux {beneficiary_label} et couvre "
            f"{query.commune.name}"
            + (
                f" ({narrowest.name})."
                if narrowest and narrowest.name != query.commune.name
                else "."
            )
        )
        items.append(
            Item(
                kind="aide",
                id=aid.pk,
                title=aid.title,
                url=aid.get_absolute_url(),
                score=points,
                reasons=reasons,
                obj=aid,
                extra={"fit": fit},
            )
        )
    items.sort(key=lambda i: (-i.score, -i.extra["fit"], i.title, i.id))
    if any(i.extra["fit"] >= GOOD_FIT for i in items):
        # Aids about the project; those sharing only a theme or a word come after, by score.
        return [i for i in items if i.extra["fit"] > 0][:limit]
    closest = items[:CLOSEST_SHOWN]
    for item in closest:
        item.extra["closest"] = True
    return closest


# --- People -----------------------------------------------------------------------------------


def advisor_load(user_ids: list[int]) -> dict[int, int]:
    """Open requests assigned to each advisor (one query)."""
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
        Project.objects.public()
        .filter(themes__slug__in=list(theme_names))
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
    """Procedures staff attached to the situations the holder ticked in the intake (works,
    public event, food sale, new structure...). Never read from the project's text; a holder
    that already has a structure is never told to create one."""
    if not query.triggers:
        return []
    triggers = ProcedureTrigger.objects.filter(is_active=True, slug__in=query.triggers)
    if query.has_structure:
        triggers = triggers.filter(is_new_structure=False)
    ticked = {t.pk: t for t in triggers}
    if not ticked:
        return []
    procedures = (
        Procedure.objects.filter(is_active=True, triggers__in=list(ticked))
        .prefetch_related("triggers")
        .distinct()
        .order_by("title", "id")
    )
    items = []
    for procedure in procedures:
        mine = [t for t in procedure.triggers.all() if t.pk in ticked]
        if query.has_structure and any(t.is_new_structure for t in procedure.triggers.all()):
            continue
        reasons = [
            "Vous avez indiqué : "
            + ", ".join(t.label[:1].lower() + t.label[1:] for t in mine)
            + "."
        ]
        if Need.PROCEDURES in query.needs:
            reasons.append("Vous avez demandé de l'aide pour les démarches.")
        reasons.append(f"À qui s'adresser : {procedure.whom_to_ask}.")
        items.append(
            Item(
                kind="demarche",
                id=procedure.pk,
                title=procedure.title,
                url=procedure.url,
                score=len(mine),
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
    """The match query of a stored request (its project read with themes and communes); the
    aids its holder set aside are not proposed again."""
    project = support_request.project
    communes = list(project.communes.select_related("agglomeration"))
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
        exclude_aid_ids=list(
            support_request.aid_choices.filter(choice=AidChoiceKind.SET_ASIDE).values_list(
                "aid_id", flat=True
            )
        ),
        triggers=list(support_request.triggers.values_list("slug", flat=True)),
        has_structure=support_request.holder_type in STRUCTURED_HOLDERS
        or bool(support_request.structure_name.strip()),
    )


def query_for_draft(draft: dict[str, Any], *, project: Project | None = None) -> MatchQuery | None:
    """The match query of an intake not sent yet (the answers kept in the session), so that a
    visitor sees what Turbine finds before creating an account. ``project``: the holder's own
    project the intake is about, if any."""
    holder_type = str(draft.get("holder_type", ""))
    if project is not None:
        communes = list(project.communes.select_related("agglomeration")[:1])
        themes = list(project.themes.all())
        title, description = project.title, f"{project.summary} {project.description}"
        stage, budget = project.stage, project.budget_total
    else:
        codes = [c for c in draft.get("communes", []) if isinstance(c, str)]
        communes = list(Commune.objects.filter(code__in=codes).select_related("agglomeration")[:1])
        themes = list(
            Theme.objects.filter(
                slug__in=[t for t in draft.get("themes", []) if isinstance(t, str)]
            )
        )
        title, description = str(draft.get("title", "")), str(draft.get("summary", ""))
        stage = str(draft.get("stage", "idee"))
        try:
            budget = Decimal(str(draft["budget"])) if draft.get("budget") else None
        except (ArithmeticError, ValueError):
            budget = None
    if not communes:
        return None
    return MatchQuery(
        title=title,
        description=f"{description} {draft.get('help_wanted', '')}",
        commune=communes[0],
        beneficiary=HOLDER_BENEFICIARY.get(holder_type, "particulier"),
        themes=themes,
        stage=stage,
        budget=budget,
        needs=[n for n in draft.get("needs", []) if isinstance(n, str)],
        holder_type=holder_type,
        exclude_project_id=project.pk if project else None,
        triggers=[t for t in draft.get("triggers", []) if isinstance(t, str)],
        has_structure=holder_type in STRUCTURED_HOLDERS
        or bool(str(draft.get("structure_name", "")).strip()),
    )


# --- Stored results ---------------------------------------------------------------------------

SNAPSHOT_VERSION = 1
SNAPSHOT_LISTS = ("aids", "advisors", "mentors", "projects", "offers", "procedures")


def _item_extra(item: Item) -> dict[str, Any]:
    extra = {k: v for k, v in item.extra.items() if isinstance(v, str | int | bool)}
    if item.kind == "mentor":
        extra["message"] = item.obj.message
    elif item.kind == "projet":
        extra["is_demo"] = item.obj.is_demo
    return extra


def snapshot(result: MatchResult) -> dict[str, Any]:
    """The JSON a request keeps of what was found (no object, only ids, titles and reasons)."""
    data: dict[str, Any] = {"version": SNAPSHOT_VERSION}
    for name in SNAPSHOT_LISTS:
        data[name] = [
            {
                "kind": i.kind,
                "id": i.id,
                "title": i.title,
                "url": i.url,
                "score": i.score,
                "reasons": i.reasons,
                "extra": _item_extra(i),
            }
            for i in getattr(result, name)
        ]
    return data


def from_snapshot(data: dict[str, Any]) -> MatchResult:
    """The stored results as a ``MatchResult`` (items without ``obj``: the selector that reads
    them attaches the aids)."""
    lists = {
        name: [
            Item(
                kind=row["kind"],
                id=row["id"],
                title=row["title"],
                url=row["url"],
                score=row["score"],
                reasons=list(row["reasons"]),
                extra=dict(row.get("extra") or {}),
            )
            for row in data.get(name, [])
        ]
        for name in SNAPSHOT_LISTS
    }
    return MatchResult(**lists)
