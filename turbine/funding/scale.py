"""Synthetic aids at scale: 500 per factor (5,000 at the design target, factor 10), over
perimeters drawn from every French commune (their EPCI, department, region, France, the EU).

Rows are recognisable: aids by ``source_id`` "echelle-N", funders by the "(échelle)" suffix.
Dates count from the day of generation (the catalogue must stay live for the benchmarks).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from turbine.core import scale
from turbine.core.models import Theme
from turbine.directory.scale import MARK as DIRECTORY_MARK
from turbine.funding.models import (
    SCALE_RANK,
    Aid,
    AidPerimeter,
    AidStatus,
    AidType,
    Beneficiary,
    Funder,
    FunderLevel,
    FundingKind,
    Perimeter,
    ProjectFunding,
    Recurrence,
    Scale,
    spaced,
)
from turbine.funding.services.catalogue import perimeters_ensure_loaded
from turbine.projects.models import Project

AIDS_PER_FACTOR = 500
FUNDERS = 40
MARKER = "echelle-"
FUNDER_SUFFIX = " (échelle)"
VERBS = ["Financer", "Accompagner", "Soutenir", "Développer", "Rénover", "Créer", "Étudier"]
OBJECTS = [
    "la rénovation énergétique des écoles",
    "les réseaux de chaleur renouvelable",
    "les pistes cyclables et le stationnement vélo",
    "les jardins partagés et l'agriculture urbaine",
    "la désimperméabilisation des cours",
    "le réemploi et les ressourceries",
    "la reconversion des friches industrielles",
    "les projets alimentaires territoriaux",
    "les tiers-lieux et la coopération",
    "la gestion des eaux pluviales",
    "l'insertion par l'activité économique",
    "les centrales solaires citoyennes",
]
SCALES = [Scale.COMMUNE] * 7 + [Scale.EPCI] * 4 + [Scale.DEPARTMENT] * 3 + [Scale.REGION] * 2
SCALES += [Scale.COUNTRY] * 3 + [Scale.EU]


def generate(factor: int, rng: random.Random) -> str:
    perimeters_ensure_loaded()
    today = timezone.localdate()
    now = timezone.now()
    communes = list(
        Perimeter.objects.filter(scale=Scale.COMMUNE)
        .order_by("code")
        .values_list("id", "epci_id", "department_id", "region_id")
    )
    top = dict(
        Perimeter.objects.filter(scale__in=[Scale.COUNTRY, Scale.EU]).values_list("scale", "id")
    )
    ranks = dict(Perimeter.objects.exclude(scale=Scale.COMMUNE).values_list("id", "rank"))
    themes = list(Theme.objects.order_by("slug").values_list("id", flat=True))
    levels = list(FunderLevel.values)
    funders = Funder.objects.bulk_create(
        [
            Funder(
                name=f"Financeur synthétique {n:02}{FUNDER_SUFFIX}",
                level=levels[n % len(levels)],
                is_demo=True,
            )
            for n in range(FUNDERS)
        ]
    )
    aids, links = [], []
    for n in range(AIDS_PER_FACTOR * factor):
        commune_id, epci_id, department_id, region_id = rng.choice(communes)
        chosen = rng.choice(SCALES)
        perimeter_id = {
            Scale.COMMUNE: commune_id,
            Scale.EPCI: epci_id or commune_id,
            Scale.DEPARTMENT: department_id,
            Scale.REGION: region_id,
            Scale.COUNTRY: top[Scale.COUNTRY],
            Scale.EU: top[Scale.EU],
        }[chosen]
        roll = rng.random()
        status = AidStatus.DRAFT if roll < 0.05 else AidStatus.PUBLISHED
        deadline = (
            None if rng.random() < 0.25 else today + datetime.timedelta(rng.randint(-30, 365))
        )
        published = now - datetime.timedelta(days=rng.randint(0, 400))
        aids.append(
            Aid(
                title=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({n + 1})",
                short_description="Aide synthétique pour les mesures de performance.",
                description=f"Aide générée n° {n + 1}. " + " ".join(rng.sample(OBJECTS, 3)),
                types=spaced(rng.sample(AidType.values, rng.randint(1, 2))),
                beneficiaries=spaced(rng.sample(Beneficiary.values, rng.randint(1, 4))),
                is_call_for_projects=rng.random() < 0.3,
                recurrence=rng.choice(Recurrence.values),
                start_date=deadline - datetime.timedelta(days=90)
                if deadline and rng.random() < 0.3
                else None,
                deadline=deadline,
                subsidy_rate_max=rng.choice([None, 30, 50, 80]),
                status=status,
                published_at=published if status == AidStatus.PUBLISHED else None,
                changed_at=published,
                narrowest_rank=ranks.get(perimeter_id, SCALE_RANK[Scale.COMMUNE]),
                source_id=f"{MARKER}{n + 1}",
                is_demo=True,
            )
        )
        links.append((perimeter_id, rng.sample(funders, rng.randint(1, 2)), rng.sample(themes, 2)))
    aids = Aid.objects.bulk_create(aids, batch_size=1000)
    AidPerimeter.objects.bulk_create(
        [AidPerimeter(aid=aid, perimeter_id=p) for aid, (p, _, _) in zip(aids, links, strict=True)],
        batch_size=2000,
    )
    Aid.funders.through.objects.bulk_create(
        [
            Aid.funders.through(aid_id=aid.pk, funder_id=f.pk)
            for aid, (_, fs, _) in zip(aids, links, strict=True)
            for f in fs
        ],
        batch_size=2000,
    )
    Aid.themes.through.objects.bulk_create(
        [
            Aid.themes.through(aid_id=aid.pk, theme_id=t)
            for aid, (_, _, ts) in zip(aids, links, strict=True)
            for t in ts
        ],
        batch_size=2000,
    )
    fundings = _project_fundings()
    return (
        f"{len(aids)} aides synthétiques sur {len(communes)} communes, {FUNDERS} financeurs, "
        f"{fundings} financements de projets synthétiques"
    )


def _project_fundings() -> int:
    """The synthetic projects' funding obtained (30 % public, 20 % own funds); the projects'
    ``clear`` deletes them with the projects."""
    projects = (
        Project.objects.filter(holder_organisation__website__startswith=DIRECTORY_MARK)
        .order_by("id")
        .values_list("id", "budget_total")
    )
    rows = []
    for project_id, budget in projects:
        budget = budget or Decimal(0)
        rows += [
            ProjectFunding(
                project_id=project_id,
                source="Région Hauts-de-France",
                kind=FundingKind.PUBLIC,
                amount=budget * Decimal("0.3"),
            ),
            ProjectFunding(
                project_id=project_id,
                source="Fonds propres",
                kind=FundingKind.OWN,
                amount=budget * Decimal("0.2"),
            ),
        ]
    ProjectFunding.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def clear() -> int:
    deleted, _ = Aid.objects.filter(source_id__startswith=MARKER).delete()
    funders, _ = Funder.objects.filter(name__endswith=FUNDER_SUFFIX).delete()
    return deleted + funders


scale.register("financements", generate, clear=clear)
