from __future__ import annotations

from typing import Any

from turbine.accounts.models import User
from turbine.accounts.tests.factories import UserFactory
from turbine.core.models import Theme
from turbine.guichet import services
from turbine.guichet.models import AdvisorCoverage, SupportRequest
from turbine.territory.models import Agglomeration, Commune

BETHUNE = "62119"
LENS = "62498"


def advisor(*, agglomeration_of: str | None = None, themes: list[str] = (), **kwargs: Any) -> User:
    """An advisor of the Turbine covering the agglomeration of a commune and some themes."""
    user = UserFactory(roles=["conseiller"], is_staff=True, **kwargs)
    coverage = AdvisorCoverage.objects.create(user=user)
    if agglomeration_of:
        coverage.agglomerations.set(Agglomeration.objects.filter(communes__code=agglomeration_of))
    coverage.themes.set(Theme.objects.filter(slug__in=list(themes)))
    return user


def make_request(
    *,
    holder: User,
    commune: str = BETHUNE,
    themes: list[str] = ("alimentation",),
    title: str = "Jardin partagé du quartier",
    **values: Any,
) -> SupportRequest:
    values.setdefault("holder_type", "association")
    values.setdefault("needs", ["financement", "demarches"])
    values.setdefault("consent", True)
    return services.request_submit(
        user=holder,
        title=title,
        summary="Un jardin nourricier cultivé par les habitants.",
        communes=Commune.objects.filter(code=commune),
        themes=Theme.objects.filter(slug__in=list(themes)),
        **values,
    )
