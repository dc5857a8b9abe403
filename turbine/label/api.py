"""API of the charter and the label, mounted under /api/v1/ (public reads, open data)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from turbine.core.api import Pagination
from turbine.label.selectors import charter as charter_selectors
from turbine.label.selectors import label as selectors

router = Router(tags=["Charte et label"])


class NodeOut(Schema):
    numero: str
    parent: str | None
    niveau: str = Field(description="axe, critere ou sous-critere")
    intitule: str
    points: float
    categorie: str = Field(description="bases, mise-en-oeuvre ou effets (feuilles seulement)")
    preuves_attendues: str
    description: str


class RequirementOut(Schema):
    numero: str
    part_fait_minimale: float


class LevelOut(Schema):
    etoiles: int
    nom: str
    part_fait_minimale: float = Field(description="part « fait » du potentiel, de 0 à 1")
    exigences: list[RequirementOut]


class ReferentialOut(Schema):
    id: int
    nom: str
    version: str
    en_vigueur: bool
    validite_ans: int
    points_total: float
    niveaux: list[LevelOut]
    noeuds: list[NodeOut]


@router.get("/label/referential", response=ReferentialOut, summary="Référentiel du label")
def referential(
    request: HttpRequest,
    version: int | None = Query(None, ge=1, le=2_000_000_000, description="id d'une version"),
) -> dict[str, Any]:
    """L'arbre axe > critère > sous-critère du label, avec les points de chaque nœud, les
    preuves attendues, la catégorie de chaque feuille, et les niveaux (seuils en part
    « fait »). Sans `version`, le référentiel en vigueur."""
    current = (
        selectors.get_referential(referential_id=version)
        if version
        else selectors.current_referential()
    )
    if current is None:
        raise Http404("Le référentiel du label n'est pas encore publié")
    nodes = selectors.referential_nodes(current)
    by_id = {n.pk: n.identifier for n in nodes}
    return {
        "id": current.pk,
        "nom": current.name,
        "version": current.version,
        "en_vigueur": current.is_current,
        "validite_ans": current.validity_years,
        "points_total": float(sum(n.points for n in nodes if n.parent_id is None)),
        "niveaux": [
            {
                "etoiles": lv.stars,
                "nom": lv.name,
                "part_fait_minimale": float(lv.min_fait_share),
                "exigences": [
                    {"numero": r.node.identifier, "part_fait_minimale": float(r.min_fait_share)}
                    for r in lv.requirements.all()
                ],
            }
            for lv in selectors.referential_levels(current)
        ],
        "noeuds": [
            {
                "numero": n.identifier,
                "parent": by_id.get(n.parent_id) if n.parent_id else None,
                "niveau": n.kind,
                "intitule": n.title,
                "points": float(n.points),
                "categorie": n.category,
                "preuves_attendues": n.evidence_expected,
                "description": n.description,
            }
            for n in nodes
        ],
    }


class RegistryOut(Schema):
    id: int
    type: str = Field(description="projet ou organisation")
    nom: str
    etoiles: int
    niveau: str
    annee: int
    part_fait: float = Field(description="score « fait » retenu par le comité, de 0 à 1")
    valable_du: date
    valable_jusqu_au: date
    confirme: bool = Field(description="confirmé après livraison")
    url: str = Field(description="page du label au registre")
    badge: str = Field(description="badge SVG à intégrer")
    fiche: str = Field(description="page du projet ou de l'organisation")
    is_demo: bool


@router.get("/label/registry", response=list[RegistryOut], summary="Registre des labellisés")
@paginate(Pagination)
def registry(
    request: HttpRequest,
    etoiles: int | None = Query(None, ge=1, le=5, description="niveau"),
    annee: int | None = Query(None, ge=2000, le=2100, description="année d'obtention"),
    type: Literal["projet", "organisation"] | None = Query(None, description="type de porteur"),
) -> list[dict[str, Any]]:
    """Les projets et structures dont le label est en cours de validité, meilleur niveau
    d'abord."""
    out = []
    for entry in selectors.registry(stars=etoiles, year=annee, kind=type or ""):
        a, d = entry.application, entry.decision
        out.append(
            {
                "id": a.pk,
                "type": "projet" if a.project_id else "organisation",
                "nom": a.holder_name,
                "etoiles": d.level.stars,
                "niveau": d.level.name,
                "annee": d.valid_from.year,
                "part_fait": d.committee_score.get("total", {}).get("part_fait", 0.0),
                "valable_du": d.valid_from,
                "valable_jusqu_au": d.valid_until,
                "confirme": a.status == "confirme",
                "url": request.build_absolute_uri(reverse("label:registry_detail", args=[a.pk])),
                "badge": request.build_absolute_uri(reverse("label:badge", args=[a.pk])),
                "fiche": request.build_absolute_uri(a.holder_url),
                "is_demo": a.is_demo,
            }
        )
    return out


class SignatoryOut(Schema):
    type: str = Field(description="organisation ou commune")
    nom: str
    organisation_id: int | None
    commune: str | None = Field(description="code INSEE de la commune (signataire ou siège)")
    famille: str | None = Field(description="famille d'acteurs (font, aident, diffusent)")
    agglomeration: str | None = Field(description="SIREN de l'agglomération")
    version: int
    signee_le: datetime
    signataire: str
    fonction: str
    is_demo: bool


@router.get("/charter/signatories", response=list[SignatoryOut], summary="Signataires de la charte")
@paginate(Pagination)
def signatories(
    request: HttpRequest,
    famille: Literal["font", "aident", "diffusent", "commune"] | None = Query(
        None, description="famille d'acteurs, ou commune"
    ),
    agglomeration: str | None = Query(
        None, min_length=9, max_length=9, pattern=r"^\d{9}$", description="SIREN"
    ),
) -> Any:
    """Les organisations et communes qui adhèrent à la version en vigueur de la charte."""
    version = charter_selectors.current_version()
    if version is None:
        return []
    qs = charter_selectors.signatures_filtered(
        version=version, family=famille or "", agglomeration=agglomeration or ""
    )
    return _Signatures(qs)


class _Signatures:
    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        out = []
        for s in self.qs[key]:
            org = s.organisation
            place = org.commune if org else s.commune
            agglo = place.agglomeration if place else None
            out.append(
                {
                    "type": "organisation" if org else "commune",
                    "nom": org.name if org else s.commune.name,
                    "organisation_id": org.pk if org else None,
                    "commune": place.code if place else None,
                    "famille": org.family if org else None,
                    "agglomeration": agglo.siren if agglo else None,
                    "version": s.version.number,
                    "signee_le": s.signed_at,
                    "signataire": s.signer_name,
                    "fonction": s.signer_role,
                    "is_demo": s.is_demo or bool(org and org.is_demo),
                }
            )
        return out
