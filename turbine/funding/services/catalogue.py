"""Writes of the funding catalogue: perimeters, funders, aids, local notes, expiry."""

from __future__ import annotations

import csv
import datetime
import gzip
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from turbine.core import search
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.funding import rules as funding_rules
from turbine.funding.models import (
    SCALE_RANK,
    Aid,
    AidPerimeter,
    AidSource,
    AidStatus,
    AidType,
    Beneficiary,
    ExpenseType,
    Funder,
    FunderLevel,
    LocalNote,
    NoteVisibility,
    Perimeter,
    ProjectStage,
    Recurrence,
    Scale,
    live_q,
    spaced,
)

PERIMETERS_FILE = Path(__file__).resolve().parent.parent / "data" / "perimeters.csv.gz"
EU_CODE = "EU"
FRANCE_CODE = "FR"


class FundingError(TurbineError):
    pass


# --- Who is told when the catalogue changes --------------------------------------------------

_catalogue_listeners: list[Callable[[], None]] = []


def on_catalogue_change(listener: Callable[[], None]) -> None:
    """Register a function to run after a change of the catalogue commits (an import run, a
    staff edit, unpublished aids): apps to the right of funding keep what they derived from
    it up to date (the guichet's stored results). Listeners take no argument, stay cheap
    (they send a task) and must be idempotent."""
    if listener not in _catalogue_listeners:
        _catalogue_listeners.append(listener)


def catalogue_changed() -> None:
    """Tell the listeners, once the current transaction commits."""
    for listener in _catalogue_listeners:
        transaction.on_commit(listener)


# --- Perimeters -------------------------------------------------------------------------------


def _perimeter_rows(path: Path) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rb") as handle:
        yield from csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8"))


def perimeter_search_name(name: str) -> str:
    return " ".join(search.fold(name).replace("-", " ").replace("'", " ").split())


def perimeters_load(*, path: Path = PERIMETERS_FILE, departments: Iterable[str] = ()) -> int:
    """Create or update the perimeters (EU, France, regions, departments, EPCI, communes) from
    the bundled Etalab extract; idempotent. ``departments`` limits the communes to those
    departments (tests). Returns the number of perimeters written."""
    only = set(departments)
    rows = list(_perimeter_rows(path))
    if only:
        rows = [r for r in rows if r["scale"] != "commune" or r["department"] in only]

    def upsert(objs: list[Perimeter], fields: list[str]) -> None:
        Perimeter.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["scale", "code"],
            update_fields=fields,
        )

    def ids(scale: str) -> dict[str, int]:
        return dict(Perimeter.objects.filter(scale=scale).values_list("code", "id"))

    with transaction.atomic():
        top = [
            Perimeter(scale=Scale.EU, code=EU_CODE, name="Union européenne"),
            Perimeter(scale=Scale.COUNTRY, code=FRANCE_CODE, name="France"),
        ] + [
            Perimeter(scale=r["scale"], code=r["code"], name=r["name"])
            for r in rows
            if r["scale"] in ("region", "epci")
        ]
        for p in top:
            p.rank = SCALE_RANK[p.scale]
            p.search_name = perimeter_search_name(p.name)
        upsert(top, ["name", "search_name", "rank"])
        regions = ids(Scale.REGION)
        upsert(
            [
                Perimeter(
                    scale=Scale.DEPARTMENT,
                    code=r["code"],
                    name=r["name"],
                    search_name=perimeter_search_name(r["name"]),
                    rank=SCALE_RANK[Scale.DEPARTMENT],
                    region_id=regions.get(r["region"]),
                )
                for r in rows
                if r["scale"] == "department"
            ],
            ["name", "search_name", "rank", "region"],
        )
        departments_ids, epcis = ids(Scale.DEPARTMENT), ids(Scale.EPCI)
        communes = [
            Perimeter(
                scale=Scale.COMMUNE,
                code=r["code"],
                name=r["name"],
                search_name=perimeter_search_name(r["name"]),
                rank=SCALE_RANK[Scale.COMMUNE],
                region_id=regions.get(r["region"]),
                department_id=departments_ids.get(r["department"]),
                epci_id=epcis.get(r["epci"]),
            )
            for r in rows
            if r["scale"] == "commune"
        ]
        upsert(communes, ["name", "search_name", "rank", "region", "department", "epci"])
    return len(top) + len(departments_ids) + len(communes)


def perimeters_ensure_loaded() -> int:
    """Load the perimeters if no commune is known yet (demo data, imports); returns how many
    were written (0 when they were there)."""
    if Perimeter.objects.filter(scale=Scale.COMMUNE).exists():
        return 0
    return perimeters_load()


# --- Funders ----------------------------------------------------------------------------------


def funder_get_or_create(
    *, name: str, level: str = FunderLevel.STATE, website: str = "", description: str = "",
    logo_url: str = "", is_demo: bool = False,
) -> Funder:  # fmt: skip
    name = " ".join(name.split())[:200]
    if not name:
        raise FundingError("Le nom du financeur est obligatoire.", field="name")
    if level not in FunderLevel.values:
        raise FundingError("Niveau de financeur inconnu.", field="level")
    funder, _ = Funder.objects.get_or_create(
        name=name,
        defaults={
            "level": level,
            "website": website,
            "description": description,
            "logo_url": logo_url,
            "is_demo": is_demo,
        },
    )
    return funder


# --- Aids -------------------------------------------------------------------------------------

CHOICE_LISTS = {
    "types": AidType,
    "beneficiaries": Beneficiary,
    "stages": ProjectStage,
    "expense_types": ExpenseType,
}
SCALAR_FIELDS = {
    "title",
    "short_description",
    "description",
    "is_call_for_projects",
    "start_date",
    "predeposit_date",
    "deadline",
    "recurrence",
    "subsidy_rate_min",
    "subsidy_rate_max",
    "amount_min",
    "amount_max",
    "amount_comment",
    "eligibility",
    "origin_url",
    "application_url",
    "contact",
}
RELATION_FIELDS = {"funders", "instructors", "themes", "perimeters"}
EDITABLE_FIELDS = SCALAR_FIELDS | set(CHOICE_LISTS) | RELATION_FIELDS


def _validate(values: dict[str, Any]) -> None:
    title = values.get("title")
    if title is not None and not str(title).strip():
        raise FundingError("Le titre de l'aide est obligatoire.", field="title")
    for name, choices in CHOICE_LISTS.items():
        unknown = [v for v in values.get(name) or () if v not in choices.values]
        if unknown:
            raise FundingError(f"Valeur(s) inconnue(s) : {', '.join(unknown)}.", field=name)
    if values.get("recurrence") not in (None, *Recurrence.values):
        raise FundingError("Récurrence inconnue.", field="recurrence")
    low, high = values.get("subsidy_rate_min"), values.get("subsidy_rate_max")
    for rate, field in ((low, "subsidy_rate_min"), (high, "subsidy_rate_max")):
        if rate is not None and not 0 <= rate <= 100:
            raise FundingError("Un taux de subvention est compris entre 0 et 100 %.", field=field)
    if low is not None and high is not None and low > high:
        raise FundingError("Le taux minimal dépasse le taux maximal.", field="subsidy_rate_min")
    low, high = values.get("amount_min"), values.get("amount_max")
    if low is not None and high is not None and low > high:
        raise FundingError("Le montant minimal dépasse le montant maximal.", field="amount_min")
    start, deadline = values.get("start_date"), values.get("deadline")
    if start and deadline and start > deadline:
        raise FundingError(
            "La date d'ouverture doit précéder la date limite de dépôt.", field="deadline"
        )


def _apply(aid: Aid, values: dict[str, Any]) -> list[str]:
    """Set scalar and choice-list fields; returns the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if name in CHOICE_LISTS:
            value = spaced(list(value or ()))
        elif name in ("title", "short_description", "amount_comment"):
            value = " ".join(str(value or "").split())
        elif name not in SCALAR_FIELDS:
            continue
        if getattr(aid, name) != value:
            setattr(aid, name, value)
            changed.append(name)
    return changed


def _set_relations(aid: Aid, values: dict[str, Any]) -> list[str]:
    changed = []
    if "funders" in values and set(values["funders"]) != {f.pk for f in aid.funders.all()}:
        aid.funders.set(values["funders"])
        changed.append("funders")
    if "instructors" in values and set(values["instructors"]) != {
        f.pk for f in aid.instructors.all()
    }:
        aid.instructors.set(values["instructors"])
        changed.append("instructors")
    if "themes" in values:
        themes = list(Theme.objects.filter(slug__in=values["themes"]))
        if len(themes) != len(set(values["themes"])):
            raise FundingError("Thème inconnu.", field="themes")
        if {t.pk for t in themes} != {t.pk for t in aid.themes.all()}:
            aid.themes.set(themes)
            changed.append("themes")
    if "perimeters" in values:
        wanted = set(values["perimeters"])
        current = set(aid.aid_perimeters.values_list("perimeter_id", flat=True))
        if wanted != current:
            if Perimeter.objects.filter(pk__in=wanted).count() != len(wanted):
                raise FundingError("Périmètre inconnu.", field="perimeters")
            aid.aid_perimeters.exclude(perimeter_id__in=wanted).delete()
            AidPerimeter.objects.bulk_create(
                [AidPerimeter(aid=aid, perimeter_id=p) for p in wanted - current]
            )
            changed.append("perimeters")
        ranks = Perimeter.objects.filter(pk__in=wanted).values_list("rank", flat=True)
        aid.narrowest_rank = min(ranks, default=9)
        aid.save(update_fields=["narrowest_rank"])
    return changed


def _check_publishable(aid: Aid) -> None:
    if aid.status != AidStatus.DRAFT and not aid.aid_perimeters.exists():
        raise FundingError("Une aide publiée doit avoir au moins un périmètre.", field="perimeters")


def aid_document(aid: Aid) -> search.Document:
    return search.Document(
        kind="aide",
        object_id=str(aid.pk),
        title=aid.title,
        url=reverse("funding:aid", args=[aid.pk]),
        body=" ".join(
            [
                aid.short_description,
                aid.description,
                aid.eligibility,
                " ".join(f.name for f in aid.funders.all()),
            ]
        ),
        themes=[t.slug for t in aid.themes.all()],
    )


def aid_documents() -> Iterator[search.Document]:
    """Every live aid, for ``core.search`` (drafts and expired aids are not searchable)."""
    qs = Aid.objects.filter(live_q()).prefetch_related("funders", "themes").order_by("pk")
    for aid in qs.iterator(chunk_size=500):
        yield aid_document(aid)


def _reindex(aid: Aid) -> None:
    if aid.is_live:
        search.index([aid_document(aid)])
    else:
        search.unindex(kind="aide", object_ids=[str(aid.pk)])


def aid_values_validate(values: dict[str, Any]) -> None:
    """The catalogue's rules on an aid's values (raises ``FundingError`` naming the field):
    the management form and the API run them before any write."""
    _validate(values)


def _save_aid(
    *,
    aid: Aid,
    values: dict[str, Any],
    status: str | None,
    staff_edit: bool,
    skip: set[str],
    revive: bool = True,
) -> Aid:
    values = {k: v for k, v in values.items() if k not in skip}
    unknown = set(values) - EDITABLE_FIELDS
    if unknown:
        raise FundingError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    merged = {
        "start_date": aid.start_date,
        "deadline": aid.deadline,
        "subsidy_rate_min": aid.subsidy_rate_min,
        "subsidy_rate_max": aid.subsidy_rate_max,
        "amount_min": aid.amount_min,
        "amount_max": aid.amount_max,
        **values,
    }
    _validate(merged)
    is_new = aid.pk is None
    changed = _apply(aid, values)
    if status is not None and status != aid.status:
        if status not in AidStatus.values:
            raise FundingError("Statut inconnu.", field="status")
        if status == AidStatus.PUBLISHED and aid.published_at is None:
            aid.published_at = timezone.now()
        aid.status = status
        changed.append("status")
    if (
        revive
        and aid.status == AidStatus.EXPIRED
        and (aid.deadline is None or aid.deadline >= timezone.localdate())
    ):
        # A deadline moved later revives an expired aid.
        aid.status = AidStatus.PUBLISHED
    if staff_edit:
        aid.edited_fields = sorted(set(aid.edited_fields) | (set(changed) - {"status"}))
    aid.save()
    changed += _set_relations(aid, values)
    if staff_edit and not is_new:
        aid.edited_fields = sorted(set(aid.edited_fields) | (set(changed) - {"status"}))
    if changed and not is_new:
        aid.changed_at = timezone.now()
    aid.save(update_fields=["edited_fields", "changed_at", "status", "published_at"])
    _check_publishable(aid)
    _reindex(aid)
    aid.changed_fields = changed  # type: ignore[attr-defined]  # for callers' reports
    return aid


def _require_staff(actor: Any) -> None:
    if actor is not None and not funding_rules.can_edit_catalogue(actor):
        raise PermissionDeniedError("Seule l'équipe de la Turbine modifie le catalogue des aides.")


@transaction.atomic
def aid_create(
    *,
    actor: Any,
    values: dict[str, Any],
    status: str = AidStatus.DRAFT,
    source: str = AidSource.MANUAL,
    source_id: str | None = None,
    is_demo: bool = False,
) -> Aid:
    """Create an aid. ``actor`` is a staff member, or None for the system (import, demo)."""
    _require_staff(actor)
    aid = Aid(source=source, source_id=source_id, is_demo=is_demo, title=values.get("title", ""))
    if source == AidSource.AIDES_TERRITOIRES:
        aid.imported_at = timezone.now()
    aid = _save_aid(aid=aid, values=values, status=status, staff_edit=False, skip=set())
    if actor is not None:
        catalogue_changed()  # imports tell once, at the end of their run
    return aid


@transaction.atomic
def aid_update(
    *, actor: Any, aid_id: int, values: dict[str, Any], status: str | None = None
) -> Aid:
    """Staff edit: every changed field is recorded so that imports leave it alone."""
    _require_staff(actor)
    aid = Aid.objects.select_for_update().filter(pk=aid_id).first()
    if aid is None:
        raise NotFoundError("Aide introuvable.")
    aid = _save_aid(aid=aid, values=values, status=status, staff_edit=actor is not None, skip=set())
    catalogue_changed()
    return aid


def aid_save_managed(*, aid: Aid, values: dict[str, Any], status: str | None) -> Aid:
    """A funder's write from its management pages (``services.management``): the catalogue's
    validation, ranks and index, with no staff-edit record; an aid its funder closed stays
    closed whatever its deadline. Must be called inside a transaction holding a lock on the
    aid (or with a new aid)."""
    aid = _save_aid(
        aid=aid, values=values, status=status, staff_edit=False, skip=set(), revive=False
    )
    catalogue_changed()
    return aid


@transaction.atomic
def aid_import_update(*, aid_id: int, values: dict[str, Any]) -> Aid:
    """An import's update: fields edited by staff are skipped, the status is kept."""
    # Locked so that a staff edit running at the same time is not overwritten.
    aid = Aid.objects.select_for_update().get(pk=aid_id)
    aid.imported_at = timezone.now()
    aid.save(update_fields=["imported_at"])
    return _save_aid(
        aid=aid, values=values, status=None, staff_edit=False, skip=set(aid.edited_fields)
    )


@dataclass
class Unpublished:
    unpublished: int
    to_review: list[tuple[str, str]]


def aids_unpublish_missing(*, seen_source_ids: set[str]) -> Unpublished:
    """After a complete import run: published Aides-territoires aids absent from it are
    withdrawn or expired there. They become expired (never deleted) and leave the search index;
    those staff edited stay published and are returned for review."""
    with transaction.atomic():
        gone = Aid.objects.filter(
            source=AidSource.AIDES_TERRITOIRES, status=AidStatus.PUBLISHED
        ).exclude(source_id__in=seen_source_ids)
        to_review = [
            (str(a.source_id), a.title) for a in gone.exclude(edited_fields=[]).order_by("pk")
        ]
        ids = list(gone.filter(edited_fields=[]).values_list("pk", flat=True))
        # Conditional on the status: an aid a staff member unpublished meanwhile is not counted.
        count = Aid.objects.filter(pk__in=ids, status=AidStatus.PUBLISHED).update(
            status=AidStatus.EXPIRED, changed_at=timezone.now()
        )
        search.unindex(kind="aide", object_ids=ids)
    return Unpublished(unpublished=count, to_review=to_review)


def aids_expire(*, today: datetime.date | None = None) -> int:
    """Mark published aids past their deadline as expired and take them out of the search
    index (the scheduled task). Eligibility never depends on it: queries compare the dates."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ids = list(
            Aid.objects.filter(status=AidStatus.PUBLISHED, deadline__lt=today).values_list(
                "pk", flat=True
            )
        )
        Aid.objects.filter(pk__in=ids, status=AidStatus.PUBLISHED).update(status=AidStatus.EXPIRED)
        search.unindex(kind="aide", object_ids=ids)
    return len(ids)


# --- Local notes ------------------------------------------------------------------------------


@transaction.atomic
def note_create(*, actor: Any, aid_id: int, text: str, visibility: str) -> LocalNote:
    if not funding_rules.can_write_notes(actor):
        raise PermissionDeniedError("Seule l'équipe de la Turbine annote les aides.")
    text = (text or "").strip()
    if not text:
        raise FundingError("La note est vide.", field="text")
    if len(text) > 5000:
        raise FundingError("La note ne doit pas dépasser 5 000 caractères.", field="text")
    if visibility not in NoteVisibility.values:
        raise FundingError("Visibilité inconnue.", field="visibility")
    aid = Aid.objects.filter(pk=aid_id).first()
    if aid is None:
        raise NotFoundError("Aide introuvable.")
    return LocalNote.objects.create(aid=aid, author=actor, text=text, visibility=visibility)


@transaction.atomic
def note_delete(*, actor: Any, note_id: int) -> None:
    if not funding_rules.can_write_notes(actor):
        raise PermissionDeniedError("Seule l'équipe de la Turbine annote les aides.")
    deleted, _ = LocalNote.objects.filter(pk=note_id).delete()
    if not deleted:
        raise NotFoundError("Note introuvable.")


@transaction.atomic
def aid_admin_saved(*, aid_id: int, changed_fields: list[str]) -> None:
    """After a save in the back-office: record the staff's edits, refresh the narrowest rank,
    the change date, publication date and the search index."""
    aid = Aid.objects.select_for_update().get(pk=aid_id)
    edited = set(changed_fields) & EDITABLE_FIELDS
    aid.edited_fields = sorted(set(aid.edited_fields) | edited)
    ranks = aid.aid_perimeters.values_list("perimeter__rank", flat=True)
    aid.narrowest_rank = min(ranks, default=9)
    if changed_fields:
        aid.changed_at = timezone.now()
    if aid.status == AidStatus.PUBLISHED and aid.published_at is None:
        aid.published_at = timezone.now()
    aid.save(update_fields=["edited_fields", "narrowest_rank", "changed_at", "published_at"])
    _reindex(aid)
    catalogue_changed()
