"""Pieces shared by the showcase services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from turbine.core.email import send_after_commit
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.projects.models import Project
from turbine.projects.selectors import public_projects
from turbine.territory.models import Commune


def require(allowed: bool, message: str = "Vous n'avez pas le droit de faire cela.") -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    """Text without NUL bytes nor surrounding spaces; ``TurbineError`` when empty or too long."""
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise TurbineError("Ce champ est obligatoire.", field=field)
    if len(value) > max_length:
        raise TurbineError(f"Ce champ ne doit pas dépasser {max_length} caractères.", field=field)
    return value


def send_text_email(*, to: list[str], subject: str, template: str, context: dict[str, Any]) -> None:
    """A plain-text email from ``showcase/email/<template>.txt``, queued after commit."""
    if not to:
        return
    body = render_to_string(
        f"showcase/email/{template}.txt", {**context, "site_url": settings.SITE_URL}
    )
    send_after_commit(EmailMessage(subject=f"[Turbine] {subject}", body=body, to=to))


MAX_LINKS = 30


def themes_checked(slugs: list[str]) -> list[Theme]:
    slugs = list(dict.fromkeys(slugs))[:MAX_LINKS]
    themes = list(Theme.objects.filter(slug__in=slugs))
    if len(themes) != len(slugs):
        raise TurbineError("Un des thèmes choisis n'existe pas.", field="themes")
    return themes


def communes_checked(codes: list[str]) -> list[Commune]:
    codes = list(dict.fromkeys(codes))[:MAX_LINKS]
    communes = list(Commune.objects.filter(code__in=codes))
    if len(communes) != len(codes):
        raise TurbineError("Une des communes choisies n'existe pas.", field="communes")
    return communes


def projects_checked(ids: list[int]) -> list[Project]:
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_LINKS:
        raise TurbineError(f"Au plus {MAX_LINKS} initiatives.", field="projects")
    projects = list(public_projects().filter(pk__in=ids))
    if len(projects) != len(ids):
        raise TurbineError("Une des initiatives choisies n'est pas publique.", field="projects")
    return projects
