"""Demonstration panels and challenges, marked « démo »: a pool of 800 volunteers over the PMA's
communes with realistic shares, one panel drawn by LEXIMIN with its review of a project, three
challenges with pledges and progress reports, and one proposal under vote."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.models import (
    Challenge,
    ChallengeApproval,
    ChallengeStatus,
    MemberStatus,
    Panel,
    PanelMember,
    PanelQuota,
    PanelReview,
    PanelStatus,
    Pledge,
    PledgeReport,
    ReviewContribution,
    ReviewStatus,
    Volunteer,
    VolunteerSource,
)
from turbine.cooperation.services import panels as services
from turbine.core import demo
from turbine.directory.models import Organisation
from turbine.projects.models import Project
from turbine.territory.models import Commune

RNG_SEED = 13
POOL = 800
SIZE = 40
SEED = "3 6 2 5 1"

# Shares close to the PMA's population (INSEE, 16 years and older), and to who volunteers.
AGES = [
    ("16 à 29 ans", 19),
    ("30 à 44 ans", 23),
    ("45 à 59 ans", 26),
    ("60 à 74 ans", 22),
    ("75 ans et plus", 10),
]
GENDERS = [("Femme", 52), ("Homme", 47), ("Autre ou ne se prononce pas", 1)]
FIRST = [("Oui", 68), ("Non", 32)]


def _bounds(share: float) -> tuple[int, int]:
    """Quotas around the population's share of a panel of SIZE: ±1 person, ±10 %."""
    expected = share * SIZE
    return max(0, int(expected * 0.9) - 1), int(expected * 1.1) + 1


def load_panels() -> str:
    rng = random.Random(RNG_SEED)
    staff = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    communes = list(
        Commune.objects.filter(agglomeration__isnull=False)
        .select_related("agglomeration")
        .order_by("code")
    )
    if staff is None or not communes:
        return "aucun compte ou territoire de démonstration : chargez d'abord les comptes"
    projects = list(
        Project.objects.filter(is_demo=True, visibility="public", is_hidden=False).order_by("id")[
            :40
        ]
    )
    reviewed = next(
        (p for p in projects if "solaire" in p.title.lower()), projects[0] if projects else None
    )
    panel = Panel.objects.create(
        title="Panel citoyen de la Turbine 2027 (démo)",
        purpose=(
            "Quarante habitantes et habitants tirés au sort questionnent les grands projets de "
            "la Turbine : leur ambition est-elle à la hauteur, et que changeront-ils dans la vie "
            "de tous les jours ?"
        ),
        size=SIZE,
        duration="12 mois, une séance par mois, le samedi matin",
        questions="Quels projets prioriser en 2027 ? Comment associer ceux qu'on n'entend jamais ?",
        status=PanelStatus.OPEN,
        created_by=staff,
        is_demo=True,
    )
    if projects:
        panel.projects.set(
            [p for p in projects[:3] if p != reviewed] + ([reviewed] if reviewed else [])
        )
    # Agglomerations weighted by their communes' population.
    agglomerations: dict[str, int] = {}
    for commune in communes:
        agglomerations[commune.agglomeration.name] = (
            agglomerations.get(commune.agglomeration.name, 0) + commune.population
        )
    total = sum(agglomerations.values()) or 1
    rows = []
    for category, values in (
        ("Tranche d'âge", AGES),
        ("Genre", GENDERS),
        ("Agglomération", [(name, pop * 100 / total) for name, pop in agglomerations.items()]),
        ("Première participation", FIRST),
    ):
        weight = sum(w for _v, w in values)
        for value, w in values:
            low, high = _bounds(w / weight)
            rows.append((category, value, low, high))
    PanelQuota.objects.bulk_create(
        PanelQuota(panel=panel, category=c, feature=f, min=low, max=high, position=i)
        for i, (c, f, low, high) in enumerate(rows)
    )
    weights = [c.population for c in communes]
    demo_people = list(User.objects.filter(is_demo=True).exclude(pk=staff.pk).order_by("email"))
    volunteers = []
    for index in range(POOL):
        commune = rng.choices(communes, weights)[0]
        features = {
            "Tranche d'âge": rng.choices([v for v, _ in AGES], [w for _, w in AGES])[0],
            "Genre": rng.choices([v for v, _ in GENDERS], [w for _, w in GENDERS])[0],
            "Agglomération": commune.agglomeration.name,
            "Première participation": rng.choices([v for v, _ in FIRST], [w for _, w in FIRST])[0],
        }
        user = demo_people[index] if index < len(demo_people) else None
        volunteers.append(
            Volunteer(
                panel=panel,
                user=user,
                source=VolunteerSource.REGISTERED if user else VolunteerSource.IMPORTED,
                reference="" if user else f"démo n° {index + 1}, {commune.name}",
                features=features,
                consent_draw=True,
                consent_contact=True,
                consent_name=user is not None or index % 3 == 0,
                is_demo=True,
            )
        )
    Volunteer.objects.bulk_create(volunteers)
    draw = services.draw_start(actor=staff, panel_id=panel.pk)
    # The task queued on commit finds the draw already computed and does nothing.
    services.draw_compute(draw_id=draw.pk)
    services.draw_pick(actor=staff, draw_id=draw.pk, seed=SEED)
    members = list(
        PanelMember.objects.filter(draw=draw).select_related("volunteer").order_by("row")
    )
    services.member_answer(actor=staff, member_id=members[0].pk, accept=False)
    for member in PanelMember.objects.filter(draw=draw, status=MemberStatus.SELECTED).order_by(
        "row"
    )[1:]:
        services.member_answer(actor=staff, member_id=member.pk, accept=True)
    summary = f"1 panel de {SIZE} tiré parmi {POOL} volontaires"
    if reviewed is not None:
        summary += ", " + _review(panel, reviewed, draw, rng)
    return summary + ", " + load_challenges(rng)


COMMENTS = [
    (
        3,
        2,
        "L'idée est bonne mais on ne voit pas ce qui change pour les locataires.",
        "Qui pourra en profiter dans les cités ?",
        "Aller présenter le projet dans les centres sociaux.",
    ),
    (
        4,
        3,
        "Enfin un projet qui voit grand pour le bassin minier.",
        "",
        "Publier chaque année la production réelle.",
    ),
    (
        2,
        2,
        "Trop technique : je n'ai pas compris combien cela coûtera aux habitants.",
        "Combien coûte une part ?",
        "Un simulateur simple sur le site.",
    ),
    (3, 3, "Les écoles devraient être associées.", "", "Visites pour les classes."),
    (3, 4, "Les habitants du quartier y gagnent directement, c'est concret.", "", ""),
    (
        4,
        2,
        "Ambitieux, mais l'information ne touche que les convaincus.",
        "Comment toucher les jeunes ?",
        "Passer par les clubs de sport.",
    ),
    (
        2,
        3,
        "Il faudrait d'abord isoler les logements avant de produire.",
        "",
        "Coupler avec la rénovation.",
    ),
    (3, 3, "Je suis prêt à prendre une part si le ticket d'entrée est bas.", "", "Parts à 20 €."),
    (4, 4, "Très bien, à condition que les bénéfices restent sur le territoire.", "", ""),
    (
        3,
        2,
        "On parle peu des emplois locaux.",
        "Combien d'emplois ?",
        "Clause d'insertion dans les travaux.",
    ),
    (3, 3, "Le calendrier n'est pas clair.", "Quand la première centrale ?", ""),
    (4, 3, "Les anciens mineurs y verront une belle reconversion des terrils.", "", ""),
]


def _review(panel: Panel, project: Project, draw: object, rng: random.Random) -> str:
    review = PanelReview.objects.create(panel=panel, project=project, is_demo=True)
    accepted = list(
        PanelMember.objects.filter(draw=draw, status=MemberStatus.ACCEPTED).order_by("row")
    )
    for member, (ambition, daily, comment, question, recommendation) in zip(
        accepted, COMMENTS, strict=False
    ):
        ReviewContribution.objects.create(
            review=review,
            member=member,
            ambition_rating=ambition,
            daily_life_rating=daily,
            comment=comment,
            question=question,
            recommendation=recommendation,
        )
    review.ambition = (
        "Le panel juge l'ambition **satisfaisante** : produire une énergie locale et partagée "
        "sur d'anciens sites miniers parle à tous. Plusieurs membres demandent de viser aussi la "
        "sobriété, en lien avec la rénovation des logements."
    )
    review.daily_life = (
        "La traduction dans la vie quotidienne est **à renforcer** : on ne voit pas encore ce "
        "que le projet change pour les locataires, ni combien coûte une part."
    )
    review.questions_to_holder = (
        "- Combien coûte une part, et qui peut en acheter ?\n"
        "- Combien d'emplois locaux pendant les travaux ?\n"
        "- Quand la première installation produira-t-elle ?"
    )
    review.recommendations = (
        "1. Des parts à 20 € pour que chacun puisse entrer.\n"
        "2. Présenter le projet dans les centres sociaux et les clubs de sport.\n"
        "3. Publier chaque année la production réelle et l'usage des bénéfices."
    )
    review.status = ReviewStatus.PUBLISHED
    review.published_at = timezone.now()
    review.answer = (
        "Merci au panel. Les parts seront ouvertes à 20 € dès 2027 ; nous tiendrons une "
        "permanence mensuelle au centre social et publierons un bilan annuel de production."
    )
    review.answered_at = timezone.now()
    review.save()
    return f"1 avis publié sur « {project.title} »"


CHALLENGES = [
    (
        "Rendre cyclable le territoire (démo)",
        "Des arceaux vélo devant chaque commerce, école et mairie : qu'on puisse partout poser "
        "son vélo en sécurité.",
        "arceaux vélo installés",
        "arceaux",
        Decimal("1200"),
        Decimal("5000"),
        datetime.date(2030, 12, 31),
        "Les 150 communes du Pôle métropolitain de l'Artois",
        [
            ("20 arceaux devant nos commerces", 20),
            ("40 arceaux près des écoles", 40),
            ("12 arceaux à la gare", 12),
            ("100 arceaux dans les résidences", 100),
            ("8 arceaux au marché", 8),
        ],
    ),
    (
        "Une alimentation locale de qualité pour tous (démo)",
        "Des repas faits de produits du territoire dans les cantines, les restaurants "
        "d'entreprise et les épiceries solidaires.",
        "repas locaux servis par semaine",
        "repas par semaine",
        Decimal("3000"),
        Decimal("20000"),
        datetime.date(2029, 6, 30),
        "Restauration collective et solidaire du PMA",
        [
            ("200 repas locaux par semaine à la cantine", 200),
            ("500 repas par semaine au restaurant d'entreprise", 500),
            ("150 paniers solidaires par semaine", 150),
            ("300 repas par semaine à l'hôpital", 300),
        ],
    ),
    (
        "Planter 10 000 arbres sur les terrils et dans les cités (démo)",
        "Ombre, fraîcheur et biodiversité : planter avec les habitants, là où il fait le plus "
        "chaud l'été.",
        "arbres plantés",
        "arbres",
        Decimal("0"),
        Decimal("10000"),
        datetime.date(2028, 3, 31),
        "Cités minières et terrils du PMA",
        [
            ("500 arbres sur le terril", 500),
            ("120 arbres fruitiers dans la cité", 120),
            ("60 arbres dans la cour d'école", 60),
            ("1 000 arbres avec les chasseurs", 1000),
        ],
    ),
]


def load_challenges(rng: random.Random) -> str:
    organisations = list(
        Organisation.objects.filter(is_demo=True).select_related("commune").order_by("id")[:60]
    )
    people = list(User.objects.filter(is_demo=True).order_by("email"))
    if not people:
        return "aucun défi (pas de comptes de démonstration)"
    today = timezone.localdate()
    pledges = reports = 0
    for index, (
        title,
        description,
        indicator,
        unit,
        baseline,
        target,
        deadline,
        scope,
        promises,
    ) in enumerate(CHALLENGES):
        challenge = Challenge.objects.create(
            title=title,
            description=description,
            indicator=indicator,
            unit=unit,
            baseline=baseline,
            target=target,
            deadline=deadline,
            scope=scope,
            status=ChallengeStatus.CHOSEN,
            proposed_by=people[index % len(people)],
            proposed_for=organisations[index] if organisations else None,
            chosen_at=timezone.now(),
            is_demo=True,
        )
        for person in people:
            ChallengeApproval.objects.create(challenge=challenge, user=person)
        for number, (text, quantity) in enumerate(promises):
            organisation = (
                organisations[(index * 7 + number * 3) % len(organisations)]
                if organisations
                else None
            )
            due = today + datetime.timedelta(days=rng.choice([-60, 90, 200, 400]))
            pledge = Pledge.objects.create(
                challenge=challenge,
                user=people[(index + number) % len(people)],
                organisation=organisation,
                quantity=Decimal(quantity),
                description=text + " (démo)",
                commune=organisation.commune if organisation else None,
                due_date=due,
                threshold=5 if number == len(promises) - 1 and index == 0 else None,
                is_demo=True,
            )
            pledges += 1
            done = Decimal(0)
            for step in range(rng.randint(0, 3)):
                value = (Decimal(quantity) * Decimal(rng.choice([20, 30, 40, 50])) / 100).quantize(
                    Decimal("1")
                )
                if done + value > quantity:
                    break
                done += value
                PledgeReport.objects.create(
                    pledge=pledge,
                    value=value,
                    date=today - datetime.timedelta(days=30 + 200 * (2 - step)),
                    evidence_url=f"https://turbine.localhost/demo/preuve-{index}-{number}-{step}",
                    note="Photo et bon de livraison (démo)",
                    created_by=pledge.user,
                    is_demo=True,
                )
                reports += 1
    proposal = Challenge.objects.create(
        title="Zéro logement passoire dans les cités minières (démo)",
        description="Rénover les logements classés F et G avec les bailleurs et les habitants.",
        indicator="logements F et G rénovés",
        unit="logements",
        baseline=Decimal("0"),
        target=Decimal("8000"),
        deadline=datetime.date(2034, 12, 31),
        scope="Cités minières du PMA",
        proposed_by=people[0],
        is_demo=True,
    )
    for person in people[:3]:
        ChallengeApproval.objects.create(challenge=proposal, user=person)
    return (
        f"{len(CHALLENGES)} défis, {pledges} engagements, {reports} avancements, "
        "1 proposition au vote"
    )


demo.register("panels", load_panels)
