"""The label's referential: staff import it from CSV (a new version each time), export it,
make a version current, and set its levels."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from turbine.accounts.models import User
from turbine.core.csvcells import csv_row
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.label.models import (
    Category,
    Level,
    LevelRequirement,
    NodeKind,
    Referential,
    ReferentialNode,
)

COLUMNS = ["numero", "intitule", "points", "categorie", "preuves_attendues", "description"]
MAX_CSV_BYTES = 1024 * 1024
MAX_ROWS = 2000
IDENTIFIER_RE = re.compile(r"^[1-9]\d{0,2}(\.[1-9]\d{0,2}){0,2}$")
KIND_BY_DEPTH = {0: NodeKind.AXIS, 1: NodeKind.CRITERION, 2: NodeKind.SUBCRITERION}
CATEGORY_BY_WORD = {
    **{c.value: c.value for c in Category},
    **{str(c.label).lower(): c.value for c in Category},
    "mise en oeuvre": Category.IMPLEMENTATION,
}
DEFAULT_LEVELS = [
    (1, "1 étoile", Decimal("0")),
    (2, "2 étoiles", Decimal("0.35")),
    (3, "3 étoiles", Decimal("0.50")),
    (4, "4 étoiles", Decimal("0.65")),
    (5, "5 étoiles", Decimal("0.75")),
]


def _require_staff(actor: User) -> None:
    if not actor.has_perm("label.manage_referential"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine modifie le référentiel.")


@dataclass(frozen=True)
class ParsedNode:
    identifier: str
    parent: str | None
    title: str
    points: Decimal
    category: str
    evidence: str
    description: str


def parse_csv(data: bytes) -> list[ParsedNode]:
    """Rows of a referential CSV (UTF-8, comma or semicolon), checked as a whole: the first
    error is raised as a French ``TurbineError`` naming its line."""
    if len(data) > MAX_CSV_BYTES:
        raise TurbineError("Le fichier dépasse 1 Mo.", field="file")
    if b"\x00" in data:
        raise TurbineError("Le fichier contient un caractère invalide (octet nul).", field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TurbineError("Le fichier doit être encodé en UTF-8.", field="file") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("numero", "intitule", "points") if c not in header]
    if missing:
        raise TurbineError(
            f"Colonnes manquantes : {', '.join(missing)}. Colonnes attendues : "
            f"{', '.join(COLUMNS)}.",
            field="file",
        )
    reader.fieldnames = header
    nodes: list[ParsedNode] = []
    seen: dict[str, ParsedNode] = {}
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise TurbineError(f"Le référentiel compte plus de {MAX_ROWS} lignes.", field="file")
        if None in row:
            raise TurbineError(f"Ligne {line} : trop de colonnes.", field="file")
        identifier = (row.get("numero") or "").strip()
        if not IDENTIFIER_RE.match(identifier):
            raise TurbineError(
                f"Ligne {line} : le numéro « {identifier[:20]} » doit s'écrire 1, 1.2 ou 1.2.3 "
                "(axe, critère, sous-critère).",
                field="file",
            )
        if identifier in seen:
            raise TurbineError(
                f"Ligne {line} : le numéro {identifier} est en double.", field="file"
            )
        parent = identifier.rsplit(".", 1)[0] if "." in identifier else None
        if parent is not None and parent not in seen:
            raise TurbineError(
                f"Ligne {line} : le parent {parent} de {identifier} doit le précéder.", field="file"
            )
        title = (row.get("intitule") or "").strip()
        if not title or len(title) > 300:
            raise TurbineError(
                f"Ligne {line} : l'intitulé est obligatoire (300 caractères au plus).", field="file"
            )
        raw_points = (row.get("points") or "").strip().replace(",", ".")
        try:
            points = Decimal(raw_points)
        except InvalidOperation:
            points = Decimal(-1)
        if (
            not points.is_finite()
            or points < 0
            or points > 10_000
            or not isinstance(exponent := points.as_tuple().exponent, int)
            or -exponent > 2
        ):
            raise TurbineError(
                f"Ligne {line} : les points doivent être un nombre entre 0 et 10 000 (deux "
                "décimales au plus).",
                field="file",
            )
        raw_category = (row.get("categorie") or "").strip().lower()
        category = CATEGORY_BY_WORD.get(raw_category, "") if raw_category else ""
        if raw_category and not category:
            raise TurbineError(
                f"Ligne {line} : catégorie « {raw_category[:30]} » inconnue (bases, mise en "
                "œuvre ou effets).",
                field="file",
            )
        evidence = (row.get("preuves_attendues") or "").strip()
        description = (row.get("description") or "").strip()
        if len(evidence) > 2000 or len(description) > 5000:
            raise TurbineError(f"Ligne {line} : texte trop long.", field="file")
        node = ParsedNode(identifier, parent, title, points, category, evidence, description)
        nodes.append(node)
        seen[identifier] = node
    if not nodes:
        raise TurbineError("Le fichier ne contient aucun critère.", field="file")
    _check_tree(nodes)
    return nodes


def _check_tree(nodes: list[ParsedNode]) -> None:
    children: dict[str, list[ParsedNode]] = {}
    for node in nodes:
        if node.parent:
            children.setdefault(node.parent, []).append(node)
    for node in nodes:
        kids = children.get(node.identifier, [])
        if kids:
            total = sum((k.points for k in kids), Decimal(0))
            if abs(total - node.points) > Decimal("0.01"):
                raise TurbineError(
                    f"{node.identifier} vaut {node.points} points, mais ses enfants en "
                    f"totalisent {total} : les points d'un nœud sont la somme de ceux de ses "
                    "enfants.",
                    field="file",
                )
            if node.category:
                raise TurbineError(
                    f"{node.identifier} a des enfants : seule une feuille porte une catégorie.",
                    field="file",
                )
        elif not node.category:
            raise TurbineError(
                f"{node.identifier} est une feuille : indiquez sa catégorie (bases, mise en "
                "œuvre ou effets).",
                field="file",
            )


@transaction.atomic
def referential_import(
    *,
    actor: User,
    name: str,
    version: str,
    data: bytes,
    commitments: str = "",
    validity_years: int = 4,
    make_current: bool = False,
) -> Referential:
    """A new referential version from a CSV, with the default levels; all or nothing."""
    _require_staff(actor)
    name = (name or "").strip()
    version = (version or "").strip()
    if not name or len(name) > 200 or "\x00" in name:
        raise TurbineError("Donnez un nom au référentiel (200 caractères au plus).", field="name")
    if not version or len(version) > 20 or "\x00" in version:
        raise TurbineError("Indiquez la version (20 caractères au plus).", field="version")
    if not 1 <= validity_years <= 10:
        raise TurbineError("La validité du label va de 1 à 10 ans.", field="validity_years")
    if "\x00" in commitments or len(commitments) > 20_000:
        raise TurbineError("Les engagements sont invalides ou trop longs.", field="commitments")
    parsed = parse_csv(data)
    referential = Referential.objects.create(
        name=name, version=version, commitments=commitments, validity_years=validity_years
    )
    by_identifier: dict[str, ReferentialNode] = {}
    for position, node in enumerate(parsed):
        by_identifier[node.identifier] = ReferentialNode.objects.create(
            referential=referential,
            parent=by_identifier.get(node.parent) if node.parent else None,
            kind=KIND_BY_DEPTH[node.identifier.count(".")],
            identifier=node.identifier,
            title=node.title,
            description=node.description,
            points=node.points,
            evidence_expected=node.evidence,
            category=node.category,
            position=position,
        )
    Level.objects.bulk_create(
        Level(referential=referential, stars=stars, name=label, min_fait_share=share)
        for stars, label, share in DEFAULT_LEVELS
    )
    if make_current:
        referential_make_current(actor=actor, referential_id=referential.pk)
        referential.is_current = True
    return referential


@transaction.atomic
def referential_make_current(*, actor: User, referential_id: int) -> None:
    _require_staff(actor)
    if not Referential.objects.filter(pk=referential_id).exists():
        raise NotFoundError("Ce référentiel n'existe pas.")
    Referential.objects.filter(is_current=True).exclude(pk=referential_id).update(is_current=False)
    Referential.objects.filter(pk=referential_id).update(is_current=True)


def referential_export_rows(referential: Referential) -> list[list[object]]:
    rows: list[list[object]] = [[*COLUMNS]]
    for node in referential.nodes.order_by("position", "id"):
        rows.append(
            csv_row(
                [
                    node.identifier,
                    node.title,
                    f"{node.points.normalize():f}",
                    node.category,
                    node.evidence_expected,
                    node.description,
                ]
            )
        )
    return rows


@transaction.atomic
def levels_set(
    *,
    actor: User,
    referential_id: int,
    thresholds: dict[int, Decimal],
    requirements: dict[int, list[tuple[str, Decimal]]] | None = None,
) -> None:
    """Set each level's fait threshold (0 to 1, rising with the stars) and its minimum scores
    on chosen nodes (by numero), replacing the previous requirements."""
    _require_staff(actor)
    referential = Referential.objects.select_for_update().filter(pk=referential_id).first()
    if referential is None:
        raise NotFoundError("Ce référentiel n'existe pas.")
    levels = {level.stars: level for level in referential.levels.all()}
    previous = Decimal(-1)
    for stars in sorted(levels):
        share = thresholds.get(stars, levels[stars].min_fait_share)
        if not Decimal(0) <= share <= Decimal(1):
            raise TurbineError(f"Le seuil du niveau {stars} doit être entre 0 et 100 %.")
        if share <= previous:
            raise TurbineError(
                f"Le seuil du niveau {stars} doit dépasser celui du niveau précédent."
            )
        previous = share
        levels[stars].min_fait_share = share
        levels[stars].save(update_fields=["min_fait_share"])
    if requirements is None:
        return
    nodes = {n.identifier: n for n in referential.nodes.all()}
    LevelRequirement.objects.filter(level__referential=referential).delete()
    for stars, items in requirements.items():
        if stars not in levels:
            raise TurbineError(f"Le niveau {stars} n'existe pas.")
        for identifier, share in items:
            if identifier not in nodes:
                raise TurbineError(f"Le critère {identifier} n'existe pas dans ce référentiel.")
            if not Decimal(0) <= share <= Decimal(1):
                raise TurbineError("Une exigence de score doit être entre 0 et 100 %.")
            LevelRequirement.objects.create(
                level=levels[stars], node=nodes[identifier], min_fait_share=share
            )
