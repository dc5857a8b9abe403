"""API resources of the guichet app, mounted under /api/v1/."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from turbine.core.api import Pagination, token_auth
from turbine.core.clients import client_ip
from turbine.funding.api import AidOut
from turbine.funding.models import Beneficiary
from turbine.guichet import matching, selectors, services
from turbine.guichet.forms import MatchForm
from turbine.guichet.models import Need, SupportRequest
from turbine.projects.models import Stage

router = Router(tags=["Guichet unique"])


class MatchIn(Schema):
    title: str = Field(..., max_length=200, description="titre du projet")
    description: str = Field("", max_length=10_000, description="description du projet")
    commune: str = Field(..., max_length=5, description="code INSEE de la commune du projet")
    beneficiary: str = Field(..., description="bénéficiaire : " + ", ".join(Beneficiary.values))
    themes: list[str] = Field(default_factory=list, description="identifiants de thèmes")
    stage: str = Field("idee", description="étape : " + ", ".join(Stage.values))
    budget: Decimal | None = Field(None, ge=0, description="budget estimé en euros")
    needs: list[str] = Field(
        default_factory=list, description="besoins : " + ", ".join(Need.values)
    )
    triggers: list[str] = Field(
        default_factory=list,
        description="situations du projet qui appellent des démarches (identifiants de la "
        "liste tenue par l'équipe : travaux-exterieurs, manifestation, vente-alimentaire...)",
    )
    has_structure: bool = Field(
        True, description="le porteur a déjà une structure (association, commune, entreprise...)"
    )


class AidMatchOut(AidOut):
    score: int
    reasons: list[str]


class ItemOut(Schema):
    id: int
    title: str
    url: str
    score: int
    reasons: list[str]


class PersonItemOut(Schema):
    id: int
    name: str
    role: str
    url: str
    score: int
    reasons: list[str]


class MentorItemOut(Schema):
    id: int
    name: str
    project: str
    url: str
    score: int
    reasons: list[str]


class ProcedureItemOut(ItemOut):
    what_to_do: str
    whom_to_ask: str


class MatchOut(Schema):
    aids: list[AidMatchOut]
    advisors: list[PersonItemOut]
    mentors: list[MentorItemOut]
    projects: list[ItemOut]
    offers: list[ItemOut]
    procedures: list[ProcedureItemOut]


class FieldError(Schema):
    field: str
    message: str


class InvalidOut(Schema):
    detail: str
    errors: list[FieldError]


def parse_match(data: MatchIn) -> tuple[matching.MatchQuery | None, dict[str, str]]:
    """The match query, or the French message of every invalid field: the guichet's form
    checks the call (``forms.MatchForm``)."""
    form = MatchForm(data=data.dict())
    if not form.is_valid():
        return None, {field: str(errors[0]) for field, errors in form.errors.items()}
    return form.query(), {}


def _aid(item: matching.Item) -> Any:
    aid = item.obj
    aid.score = item.score
    aid.reasons = item.reasons
    return aid


def _plain(item: matching.Item, **extra: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "url": item.url,
        "score": item.score,
        "reasons": item.reasons,
        **extra,
    }


def _person(item: matching.Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.title,
        "role": item.extra.get("role", ""),
        "url": item.url,
        "score": item.score,
        "reasons": item.reasons,
    }


def match_payload(result: matching.MatchResult) -> dict[str, Any]:
    return {
        "aids": [_aid(i) for i in result.aids],
        "advisors": [_person(i) for i in result.advisors],
        "mentors": [
            {
                "id": i.id,
                "name": i.title,
                "project": i.extra["project"],
                "url": i.url,
                "score": i.score,
                "reasons": i.reasons,
            }
            for i in result.mentors
        ],
        "projects": [_plain(i) for i in result.projects],
        "offers": [_plain(i) for i in result.offers],
        "procedures": [
            _plain(i, what_to_do=i.extra["what_to_do"], whom_to_ask=i.extra["whom_to_ask"])
            for i in result.procedures
        ],
    }


@router.post(
    "/guichet/match",
    response={200: MatchOut, 422: InvalidOut},
    summary="Ce que la Turbine trouve pour un projet",
)
def match(request: HttpRequest, payload: MatchIn) -> Any:
    """Un projet décrit en entrée ; en sortie, les aides ouvertes auxquelles le porteur est
    éligible, les conseillers et personnes-ressources, les parrains, les projets proches, les
    offres et les démarches administratives, classés, chacun avec son `score` et ses raisons
    (`reasons`). Rien n'est enregistré. Les aides portent les mêmes champs que `/aids`."""
    query, errors = parse_match(payload)
    if query is None:
        summary = "; ".join(f"{field} : {message}" for field, message in errors.items())
        return Status(
            422,
            {
                "detail": f"Requête invalide. {summary}",
                "errors": [{"field": f, "message": m} for f, m in errors.items()],
            },
        )
    return Status(200, match_payload(matching.match(query)))


# --- the holder's and the staff's requests (personal token) -----------------------------------


class RecommendationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    aid: int | None = Field(None, alias="aid_id")
    status: str
    dismissal_reason: str


class MessageOut(Schema):
    id: int
    from_holder: bool
    body: str
    created_at: datetime.datetime


class RequestOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    project_title: str
    status: str
    outcome: str
    needs: list[str]
    scale: int
    urgency_score: int
    urgency_band: str
    created_at: datetime.datetime
    first_answer_at: datetime.datetime | None

    @staticmethod
    def resolve_project_title(obj: SupportRequest) -> str:
        return obj.project.title

    @staticmethod
    def resolve_needs(obj: SupportRequest) -> list[str]:
        return obj.need_list


class RequestDetailOut(RequestOut):
    recommendations: list[RecommendationOut]
    messages: list[MessageOut]

    @staticmethod
    def resolve_recommendations(obj: SupportRequest) -> list:
        return selectors.recommendations_of(support_request=obj)

    @staticmethod
    def resolve_messages(obj: SupportRequest) -> list[dict[str, Any]]:
        return [
            {
                "id": m.pk,
                "from_holder": m.author_id == obj.holder_id,
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in selectors.messages_of(support_request=obj)
        ]


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=5000)


class RecommendationStatusIn(Schema):
    status: str = Field(..., description="proposee, en-cours, faite ou ecartee")
    reason: str = Field("", max_length=500, description="obligatoire pour ecartee")


@router.get(
    "/guichet/requests",
    response=list[RequestOut],
    auth=token_auth,
    summary="Mes demandes au guichet",
)
@paginate(Pagination)
def request_list(request: HttpRequest) -> Any:
    """Les demandes du porteur du jeton ; pour un conseiller, celles qu'il peut suivre."""
    user = request.user
    if user.has_perm("guichet.view_queue"):
        return selectors.staff_queue(user=user, filters=selectors.QueueFilters(status=""))
    return selectors.requests_of_holder(user=user)


@router.get(
    "/guichet/requests/{request_id}",
    response=RequestDetailOut,
    auth=token_auth,
    summary="Une demande, ses recommandations et ses messages",
)
def request_detail(request: HttpRequest, request_id: int) -> SupportRequest:
    return selectors.get_request(user=request.user, request_id=request_id)


@router.post(
    "/guichet/requests/{request_id}/messages",
    response={201: MessageOut},
    auth=token_auth,
    summary="Écrire dans la conversation d'une demande",
)
def request_message(request: HttpRequest, request_id: int, payload: MessageIn) -> Any:
    support_request = selectors.get_request(user=request.user, request_id=request_id)
    message = services.message_post(
        user=request.user,
        support_request=support_request,
        body=payload.body,
        client_ip=client_ip(request),
    )
    return Status(
        201,
        {
            "id": message.pk,
            "from_holder": message.author_id == support_request.holder_id,
            "body": message.body,
            "created_at": message.created_at,
        },
    )


@router.post(
    "/guichet/requests/{request_id}/recommendations/{recommendation_id}/status",
    response=RecommendationOut,
    auth=token_auth,
    summary="Dire où l'on en est d'une recommandation",
)
def recommendation_status(
    request: HttpRequest, request_id: int, recommendation_id: int, payload: RecommendationStatusIn
) -> Any:
    support_request = selectors.get_request(user=request.user, request_id=request_id)
    recommendation = support_request.recommendations.filter(pk=recommendation_id).first()
    if recommendation is None:
        raise Http404("Recommandation introuvable")
    return services.recommendation_set_status(
        user=request.user,
        recommendation=recommendation,
        status=payload.status,
        reason=payload.reason,
    )
