"""Demonstration steering data, marked « démo »: three axes of objectives to 2038 with indicators
of the Artois (greenhouse gases, renewable energy, cycle paths, local food, renaturation), the
demo projects linked and scored, a mandate whose officials ranked five great works, the three
chosen with their boards and milestones."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from turbine.core import demo
from turbine.directory.models import Organisation
from turbine.funding.models import Aid
from turbine.projects.models import (
    ImpactNature,
    Project,
    ProjectImpact,
    ProjectLink,
    Scale,
    Stage,
    Visibility,
)
from turbine.projects.selectors import public_projects
from turbine.steering.models import (
    CRITERIA,
    Axis,
    BoardMember,
    CriterionWeight,
    GreatWork,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    JointResponse,
    JointResponseMember,
    JointResponseProject,
    JointResponseStatus,
    JointRole,
    Mandate,
    MandateBallot,
    MandateCandidate,
    Milestone,
    Objective,
    ProjectObjective,
    ProjectScore,
    Scope,
    ValueNature,
)
from turbine.steering.services import mandate_election, results_json
from turbine.territory.models import Agglomeration

SOURCE_CLIMATE = "Observatoire climat Hauts-de-France, inventaire Atmo (démo)"

# axis, objective, indicators: (name, unit, direction, scope, baseline, target, milestones,
# impact code, yearly values 2015.. as a function of the year)
AXES = [
    (
        "Modes de vie : se déplacer, se nourrir, se loger (démo)",
        [
            (
                "Diviser par deux les émissions de gaz à effet de serre d'ici 2038 (démo)",
                [
                    (
                        "Émissions de gaz à effet de serre du territoire",
                        "kt CO2e",
                        "baisse",
                        Scope.TERRITORY,
                        (2015, 4650.0),
                        (2038, 2300.0),
                        [(2030, 3150.0)],
                        "co2",
                        lambda y: 4650 - 62 * (y - 2015) + (40 if y == 2021 else 0),
                    ),
                ],
            ),
            (
                "Faire du vélo un mode de déplacement du quotidien (démo)",
                [
                    (
                        "Aménagements cyclables",
                        "km",
                        "hausse",
                        Scope.AGGLOMERATION,
                        (2018, 310.0),
                        (2038, 900.0),
                        [],
                        "",
                        lambda y: 310 + 24 * (y - 2018) if y >= 2018 else None,
                    ),
                ],
            ),
            (
                "Manger local dans les cantines (démo)",
                [
                    (
                        "Part de produits locaux en restauration collective",
                        "%",
                        "hausse",
                        Scope.TERRITORY,
                        (2019, 12.0),
                        (2038, 50.0),
                        [(2030, 30.0)],
                        "",
                        lambda y: 12 + 1.9 * (y - 2019) if y >= 2019 else None,
                    ),
                ],
            ),
        ],
    ),
    (
        "Paysages et risques climatiques (démo)",
        [
            (
                "Renaturer friches et terrils (démo)",
                [
                    (
                        "Surfaces renaturées depuis 2015",
                        "ha",
                        "hausse",
                        Scope.TERRITORY,
                        (2015, 0.0),
                        (2038, 600.0),
                        [],
                        "hectares",
                        lambda y: 14 * (y - 2015),
                    ),
                ],
            ),
        ],
    ),
    (
        "Secteurs économiques en transition (démo)",
        [
            (
                "Produire localement l'énergie renouvelable (démo)",
                [
                    (
                        "Production d'énergie renouvelable",
                        "GWh/an",
                        "hausse",
                        Scope.TERRITORY,
                        (2015, 420.0),
                        (2038, 1800.0),
                        [(2030, 1100.0)],
                        "mwh",
                        lambda y: 420 + 52 * (y - 2015),
                    ),
                ],
            ),
        ],
    ),
]

GREAT_WORKS = [
    (
        "Réseau express vélo de l'Artois (démo)",
        "Mobilité décarbonée : 120 km de voies cyclables express de Béthune à Hénin-Beaumont.",
        "mobilite",
    ),
    (
        "Renaturation de la chaîne des terrils (démo)",
        "Renaturation : rendre 300 ha de friches minières à la nature et aux habitants.",
        "biodiversite-renaturation",
    ),
    (
        "Légumerie et cuisine centrale partagée (démo)",
        "Transition alimentaire : les légumes des fermes voisines pour 40 000 repas par jour.",
        "alimentation",
    ),
    (
        "Rénovation thermique des cités minières (démo)",
        "Rénover 5 000 logements des cités minières classées au patrimoine mondial.",
        "renovation-habitat",
    ),
    (
        "Boucle de bus à hydrogène vert (démo)",
        "Une ligne de bus à hydrogène produit par électrolyse solaire.",
        "energie",
    ),
]


def _values(
    indicator: Indicator, make, agglomerations: list[Agglomeration]
) -> list[IndicatorValue]:
    rows = []
    for year in range(2015, 2026):
        value = make(year)
        if value is None:
            continue
        nature = ValueNature.ESTIMATED if year == 2025 else ValueNature.MEASURED
        rows.append(
            IndicatorValue(
                indicator=indicator,
                year=year,
                value=round(value, 1),
                nature=nature,
                source=indicator.source,
            )
        )
        if indicator.scope == Scope.AGGLOMERATION:
            shares = [0.45, 0.35, 0.20]
            for agglomeration, share in zip(agglomerations, shares, strict=False):
                rows.append(
                    IndicatorValue(
                        indicator=indicator,
                        year=year,
                        area_code=agglomeration.siren,
                        value=round(value * share, 1),
                        nature=nature,
                        source=indicator.source,
                    )
                )
    return rows


def load_steering() -> str:
    rng = random.Random("turbine-demo-steering")
    agglomerations = list(Agglomeration.objects.order_by("-population")[:3])
    indicators: dict[str, Indicator] = {}
    objectives = []
    values = []
    for a_pos, (axis_title, objective_specs) in enumerate(AXES):
        axis = Axis.objects.create(title=axis_title, position=a_pos, is_demo=True)
        for o_pos, (title, indicator_specs) in enumerate(objective_specs):
            objective = Objective.objects.create(
                axis=axis, title=title, position=o_pos, is_demo=True
            )
            objectives.append(objective)
            for i_pos, spec in enumerate(indicator_specs):
                name, unit, direction, scope, base, target, milestones, code, make = spec
                indicator = Indicator.objects.create(
                    objective=objective,
                    name=name + " (démo)",
                    unit=unit,
                    direction=direction,
                    scope=scope,
                    source=SOURCE_CLIMATE
                    if code == "co2"
                    else "Pôle métropolitain de l'Artois (démo)",
                    baseline_year=base[0],
                    baseline_value=base[1],
                    target_year=target[0],
                    target_value=target[1],
                    impact_code=code,
                    position=i_pos,
                    is_demo=True,
                )
                IndicatorTarget.objects.bulk_create(
                    [IndicatorTarget(indicator=indicator, year=y, value=v) for y, v in milestones]
                )
                values += _values(indicator, make, agglomerations)
                if code:
                    indicators[code] = indicator
    IndicatorValue.objects.bulk_create(values)

    works = []
    for title, summary, _theme in GREAT_WORKS:
        project = Project.objects.create(
            title=title,
            summary=summary,
            scale=Scale.MAJOR,
            stage=Stage.DESIGN,
            visibility=Visibility.PUBLIC,
            whole_territory=True,
            is_demo=True,
            budget_total=Decimal(rng.randrange(8, 60) * 1_000_000),
        )
        works.append(project)
    ProjectImpact.objects.bulk_create(
        [
            ProjectImpact(
                project=works[0],
                indicator="co2",
                value=Decimal("18000"),
                nature=ImpactNature.ESTIMATED,
                source="Étude de trafic (démo)",
            ),
            ProjectImpact(
                project=works[1],
                indicator="hectares",
                value=Decimal("300"),
                nature=ImpactNature.ESTIMATED,
                source="Plan de gestion (démo)",
            ),
            ProjectImpact(
                project=works[3],
                indicator="co2",
                value=Decimal("26000"),
                nature=ImpactNature.ESTIMATED,
                source="Audit énergétique (démo)",
            ),
            ProjectImpact(
                project=works[4],
                indicator="mwh",
                value=Decimal("9000"),
                nature=ImpactNature.ESTIMATED,
                source="Étude de faisabilité (démo)",
            ),
        ]
    )
    ProjectLink.objects.bulk_create(
        [
            ProjectLink(
                source=works[0],
                target=works[4],
                kind="synergie",
                note="Pôles d'échanges communs (démo)",
            ),
            ProjectLink(
                source=works[1],
                target=works[2],
                kind="synergie",
                note="Maraîchage sur friches (démo)",
            ),
            ProjectLink(
                source=works[4],
                target=works[3],
                kind="tension",
                note="Même enveloppe régionale (démo)",
            ),
        ]
    )

    projects = list(
        Project.objects.filter(is_demo=True, visibility=Visibility.PUBLIC, is_hidden=False)
        .prefetch_related("impacts")
        .order_by("id")
    )
    by_code = {ind.impact_code: ind for ind in indicators.values()}
    links = []
    for project in projects:
        impact = next((i for i in project.impacts.all() if i.indicator in by_code), None)
        if impact is None:
            continue
        indicator = by_code[impact.indicator]
        links.append(
            ProjectObjective(
                project=project,
                objective=indicator.objective,
                indicator=indicator,
                from_year=rng.randrange(2018, 2026),
            )
        )
    ProjectObjective.objects.bulk_create(links)
    weights = {
        "climat": 25,
        "justice": 15,
        "biodiversite": 12,
        "emplois": 12,
        "cout": 8,
        "faisabilite": 10,
        "urgence": 10,
        "transversalite": 8,
    }
    CriterionWeight.objects.bulk_create(
        [CriterionWeight(criterion=c, weight=weights[c] / 100) for c in CRITERIA]
    )
    scores = []
    for project in projects[:60]:
        for criterion in CRITERIA:
            value = rng.randint(1, 5) if project.scale != Scale.MAJOR else rng.randint(3, 5)
            scores.append(
                ProjectScore(
                    project=project,
                    criterion=criterion,
                    score=value,
                    justification="Appréciation de l'équipe de la Turbine (démo).",
                )
            )
    ProjectScore.objects.bulk_create(scores)

    mandate = Mandate.objects.create(
        title="Mandature 2026-2032 (démo)",
        start=date(2026, 3, 22),
        end=date(2032, 3, 21),
        is_demo=True,
    )
    candidates = [
        MandateCandidate.objects.create(mandate=mandate, project=p, position=i)
        for i, p in enumerate(works)
    ]
    ids = [c.pk for c in candidates]
    # 90 officials: three blocs of preferences, as the three agglomerations might vote.
    blocs = [(34, [0, 4, 3, 1]), (28, [1, 2, 0]), (18, [2, 3, 1, 0]), (10, [3, 0, 2])]
    ballots = []
    for count, order in blocs:
        for _ in range(count):
            ranking = [ids[i] for i in order]
            if rng.random() < 0.2 and len(ranking) > 2:
                ranking[1], ranking[2] = ranking[2], ranking[1]
            ballots.append(MandateBallot(mandate=mandate, ranking=ranking))
    rng.shuffle(ballots)
    MandateBallot.objects.bulk_create(ballots)
    election, ordered = mandate_election(mandate)
    mandate.results = results_json(election, ordered)
    mandate.results_published_at = timezone.now()
    mandate.save(update_fields=["results", "results_published_at"])
    people = [
        "Claire Dumont",
        "Karim Benali",
        "Sophie Leroy",
        "Marc Delattre",
        "Nadia Ferhat",
        "Julien Caron",
        "Isabelle Poulain",
        "Thomas Vandamme",
        "Amina Diallo",
    ]
    for position, number in enumerate(mandate.results["elected"]):
        project = ordered[number - 1].project
        work = GreatWork.objects.create(
            mandate=mandate,
            project=project,
            position=position,
            owner=f"{agglomerations[position % 3].name} (démo)",
            budget=project.budget_total,
        )
        BoardMember.objects.bulk_create(
            [
                BoardMember(
                    work=work,
                    name=people[(position * 3 + k) % len(people)] + " (démo)",
                    role="Vice-président(e) à la transition",
                    agglomeration=agglomerations[k],
                )
                for k in range(len(agglomerations))
            ]
        )
        Milestone.objects.bulk_create(
            [
                Milestone(work=work, title="Comité de lancement", due=date(2026, 9, 30), done=True),
                Milestone(work=work, title="Études et concertation", due=date(2027, 12, 31)),
                Milestone(work=work, title="Premiers travaux", due=date(2029, 6, 30)),
                Milestone(work=work, title="Mise en service", due=date(2031, 12, 31)),
            ]
        )
    joint = _joint_responses(agglomerations)
    return (
        f"{len(objectives)} objectifs, {len(values)} valeurs, {len(links)} projets reliés, "
        f"{len(projects[:60])} projets notés, {len(ballots)} bulletins, "
        f"{len(mandate.results['elected'])} grands chantiers, {joint} réponses communes"
    )


JOINT_RESPONSES = [
    (
        "Trame verte des terrils, de Bruay à Hénin-Beaumont (démo)",
        "Les trois agglomérations répondent ensemble : renaturer six terrils et les relier par "
        "des chemins, avec les associations naturalistes et les communes riveraines.",
        JointResponseStatus.SUBMITTED,
        3_200_000,
    ),
    (
        "Cantines du Pôle métropolitain : une légumerie partagée (démo)",
        "Une légumerie commune pour les cantines des trois agglomérations, approvisionnée par "
        "les maraîchers du territoire.",
        JointResponseStatus.PREPARING,
        None,
    ),
]


def _joint_responses(agglomerations: list[Agglomeration]) -> int:
    """Joint responses to the demo calls for projects, by actors of several agglomerations."""
    calls = list(Aid.objects.filter(is_call_for_projects=True, is_demo=True).order_by("pk")[:2])
    if not calls:
        return 0
    by_agglomeration = [
        list(
            Organisation.objects.filter(
                is_demo=True, is_hidden=False, commune__agglomeration=a
            ).order_by("pk")[:2]
        )
        for a in agglomerations
    ]
    projects = list(public_projects().filter(is_demo=True).order_by("pk")[:6])
    created = 0
    for i, (title, summary, status, amount) in enumerate(JOINT_RESPONSES):
        response = JointResponse.objects.create(
            call=calls[i % len(calls)],
            title=title,
            summary=summary,
            status=status,
            amount_requested=amount,
            submitted_on=date(2026, 10, 15) if status == JointResponseStatus.SUBMITTED else None,
            is_demo=True,
        )
        members = [orgs[i % len(orgs)] for orgs in by_agglomeration if orgs]
        JointResponseMember.objects.bulk_create(
            [
                JointResponseMember(
                    response=response,
                    organisation=org,
                    role=JointRole.LEAD if k == 0 else JointRole.PARTNER,
                )
                for k, org in enumerate(members)
            ]
        )
        JointResponseProject.objects.bulk_create(
            [
                JointResponseProject(response=response, project=p)
                for p in projects[i * 3 : i * 3 + 3]
            ]
        )
        created += 1
    return created


demo.register("pilotage", load_steering)
