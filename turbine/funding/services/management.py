"""A funder's management of its own aids (``/financeurs/<id>/gestion/`` and the aids API):
create, edit, publish, close, duplicate for a new session, local notes; every write is
permission-checked (``rules.can_manage_funder`` / ``can_manage_aid``), goes through the
catalogue's validation (``catalogue.aid_save_managed``) and is written to the audit log
(``AidChange``) in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from turbine.core.exceptions import NotFoundError, PermissionDeniedError
from turbine.funding import rules as funding_rules
from turbine.funding.models import (
    Aid,
    AidChange,
    AidChangeAction,
    AidSource,
    AidStatus,
    Funder,
    LocalNote,
    NoteVisibility,
)
from turbine.funding.services.catalogue import (
    CHOICE_LISTS,
    SCALAR_FIELDS,
    FundingError,
    aid_save_managed,
)

IMPORTED_READ_ONLY = (
    "Cette aide vient d'Aides-territoires : elle se modifie là-bas et l'import la met à jour. "
    "Ici, vous pouvez y ajouter une note locale."
)
# What a funder may send: the catalogue's fields, except the co-funders and instructors that
# the Turbine's staff keep.
MANAGED_FIELDS = SCALAR_FIELDS | set(CHOICE_LISTS) | {"themes", "perimeters"}
# Dates of a session, cleared on a copy for the next one.
SESSION_DATES = ("start_date", "predeposit_date", "deadline")


def _log(
    *, aid: Aid, funder: Funder | None, actor: Any, action: str, fields: Iterable[str] = (),
    detail: str = "",
) -> AidChange:  # fmt: skip
    return AidChange.objects.create(
        aid=aid,
        funder=funder,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        fields=sorted(set(fields)),
        detail=detail[:300],
    )


def _funder_for(*, actor: Any, funder_id: int) -> Funder:
    funder = Funder.objects.select_related("organisation").filter(pk=funder_id).first()
    if funder is None:
        raise NotFoundError("Financeur introuvable.")
    if not funding_rules.can_manage_funder(actor, funder):
        raise PermissionDeniedError("Seuls les membres de ce financeur gèrent ses aides.")
    return funder


def _locked_aid(*, actor: Any, aid_id: int, funder_id: int | None) -> tuple[Aid, Funder]:
    """The aid, locked for the rest of the transaction (two members editing at once write one
    after the other), with the funder the change is made for."""
    aid = Aid.objects.select_for_update(of=("self",)).filter(pk=aid_id).first()
    if aid is None:
        raise NotFoundError("Aide introuvable.")
    funders = list(aid.funders.select_related("organisation"))
    if funder_id is not None:
        funders = [f for f in funders if f.pk == funder_id]
        if not funders:
            raise NotFoundError("Cette aide n'est pas une aide de ce financeur.")
    managed = [f for f in funders if funding_rules.can_manage_funder(actor, f)]
    if not managed:
        raise PermissionDeniedError("Seuls les membres d'un de ses financeurs gèrent cette aide.")
    return aid, managed[0]


def _require_editable(aid: Aid) -> None:
    if aid.source == AidSource.AIDES_TERRITOIRES:
        raise PermissionDeniedError(IMPORTED_READ_ONLY)


def _managed_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - MANAGED_FIELDS
    if unknown:
        raise FundingError(f"Champ(s) non modifiable(s) ici : {', '.join(sorted(unknown))}.")
    return values


@transaction.atomic
def managed_aid_create(
    *, actor: Any, funder_id: int, values: dict[str, Any], publish: bool = False
) -> Aid:
    """A new aid of the funder, a draft unless ``publish`` (then it needs a perimeter)."""
    funder = _funder_for(actor=actor, funder_id=funder_id)
    values = {**_managed_values(values), "funders": [funder.pk]}
    aid = Aid(source=AidSource.MANUAL, title=values.get("title", ""))
    status = AidStatus.PUBLISHED if publish else AidStatus.DRAFT
    if publish:
        _check_deadline_ahead(values.get("deadline"))
    aid = aid_save_managed(aid=aid, values=values, status=status)
    _log(aid=aid, funder=funder, actor=actor, action=AidChangeAction.CREATED)
    if publish:
        _log(aid=aid, funder=funder, actor=actor, action=AidChangeAction.PUBLISHED)
    return aid


@transaction.atomic
def managed_aid_update(
    *, actor: Any, aid_id: int, values: dict[str, Any], funder_id: int | None = None
) -> Aid:
    """Change the fields given; imported aids are refused (read-only but for notes)."""
    aid, funder = _locked_aid(actor=actor, aid_id=aid_id, funder_id=funder_id)
    _require_editable(aid)
    values = _managed_values(values)
    if aid.status == AidStatus.PUBLISHED and "perimeters" in values and not values["perimeters"]:
        raise FundingError("Une aide publiée doit avoir au moins un périmètre.", field="perimeters")
    aid = aid_save_managed(aid=aid, values=values, status=None)
    changed = getattr(aid, "changed_fields", [])
    if changed:
        _log(aid=aid, funder=funder, actor=actor, action=AidChangeAction.EDITED, fields=changed)
    return aid


def _check_deadline_ahead(deadline: Any) -> None:
    if deadline is not None and deadline < timezone.localdate():
        raise FundingError(
            "La date limite de dépôt est passée : changez-la, ou dupliquez l'aide pour une "
            "nouvelle session.",
            field="deadline",
        )


@transaction.atomic
def managed_aid_publish(*, actor: Any, aid_id: int, funder_id: int | None = None) -> Aid:
    """Publish a draft, or reopen a closed aid whose deadline is still ahead."""
    aid, funder = _locked_aid(actor=actor, aid_id=aid_id, funder_id=funder_id)
    _require_editable(aid)
    if aid.is_live:
        raise FundingError("Cette aide est déjà publiée.")
    _check_deadline_ahead(aid.deadline)
    aid = aid_save_managed(aid=aid, values={}, status=AidStatus.PUBLISHED)
    _log(aid=aid, funder=funder, actor=actor, action=AidChangeAction.PUBLISHED)
    return aid


@transaction.atomic
def managed_aid_close(*, actor: Any, aid_id: int, funder_id: int | None = None) -> Aid:
    """Close a published aid now, whatever its deadline: it leaves the search and the
    matching, its page stays (as closed)."""
    aid, funder = _locked_aid(actor=actor, aid_id=aid_id, funder_id=funder_id)
    _require_editable(aid)
    if aid.status != AidStatus.PUBLISHED:
        raise FundingError("Seule une aide publiée peut être clôturée.")
    aid = aid_save_managed(aid=aid, values={}, status=AidStatus.EXPIRED)
    _log(aid=aid, funder=funder, actor=actor, action=AidChangeAction.CLOSED)
    return aid


@transaction.atomic
def managed_aid_duplicate(*, actor: Any, aid_id: int, funder_id: int | None = None) -> Aid:
    """A draft copy for the funder's next session: every field but the session's dates (and,
    for an imported aid, its Aides-territoires identity: the copy is the funder's own)."""
    aid, funder = _locked_aid(actor=actor, aid_id=aid_id, funder_id=funder_id)
    values: dict[str, Any] = {
        name: getattr(aid, name) for name in SCALAR_FIELDS if name not in SESSION_DATES
    }
    values.update({name: getattr(aid, name).split() for name in CHOICE_LISTS})
    values["themes"] = [t.slug for t in aid.themes.all()]
    values["perimeters"] = list(aid.aid_perimeters.values_list("perimeter_id", flat=True))
    values["funders"] = [f.pk for f in aid.funders.all()]
    copy = aid_save_managed(
        aid=Aid(source=AidSource.MANUAL, title=aid.title), values=values, status=AidStatus.DRAFT
    )
    copy.instructors.set(aid.instructors.all())
    _log(
        aid=copy,
        funder=funder,
        actor=actor,
        action=AidChangeAction.DUPLICATED,
        detail=f"Copie de l'aide n° {aid.pk} « {aid.title} »",
    )
    return copy


@transaction.atomic
def managed_note_create(
    *, actor: Any, aid_id: int, text: str, funder_id: int | None = None
) -> LocalNote:
    """A public local note by the funder, on any of its aids (imported ones included)."""
    aid, funder = _locked_aid(actor=actor, aid_id=aid_id, funder_id=funder_id)
    text = (text or "").strip()
    if not text:
        raise FundingError("La note est vide.", field="text")
    if len(text) > 5000:
        raise FundingError("La note ne doit pas dépasser 5 000 caractères.", field="text")
    note = LocalNote.objects.create(
        aid=aid, author=actor, text=text, visibility=NoteVisibility.PUBLIC
    )
    _log(aid=aid, funder=funder, actor=actor, action=AidChangeAction.NOTE, detail=text[:120])
    return note
