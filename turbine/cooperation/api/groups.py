"""API resources of working groups, mounted under /api/v1/ (public reads)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from turbine.cooperation.models import GroupMember
from turbine.cooperation.selectors import groups as selectors
from turbine.core.api import MappedPage, Pagination

router = Router(tags=["Groupes de travail"])


class GroupNetworkOut(Schema):
    slug: str
    name: str
    members: int


class GroupOut(Schema):
    id: int
    name: str
    description: str
    work_theme: str = Field(description="thématique de travail proposée par la Turbine")
    members: int
    networks: list[GroupNetworkOut] = Field(
        description="réseaux de l'annuaire que le groupe croise"
    )
    crosses_networks: bool = Field(description="au moins deux réseaux : le groupe travaille")
    created_at: datetime
    url: str
    is_demo: bool


def _groups_out(groups: list[Any]) -> list[dict[str, Any]]:
    """Groups of one page, their networks counted in one more query."""
    networks: dict[int, dict[str, dict[str, Any]]] = {}
    rows = (
        GroupMember.objects.filter(group__in=groups)
        .values("group_id", "network__slug", "network__name")
        .order_by("network__name")
    )
    for row in rows:
        entry = networks.setdefault(row["group_id"], {}).setdefault(
            row["network__slug"],
            {"slug": row["network__slug"], "name": row["network__name"], "members": 0},
        )
        entry["members"] += 1
    return [
        {
            "id": g.pk,
            "name": g.name,
            "description": g.description,
            "work_theme": g.work_theme.title,
            "members": g.member_count,
            "networks": list(networks.get(g.pk, {}).values()),
            "crosses_networks": g.crosses_networks,
            "created_at": g.created_at,
            "url": g.get_absolute_url(),
            "is_demo": g.is_demo,
        }
        for g in groups
    ]


@router.get("/groups", response=list[GroupOut], summary="Groupes de travail")
@paginate(Pagination)
def groups(
    request: HttpRequest,
    work_theme: int | None = Query(None, ge=1, le=2_000_000_000, description="thématique"),
) -> Any:
    """Les groupes de travail inter-réseaux, ceux qui croisent le plus de réseaux d'abord."""
    return MappedPage(selectors.group_list(work_theme=work_theme), _groups_out)
