"""API resources of the signed-in person (token required)."""

from django.http import HttpRequest
from ninja import Router, Schema

from turbine.core.api import token_auth

router = Router(tags=["Compte"])


class MeOut(Schema):
    email: str
    display_name: str
    commune: str | None
    roles: list[str]


@router.get("/me", response=MeOut, auth=token_auth, summary="La personne du jeton")
def me(request: HttpRequest) -> dict:
    user = request.auth
    return {
        "email": user.email,
        "display_name": user.display_name,
        "commune": user.commune.code if user.commune_id else None,
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }
