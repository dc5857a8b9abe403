"""Synthetic projects for ``manage.py generate_scale_data``: 2,000 per unit of factor (factor
10: 20,000), held by the directory's synthetic organisations, with themes, communes, two
funding lines, one impact, and links between some of them. ``clear`` finds them through their
holder (a synthetic organisation); they are ``is_demo`` and "(démo)". Run
``manage.py search_reindex`` afterwards to search them.
"""

from __future__ import annotations

import random
from decimal import Decimal

from turbine.core import scale
from turbine.core.models import Theme
from turbine.directory.models import Organisation
from turbine.directory.scale import MARK
from turbine.projects.models import (
    Indicator,
    Project,
    ProjectImpact,
    ProjectLink,
    Stage,
    Visibility,
)

PROJECTS_PER_FACTOR = 2000
LINKS_PER_FACTOR = 200
BATCH_SIZE = 2000
WORDS = (
    "Jardin partagé",
    "Rénovation de l'école",
    "Centrale solaire citoyenne",
    "Ressourcerie",
    "Renaturation de la friche",
    "Pédibus",
    "Réseau de chaleur",
    "Épicerie solidaire",
    "Atelier vélo",
    "Réhabilitation de la cité",
)


def clear_projects() -> int:
    deleted, _ = Project.objects.filter(holder_organisation__website__startswith=MARK).delete()
    return deleted


def generate_projects(factor: int, rng: random.Random) -> str:
    holders = list(
        Organisation.objects.filter(website__startswith=MARK)
        .order_by("id")
        .values_list("id", "commune_id", "latitude", "longitude")
    )
    if not holders:
        return "aucune organisation synthétique : aucun projet généré"
    theme_ids = list(Theme.objects.order_by("slug").values_list("id", flat=True))
    stages = Stage.values
    count = PROJECTS_PER_FACTOR * factor
    rows = []
    for i in range(1, count + 1):
        org_id, commune_id, lat, lon = rng.choice(holders)
        scale_level = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        rows.append(
            Project(
                title=f"{rng.choice(WORDS)} n° {i:06d} (démo)",
                summary="Projet synthétique généré pour les mesures de charge.",
                holder_organisation_id=org_id,
                scale=scale_level,
                stage=rng.choice(stages),
                budget_total=Decimal(rng.randrange(5, 5000)) * 1000,
                latitude=lat,
                longitude=lon,
                visibility=Visibility.PUBLIC if rng.random() < 0.9 else Visibility.DRAFT,
                is_demo=True,
            )
        )
    Project.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    projects = list(
        Project.objects.filter(holder_organisation__website__startswith=MARK)
        .order_by("id")
        .values_list("id", "holder_organisation__commune_id")
    )
    ThemeLink = Project.themes.through
    CommuneLink = Project.communes.through
    themes, communes, impacts = [], [], []
    indicators = Indicator.values
    for project_id, commune_id in projects:
        for theme_id in rng.sample(theme_ids, rng.randint(1, 3)) if theme_ids else []:
            themes.append(ThemeLink(project_id=project_id, theme_id=theme_id))
        if commune_id:
            communes.append(CommuneLink(project_id=project_id, commune_id=commune_id))
        impacts.append(
            ProjectImpact(
                project_id=project_id,
                indicator=rng.choice(indicators),
                value=Decimal(rng.randint(1, 500)),
                nature="estime",
                source="Estimation synthétique",
            )
        )
    for model, items in (
        (ThemeLink, themes),
        (CommuneLink, communes),
        (ProjectImpact, impacts),
    ):
        model.objects.bulk_create(items, batch_size=BATCH_SIZE * 5)
    ids = [p[0] for p in projects]
    links = {}
    for _ in range(LINKS_PER_FACTOR * factor):
        source, target = rng.sample(ids, 2)
        kind = rng.choice(["synergie", "dependance", "doublon", "tension"])
        links[(source, target, kind)] = ProjectLink(source_id=source, target_id=target, kind=kind)
    ProjectLink.objects.bulk_create(list(links.values()), batch_size=BATCH_SIZE)
    return f"{count} projets synthétiques, {len(links)} liens entre projets"


scale.register("projets", generate_projects, clear=clear_projects)
