"""Writes on accounts: profile, roles, API tokens, personal data export and account deletion."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from turbine.accounts import personal_data
from turbine.accounts.models import ApiToken, User
from turbine.accounts.roles import SELF_SERVICE_ROLES
from turbine.core.exceptions import NotFoundError, TurbineError
from turbine.territory.models import Commune

TOKEN_PREFIX = "tbn_"  # noqa: S105 - a public prefix, not a secret
MAX_ACTIVE_TOKENS = 20


class AccountError(TurbineError):
    pass


def profile_update(
    *,
    user: User,
    display_name: str,
    commune: Commune | None,
    is_profile_public: bool,
    bio: str,
    self_roles: list[str],
) -> User:
    """Update the person's profile and the roles they may give themself (citizen, holder)."""
    display_name = display_name.strip()
    if is_profile_public and not display_name:
        raise AccountError(
            "Indiquez un nom affiché pour rendre votre profil public.", field="display_name"
        )
    unknown = set(self_roles) - set(SELF_SERVICE_ROLES)
    if unknown:
        raise AccountError("Ce rôle ne peut pas être choisi soi-même.", field="self_roles")
    with transaction.atomic():
        user.display_name = display_name
        user.commune = commune
        user.is_profile_public = is_profile_public
        user.bio = bio.strip()
        user.save(update_fields=["display_name", "commune", "is_profile_public", "bio"])
        groups = {g.name: g for g in Group.objects.filter(name__in=SELF_SERVICE_ROLES)}
        user.groups.remove(*[g for name, g in groups.items() if name not in self_roles])
        user.groups.add(*[g for name, g in groups.items() if name in self_roles])
    return user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored nor shown again."""
    name = name.strip()
    if not name:
        raise AccountError("Donnez un nom au jeton, pour le reconnaître plus tard.", field="name")
    if len(name) > 100:
        raise AccountError("Le nom du jeton ne doit pas dépasser 100 caractères.", field="name")
    with transaction.atomic():
        # Lock the person's row so that two simultaneous creations cannot pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            raise AccountError(
                f"Vous avez déjà {MAX_ACTIVE_TOKENS} jetons actifs : révoquez-en un d'abord."
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user, name=name, prefix=secret[:12], digest=_digest(secret)
        )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
        if token is None:
            raise NotFoundError("Ce jeton n'existe pas.")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user owning this token secret, or None. Records the last use (at most once a
    minute, to spare a write on every request)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_export_data(*, user: User) -> dict[str, Any]:
    """Everything Turbine holds about the person, as JSON values, section by section."""
    return {
        "format": "turbine-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "sections": {
            section.key: {"label": section.label, "data": section.export(user)}
            for section in personal_data.sections()
        },
    }


def user_delete(*, user: User) -> None:
    """Delete the account: anonymise what must outlive it, then delete the rest (the account,
    its email addresses, tokens, sessions and login history)."""
    with transaction.atomic():
        for section in personal_data.sections():
            if section.anonymise is not None:
                section.anonymise(user)

        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=user.email).delete()
        user.delete()
