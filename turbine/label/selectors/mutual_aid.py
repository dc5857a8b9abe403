"""Reads of the pôle d'entraide de l'ambition."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from turbine.label.models import PeerRequest, PeerRequestStatus


def _requests() -> QuerySet[PeerRequest]:
    return PeerRequest.objects.select_related(
        "application__project", "application__organisation"
    ).annotate(volunteer_count=Count("volunteers"))


def open_requests() -> QuerySet[PeerRequest]:
    return _requests().exclude(status=PeerRequestStatus.CLOSED).order_by("-created_at")


def public_closed_requests(limit: int = 50) -> list[PeerRequest]:
    return list(
        _requests()
        .filter(status=PeerRequestStatus.CLOSED, public=True)
        .order_by("-closed_at")[:limit]
    )


def get_peer_request(*, request_id: int) -> PeerRequest:
    request = _requests().filter(pk=request_id).first()
    if request is None:
        raise Http404("Cette demande d'entraide n'existe pas")
    return request


def visible_to_public(request: PeerRequest) -> bool:
    return request.public or request.status != PeerRequestStatus.CLOSED
