"""The personal-data sections of the accounts app (see ``accounts.personal_data``)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessLog

from turbine.accounts import personal_data
from turbine.accounts.models import User


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "commune": (
            {"code": user.commune.code, "name": user.commune.name} if user.commune else None
        ),
        "is_profile_public": user.is_profile_public,
        "bio": user.bio,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "external_accounts": [
            {"provider": s.provider, "uid": s.uid, "date_joined": _iso(s.date_joined)}
            for s in SocialAccount.objects.filter(user=user)
        ],
    }


def export_tokens(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "prefix": t.prefix,
            "created_at": _iso(t.created_at),
            "last_used_at": _iso(t.last_used_at),
            "revoked_at": _iso(t.revoked_at),
        }
        for t in user.api_tokens.all()
    ]


def export_logins(user: User) -> list[dict[str, Any]]:
    return [
        {
            "ip_address": log.ip_address,
            "user_agent": log.user_agent,
            "attempt_time": _iso(log.attempt_time),
            "logout_time": _iso(log.logout_time),
        }
        for log in AccessLog.objects.filter(username__iexact=user.email).order_by("-attempt_time")
    ]


personal_data.register(
    key="account",
    label="Compte et profil",
    export=export_account,
    on_delete=(
        "Supprimés : adresse électronique, nom affiché, commune, présentation, rôles, "
        "comptes externes (ProConnect, FranceConnect)."
    ),
)
personal_data.register(
    key="api_tokens",
    label="Jetons d'API",
    export=export_tokens,
    on_delete="Supprimés : tous vos jetons, qui cessent aussitôt de fonctionner.",
)
personal_data.register(
    key="logins",
    label="Historique de connexion",
    export=export_logins,
    on_delete="Supprimé : l'historique des connexions (adresse IP, navigateur, dates).",
)
