"""A project's funding obtained, by source: rows of the funding app (which depends on projects,
not the reverse), written with the project by its edit page and its API through
``core.form_extensions`` (``funding/project_extension.py``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from turbine.accounts.models import User
from turbine.core.exceptions import PermissionDeniedError
from turbine.funding.models import Aid, AidStatus, FundingKind, ProjectFunding
from turbine.funding.services.catalogue import FundingError
from turbine.projects.models import Project

MAX_ROWS = 30


def _amount(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise FundingError("Indiquez un nombre.", field="fundings") from None
    if not number.is_finite() or number < 0:
        raise FundingError("Le nombre doit être positif.", field="fundings")
    if number >= Decimal("1e12"):
        raise FundingError("Ce montant est trop grand.", field="fundings")
    return number.quantize(Decimal("0.01"))


def _aids_by_id(fundings: list[dict[str, Any]]) -> dict[int, Aid]:
    """The catalogue aids named by the funding rows (one query); drafts are not nameable."""
    ids = set()
    for item in fundings:
        value = item.get("aid")
        if value is None or value == "":
            continue
        if isinstance(value, Aid):
            value = value.pk
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise FundingError("Numéro d'aide invalide.", field="fundings") from None
    if not ids:
        return {}
    found = {a.pk: a for a in Aid.objects.filter(pk__in=ids).exclude(status=AidStatus.DRAFT)}
    missing = ids - set(found)
    if missing:
        raise FundingError(
            f"Aide introuvable dans le catalogue : n° {', '.join(map(str, sorted(missing)))}.",
            field="fundings",
        )
    return found


def project_set_fundings(
    *, user: User, project: Project, fundings: list[dict[str, Any]]
) -> list[ProjectFunding]:
    """Replace the funding obtained: a list of ``{"source", "kind", "amount", "aid"}``;
    ``aid`` (optional) is an aid of the funding catalogue or its id, and stands for the source
    when none is given. Joins the caller's transaction (the project's save) when there is one."""
    if not user.has_perm("projects.change_project", project):
        raise PermissionDeniedError("Seuls les porteurs modifient ce projet.")
    if len(fundings) > MAX_ROWS:
        raise FundingError(f"Indiquez au plus {MAX_ROWS} lignes de financement.", field="fundings")
    aids = _aids_by_id(fundings)
    rows = []
    for item in fundings:
        value = item.get("aid")
        aid = aids[int(getattr(value, "pk", value))] if value not in (None, "") else None
        source = str(item.get("source") or "").strip() or (aid.title if aid else "")
        if not source:
            raise FundingError("Indiquez la source de chaque financement.", field="fundings")
        if item.get("kind") not in FundingKind.values:
            raise FundingError(
                f"Nature de financement inconnue : {item.get('kind')}.", field="fundings"
            )
        rows.append(
            ProjectFunding(
                project=project,
                source=source[:200],
                aid=aid,
                kind=item["kind"],
                amount=_amount(item.get("amount")),
            )
        )
    with transaction.atomic():
        # The rows are replaced as a whole: two saves of the same project queue on its row.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        ProjectFunding.objects.filter(project=project).delete()
        return ProjectFunding.objects.bulk_create(rows)
