"""Demonstration projects: 200 invented projects held by the demo organisations, marked
``is_demo`` and "(démo)", with impacts and a few links between them (their funding rows are
the funding app's demo: ``funding/demo.py``)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from turbine.core import demo, search
from turbine.core.models import Theme
from turbine.directory.demo import _place
from turbine.directory.models import Organisation
from turbine.projects import search_indexes
from turbine.projects.models import (
    Project,
    ProjectImpact,
    ProjectLink,
    ProjectUpdate,
    Stage,
    Visibility,
)

RNG_SEED = "turbine-demo-projects"

# title pattern, scale, theme slugs, impact indicator, know-how
PROJECTS = [
    (
        "Jardin partagé de la cité {n} à {c}",
        1,
        ["alimentation", "biodiversite-renaturation"],
        "hectares",
        "Commencer petit : dix bacs, puis agrandir avec les habitants qui viennent.",
    ),
    (
        "Repair café mensuel de {c}",
        1,
        ["dechets-economie-circulaire"],
        "personnes",
        "Un réparateur pour cinq visiteurs ; afficher les dates à la boulangerie.",
    ),
    (
        "Rénovation énergétique de l'école {n} de {c}",
        2,
        ["renovation-habitat", "energie"],
        "co2",
        "Faire l'audit avant le programme de travaux, pas après.",
    ),
    (
        "Centrale solaire citoyenne de {c}",
        2,
        ["energie", "citoyennete-cooperation"],
        "mwh",
        "Ouvrir le capital aux habitants dès l'étude de faisabilité.",
    ),
    (
        "Ressourcerie et atelier de réemploi de {c}",
        2,
        ["dechets-economie-circulaire", "emploi-formation"],
        "emplois",
        "Un partenariat avec la déchetterie assure le gisement.",
    ),
    (
        "Renaturation de la friche {n} à {c}",
        2,
        ["biodiversite-renaturation", "eau"],
        "hectares",
        "Associer l'école voisine au suivi de la biodiversité.",
    ),
    (
        "Pédibus et rues scolaires de {c}",
        1,
        ["mobilite", "sante-environnement"],
        "personnes",
        "Tester une semaine avant d'installer des barrières.",
    ),
    (
        "Réseau de chaleur biomasse de {c}",
        3,
        ["energie", "industrie-reconversion"],
        "co2",
        "Sécuriser l'approvisionnement local en bois avant le dimensionnement.",
    ),
    (
        "Épicerie solidaire et circuits courts de {c}",
        1,
        ["alimentation", "solidarite-justice-sociale"],
        "personnes",
        "Un tarif différencié garde l'épicerie ouverte à tous.",
    ),
    (
        "Réhabilitation de la cité minière {n} de {c}",
        3,
        ["renovation-habitat", "solidarite-justice-sociale"],
        "co2",
        "Reloger temporairement les familles dans la même cité.",
    ),
]
STAGES = [s for s in Stage.values if s not in ("abandonne",)]


def load_projects() -> str:
    rng = random.Random(RNG_SEED)
    holders = list(
        Organisation.objects.filter(is_demo=True)
        .select_related("commune__agglomeration")
        .order_by("id")
    )
    if not holders:
        return "aucune organisation de démonstration : chargez d'abord l'annuaire"
    partners_pool = list(Organisation.objects.filter(is_demo=False).order_by("id"))
    themes = {t.slug: t for t in Theme.objects.all()}
    projects = []
    for i in range(200):
        title, scale, slugs, indicator, know_how = PROJECTS[i % len(PROJECTS)]
        holder = holders[(i * 7) % len(holders)]
        commune = holder.commune
        lat, lon = _place(commune, rng) if commune else (None, None)
        budget = Decimal(rng.choice([3, 8, 15, 40, 120, 450, 2000])) * (1000 * scale)
        project = Project.objects.create(
            title=title.format(c=commune.name if commune else "l'Artois", n=i + 1) + " (démo)",
            summary="Projet inventé pour la démonstration de la Turbine.",
            description=(
                "Ce projet **inventé** montre comment un porteur présente son projet : "
                "objectifs, partenaires, calendrier et effets attendus."
            ),
            holder_organisation=holder,
            scale=scale,
            stage=STAGES[i % len(STAGES)],
            budget_total=budget,
            know_how=know_how,
            latitude=lat,
            longitude=lon,
            whole_territory=scale == 3 and i % 4 == 0,
            visibility=Visibility.PUBLIC if i % 20 else Visibility.DRAFT,
            is_demo=True,
        )
        project.themes.set([themes[s] for s in slugs])
        if commune:
            project.communes.set([commune])
        if partners_pool and scale > 1:
            project.partners.set([partners_pool[i % len(partners_pool)]])
        value = Decimal(rng.randint(1, 40)) * scale
        impacts = [
            ProjectImpact(
                project=project,
                indicator=indicator,
                value=value,
                nature="estime",
                source="Estimation du porteur (démo)",
            )
        ]
        if project.stage == "realise":
            impacts.append(
                ProjectImpact(
                    project=project,
                    indicator=indicator,
                    value=value * Decimal("0.8"),
                    nature="mesure",
                    source="Bilan annuel (démo)",
                )
            )
        ProjectImpact.objects.bulk_create(impacts)
        projects.append(project)
    kinds = ["synergie", "dependance", "doublon", "tension"]
    links = [
        ProjectLink(
            source=projects[i],
            target=projects[(i + 10) % len(projects)],
            kind=kinds[i % len(kinds)],
            note="Lien inventé pour la démonstration.",
        )
        for i in range(0, len(projects), 5)
    ]
    ProjectLink.objects.bulk_create(links)
    news = _news(projects, rng)
    search.reindex([search_indexes.PROJECT])
    return f"{len(projects)} projets, {len(links)} liens entre projets, {news} nouvelles"


NEWS = [
    "Le comité de pilotage a validé le calendrier ; les travaux démarrent au printemps (démo).",
    "Une réunion publique a réuni une quarantaine d'habitants autour du projet (démo).",
    "Premier bilan : les **premiers résultats** sont conformes aux estimations (démo).",
]


def _news(projects: list[Project], rng: random.Random) -> int:
    """Dated news on the projects being carried out or done, newest first on their pages."""
    today = timezone.localdate()
    rows = [
        ProjectUpdate(
            project=project,
            date=today - datetime.timedelta(days=30 * k + rng.randint(0, 20)),
            text=NEWS[(i + k) % len(NEWS)],
        )
        for i, project in enumerate(p for p in projects if p.stage in ("realisation", "realise"))
        for k in range(1 + i % 2)
    ]
    ProjectUpdate.objects.bulk_create(rows)
    return len(rows)


demo.register("projets", load_projects)
