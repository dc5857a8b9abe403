"""Turbine's API, django-ninja at ``/api/v1/``.

Public data is readable without a token (open data). Writes and personal resources need a
personal API token sent as ``Authorization: Bearer <jeton>``. Every error is JSON with a French
``detail`` message. Lists are paginated as ``{"count": N, "items": [...]}`` with ``?page=`` and
``?page_size=`` (at most 100).
"""

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase
from ninja.security import HttpBearer

from turbine.core.exceptions import TurbineError

# The function that turns a personal API token into its user: core knows no accounts, the
# accounts app registers it in its ``ready()`` (``register_token_authenticator``).
_token_authenticators: list[Callable[[str], Any]] = []


def register_token_authenticator(authenticate: Callable[[str], Any]) -> None:
    if authenticate not in _token_authenticators:
        _token_authenticators.append(authenticate)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = next(
            (u for u in (auth(token) for auth in _token_authenticators) if u is not None), None
        )
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


class Pagination(PaginationBase):
    """``?page=`` (from 1) and ``?page_size=`` (1 to 100, 20 by default)."""

    class Input(Schema):
        # Bounded: a huge page number overflowed the SQL OFFSET (a 500).
        page: int = Field(1, ge=1, le=1_000_000, description="numéro de page, à partir de 1")
        page_size: int = Field(
            20, ge=1, le=settings.API_PAGE_SIZE_MAX, description="éléments par page (100 au plus)"
        )

    class Output(Schema):
        count: int
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: QuerySet | list, pagination: Input, **params: Any
    ) -> dict[str, Any]:
        offset = (pagination.page - 1) * pagination.page_size
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return {"count": count, "items": list(queryset[offset : offset + pagination.page_size])}


class MappedPage:
    """A queryset for :class:`Pagination` to count and slice, the objects of the page turned into
    their output only once it is cut (``out`` maps the page's objects to dicts: the queryset's
    prefetches, and any query ``out`` makes, then cover that page only)."""

    def __init__(self, qs: QuerySet, out: Callable[[list[Any]], list[dict[str, Any]]]) -> None:
        self.qs = qs
        self.out = out

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return self.out(list(self.qs[key]))


def each(function: Callable[[Any], dict[str, Any]]) -> Callable[[list[Any]], list[dict[str, Any]]]:
    """``out`` for :class:`MappedPage` that maps the objects one by one."""
    return lambda objects: [function(o) for o in objects]


api = NinjaAPI(
    title="API de la Turbine de l'éco-transition",
    version="1",
    description=(
        "Données publiques du territoire en accès libre (licence ouverte). Les écritures "
        "demandent un jeton personnel, à créer dans « Mon compte > Jetons d'API », envoyé dans "
        "l'en-tête `Authorization: Bearer <jeton>`."
    ),
    urls_namespace="api",
)


_FRENCH_ERRORS = {
    "missing": "ce champ est obligatoire",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "float_parsing": "doit être un nombre",
    "bool_parsing": "doit valoir true ou false",
    "string_type": "doit être une chaîne de caractères",
    "json_invalid": "le corps de la requête n'est pas un JSON valide",
    "model_attributes_type": "le corps de la requête doit être un objet JSON",
    "date_from_datetime_parsing": "doit être une date au format AAAA-MM-JJ",
    "date_parsing": "doit être une date au format AAAA-MM-JJ",
    "enum": "valeur non autorisée",
    "literal_error": "valeur non autorisée",
}


def _french(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "less_than_equal":
        return f"doit être inférieur ou égal à {ctx.get('le')}"
    if kind == "greater_than_equal":
        return f"doit être supérieur ou égal à {ctx.get('ge')}"
    if kind == "string_too_long":
        return f"ne doit pas dépasser {ctx.get('max_length')} caractères"
    if kind == "too_long":
        return f"{ctx.get('max_length')} valeurs au plus"
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "ne doit pas être vide"
    if kind == "string_too_short":
        return f"doit compter au moins {ctx.get('min_length')} caractères"
    return _FRENCH_ERRORS.get(kind, "valeur invalide")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        # ninja prefixes locations with the parameter source ("query", "body"...) and its name.
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path")]
        field = loc[-1] if loc else ""
        errors.append({"field": field, "message": _french(error)})
    summary = "; ".join(
        f"{e['field']} : {e['message']}" if e["field"] else e["message"] for e in errors
    )
    return api.create_response(
        request, {"detail": f"Requête invalide. {summary}.", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Jeton d'API manquant, invalide ou révoqué (en-tête Authorization: Bearer)."},
        status=401,
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) if str(exc) else "Ressource introuvable"
    return api.create_response(request, {"detail": f"{message}."}, status=404)


@api.exception_handler(TurbineError)
def on_turbine_error(request: HttpRequest, exc: TurbineError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


API_MODULES = [
    "turbine.core.api_routes",
    "turbine.territory.api",
    "turbine.accounts.api",
    "turbine.directory.api",
    "turbine.projects.api",
    "turbine.funding.api",
    "turbine.budget.api",
    "turbine.guichet.api",
    "turbine.label.api",
    "turbine.cooperation.api.meetings",
    "turbine.cooperation.api.debates",
    "turbine.cooperation.api.groups",
    "turbine.cooperation.api.panels",
    "turbine.cooperation.api.challenges",
    "turbine.steering.api",
    "turbine.showcase.api",
    "turbine.portal.api",
]


def _register_routers() -> None:
    """Each app's ``api.router`` declares its own paths (``/organisations``, ``/aids``...)."""
    for module in API_MODULES:
        api.add_router("", import_module(module).router)


_register_routers()
