"""Demonstration data of the charter and the label, marked « démo »: two versions of the
charter and their signatories, a referential of 40 sub-criteria (500 points), 15 applications
at every stage of which 8 labelled, the committee, three ambition charters with their yearly
review, and two peer reviews of ambition."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from turbine.accounts.models import User
from turbine.core import demo
from turbine.directory.models import MemberRole, MembershipStatus, Organisation
from turbine.label.models import (
    Application,
    CharterSignature,
    CharterVersion,
    PeerRequest,
)
from turbine.label.services import ambition, committee, mutual_aid
from turbine.label.services import applications as services
from turbine.label.services.referential import referential_import
from turbine.projects.models import Project
from turbine.territory.models import Agglomeration, Commune

RNG_SEED = 14
CHARTER_V1 = """## Pourquoi cette charte

Les acteurs de l'Artois — associations, entreprises, communes, habitants — font la Turbine de
l'éco-transition. Cette charte est notre contrat moral.

## Nos engagements

1. **Aller plus haut et plus loin** : viser l'ambition que demande la transition, pas le minimum.
2. **Coopérer plutôt que concurrencer** : partager nos savoir-faire, nos lieux et nos erreurs.
3. **Rendre compte** : mesurer les effets de nos actions et les publier.
4. **Ouvrir la porte** : accueillir chacun, quelle que soit sa façon de contribuer.
"""
CHARTER_V2 = (
    CHARTER_V1
    + """5. **Croiser les réseaux** : travailler au moins une fois par an avec un acteur d'un autre
   réseau que le nôtre.
6. **Prendre soin de l'eau et des sols** : en faire un critère de chacun de nos projets.
"""
)
COMMITMENTS = """En candidatant au label de la Turbine, nous nous engageons à :

- dire honnêtement où en est notre projet, preuves à l'appui ;
- accueillir le regard du comité et des pairs ;
- mesurer les effets de notre projet et les publier chaque année ;
- partager notre savoir-faire avec d'autres porteurs du territoire.
"""
AXES = [
    (
        "Gouvernance et coopération",
        [
            (
                "Associer les habitants",
                [
                    "Instance de participation ouverte",
                    "Décisions co-construites",
                    "Retour fait aux participants",
                ],
            ),
            (
                "Coopérer entre réseaux",
                [
                    "Partenaires d'au moins deux réseaux",
                    "Ressources mutualisées",
                    "Savoir-faire transmis",
                ],
            ),
            ("Piloter et rendre compte", ["Indicateurs suivis", "Bilan public annuel"]),
        ],
    ),
    (
        "Climat et énergie",
        [
            (
                "Sobriété énergétique",
                ["Diagnostic des consommations", "Plan de sobriété", "Consommations en baisse"],
            ),
            (
                "Énergies renouvelables",
                ["Étude de potentiel", "Production installée", "Part renouvelable atteinte"],
            ),
            ("Émissions de gaz à effet de serre", ["Bilan carbone", "Émissions évitées mesurées"]),
        ],
    ),
    (
        "Ressources et économie circulaire",
        [
            (
                "Réemploi et réparation",
                ["Filière de réemploi", "Ateliers de réparation", "Tonnes détournées"],
            ),
            (
                "Achats responsables",
                ["Critères dans les achats", "Fournisseurs locaux", "Part d'achats responsables"],
            ),
            ("Matériaux et déchets", ["Tri à la source", "Déchets réduits"]),
        ],
    ),
    (
        "Nature, eau et sols",
        [
            ("Biodiversité", ["Inventaire naturaliste", "Gestion différenciée", "Espèces suivies"]),
            ("Eau", ["Économies d'eau", "Désimperméabilisation", "Volumes économisés"]),
            ("Sols et friches", ["Friche reconvertie", "Sols renaturés"]),
        ],
    ),
    (
        "Solidarité et emploi",
        [
            (
                "Accès de tous",
                ["Tarifs solidaires", "Accessibilité des lieux", "Publics éloignés touchés"],
            ),
            ("Emploi local", ["Emplois créés", "Parcours d'insertion", "Emplois durables"]),
            ("Formation", ["Formations proposées", "Personnes formées"]),
        ],
    ),
]
REASONS = {
    "refuse": "L'ambition climatique reste en deçà du référentiel : aucun effet mesuré (démo).",
    "a-reprendre": "Joindre le bilan carbone et le plan de sobriété avant un nouvel examen (démo).",
    "accorde": "Un projet qui tire le territoire vers le haut ; à suivre sur ses effets (démo).",
}
CATEGORIES = ["bases", "mise-en-oeuvre", "effets"]
EVIDENCE = [
    "Compte rendu, délibération ou convention",
    "Plan d'action daté",
    "Relevés ou mesures sur un an",
]
AMBITIONS = [
    (
        "commune",
        "62523",
        [
            (
                "Couvrir les besoins électriques des bâtiments communaux en solaire",
                "Production solaire / consommation des bâtiments",
                "%",
                "35",
                "2024",
                "100",
                "2032",
                "en-bonne-voie",
                "58",
                "",
            ),
            (
                "Rénover les écoles au niveau BBC",
                "Écoles rénovées",
                "écoles",
                "1",
                "2024",
                "6",
                "2030",
                "en-retard",
                "2",
                "",
            ),
            (
                "Planter une haie par quartier",
                "Linéaire de haies plantées",
                "km",
                "0",
                "2024",
                "12",
                "2028",
                "atteint",
                "12.5",
                "",
            ),
        ],
    ),
    (
        "commune",
        "62119",
        [
            (
                "Désimperméabiliser les cours d'école",
                "Surface désimperméabilisée",
                "m²",
                "0",
                "2024",
                "15000",
                "2030",
                "en-bonne-voie",
                "4200",
                "",
            ),
            (
                "Réduire les consommations d'énergie du patrimoine",
                "Consommation d'énergie",
                "MWh/an",
                "9800",
                "2023",
                "6900",
                "2030",
                "en-bonne-voie",
                "9100",
                "",
            ),
            (
                "Créer un réseau de chaleur au bois",
                "Logements raccordés",
                "logements",
                "0",
                "2024",
                "1200",
                "2029",
                "abandonne",
                "",
                "Le gisement de bois local s'est révélé insuffisant ; une étude géothermie "
                "prend le relais.",
            ),
        ],
    ),
    (
        "agglomeration",
        "246200364",
        [
            (
                "Doubler les trajets à vélo",
                "Part modale du vélo",
                "%",
                "2",
                "2023",
                "8",
                "2032",
                "en-retard",
                "2.6",
                "",
            ),
            (
                "Réduire les déchets ménagers résiduels",
                "Ordures ménagères résiduelles",
                "kg/hab/an",
                "290",
                "2023",
                "200",
                "2030",
                "en-bonne-voie",
                "262",
                "",
            ),
            (
                "Renaturer les friches minières",
                "Surface renaturée",
                "ha",
                "0",
                "2024",
                "150",
                "2035",
                "en-bonne-voie",
                "38",
                "",
            ),
        ],
    ),
]
# (stage, share of leaves « fait ») for the 15 applications; the 8 labelled end granted or
# confirmed.
STAGES = [
    ("engagement", 0),
    ("auto-evaluation", 0.3),
    ("auto-evaluation", 0.55),
    ("a-reprendre", 0.5),
    ("comite", 0.6),
    ("comite", 0.8),
    ("refuse", 0.2),
    ("labellise", 0.9),
    ("labellise", 0.8),
    ("labellise", 0.7),
    ("labellise", 0.62),
    ("labellise", 0.5),
    ("labellise", 0.4),
    ("confirme", 0.85),
    ("confirme", 0.75),
]


def _csv() -> bytes:
    lines = ["numero;intitule;points;categorie;preuves_attendues;description"]
    for a, (axis, criteria) in enumerate(AXES, start=1):
        lines.append(f"{a};{axis};100;;;")
        for c, ((title, subs), points) in enumerate(
            zip(criteria, (40, 30, 30), strict=True), start=1
        ):
            lines.append(f"{a}.{c};{title};{points};;;")
            shares = {3: {40: [15, 15, 10], 30: [10, 10, 10]}, 2: {30: [15, 15], 40: [20, 20]}}
            for s, (sub, sub_points) in enumerate(
                zip(subs, shares[len(subs)][points], strict=True), start=1
            ):
                category = CATEGORIES[(s - 1) % 3] if len(subs) == 3 else CATEGORIES[s]
                lines.append(f"{a}.{c}.{s};{sub};{sub_points};{category};{EVIDENCE[(s - 1) % 3]};")
    return ("\n".join(lines) + "\n").encode()


def _admin_of(org: Organisation) -> User | None:
    membership = (
        org.memberships.filter(role=MemberRole.ADMIN, status=MembershipStatus.ACTIVE)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def load_label() -> str:
    staff = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    if staff is None:
        return "pas de compte de démonstration de l'équipe (Bruno) : chargez d'abord les comptes"
    rng = random.Random(RNG_SEED)
    now = timezone.now()
    today = timezone.localdate()
    organisations = list(
        Organisation.objects.filter(is_demo=True, is_hidden=False)
        .select_related("commune")
        .order_by("id")[:60]
    )
    if len(organisations) < 40:
        return "pas assez d'organisations de démonstration : chargez d'abord l'annuaire"

    # The charter: version 1 a year ago, version 2 this autumn; 30 members signed version 2,
    # five more still have to sign it again.
    v1 = CharterVersion.objects.create(
        number=1,
        title="Charte de la Turbine de l'éco-transition",
        text=CHARTER_V1,
        published_at=now - datetime.timedelta(days=400),
        published_by=staff,
    )
    v2 = CharterVersion.objects.create(
        number=2,
        title="Charte de la Turbine de l'éco-transition",
        text=CHARTER_V2,
        changes=(
            "Deux engagements ajoutés : croiser les réseaux, prendre soin de l'eau et des sols."
        ),
        published_at=now - datetime.timedelta(days=60),
        published_by=staff,
    )
    signer_names = ["Camille", "Karim", "Sophie", "Julien", "Nadia", "Thomas", "Inès", "Marc"]
    roles = ["Présidente", "Directeur", "Co-gérante", "Trésorier", "Chargée de mission"]
    members = organisations[:31]
    communes = list(Commune.objects.filter(code__in=["62523", "62119", "62510", "62498"]))
    for i, org in enumerate(members):
        for version, days in ((v1, 380 - i), (v2, 50 - i)):
            if version is v2 and i >= 26:
                continue
            CharterSignature.objects.create(
                version=version,
                organisation=org,
                signed_by=_admin_of(org),
                signer_name=f"{signer_names[i % len(signer_names)]} (démo)",
                signer_role=roles[i % len(roles)],
                signed_at=now - datetime.timedelta(days=days),
                is_demo=True,
            )
    for i, commune in enumerate(communes):
        CharterSignature.objects.create(
            version=v2,
            commune=commune,
            signed_by=staff,
            signer_name=f"{signer_names[(i + 3) % len(signer_names)]} (démo)",
            signer_role="Maire" if i % 2 else "Adjointe à la transition",
            signed_at=now - datetime.timedelta(days=40 - i),
            is_demo=True,
        )
    signatories = 26 + len(communes)

    # The referential and its committee.
    referential = referential_import(
        actor=staff,
        name="Référentiel de la Turbine (démo)",
        version="2027",
        data=_csv(),
        commitments=COMMITMENTS,
        make_current=True,
    )
    leaves = list(referential.nodes.filter(children__isnull=True).order_by("position"))
    reviewers = [
        committee.committee_member_add(
            actor=staff, user_id=staff.pk, is_invited=False, quality="Conseiller de la Turbine"
        )
    ]
    for i, org in enumerate(organisations[50:53]):
        user = _admin_of(org)
        if user is not None and user.pk not in {r.user_id for r in reviewers}:
            reviewers.append(
                committee.committee_member_add(
                    actor=staff,
                    user_id=user.pk,
                    is_invited=True,
                    quality=[
                        "Experte climat (CERDD)",
                        "Ingénieur économie circulaire (CD2E)",
                        "Habitante tirée au sort",
                    ][i],
                    declared_interests="Aucun lien avec les projets examinés (démo).",
                )
            )

    # 15 applications, one project per holder organisation.
    projects = []
    seen_orgs: set[int] = set()
    for project in (
        Project.objects.filter(is_demo=True, visibility="public", holder_organisation__isnull=False)
        .select_related("holder_organisation")
        .order_by("id")
    ):
        if (
            project.holder_organisation_id in seen_orgs
            or _admin_of(project.holder_organisation) is None
        ):
            continue
        seen_orgs.add(project.holder_organisation_id)
        projects.append(project)
        if len(projects) == len(STAGES):
            break
    labelled: list[Application] = []
    for index, (project, (stage, share)) in enumerate(zip(projects, STAGES, strict=False)):
        holder = _admin_of(project.holder_organisation)
        application = services.application_create(actor=holder, project_id=project.pk, is_demo=True)
        if stage == "engagement":
            continue
        services.application_sign_commitments(
            actor=holder, application_id=application.pk, accepted=True
        )
        filled = leaves if stage not in ("auto-evaluation",) else leaves[: int(len(leaves) * 0.6)]
        for leaf in filled:
            roll = rng.random()
            status = "fait" if roll < share else ("programme" if roll < share + 0.2 else "pas-fait")
            if leaf.identifier.startswith("4.3") and index % 4 == 0:
                continue
            services.assessment_set(
                actor=holder,
                application_id=application.pk,
                node_id=leaf.pk,
                status=status,
                comment="Évaluation de démonstration.",
            )
        if index % 4 == 0:
            services.assessment_set(
                actor=holder,
                application_id=application.pk,
                node_id=referential.nodes.get(identifier="4.3").pk,
                status="non-concerne",
                reason="Le projet n'occupe ni friche ni sol à renaturer (démo).",
            )
        if stage == "auto-evaluation":
            continue
        application = services.application_submit(actor=holder, application_id=application.pk)
        eligible = [r for r in reviewers if r.user_id not in committee.linked_user_ids(application)]
        for member in eligible[:2]:
            assignment = committee.review_assign(
                actor=staff, application_id=application.pk, member_id=member.pk
            )
            committee.review_declare(
                actor=member.user, assignment_id=assignment.pk, has_conflict=False
            )
            doubtful = [
                leaf
                for leaf in leaves
                if application.submitted_statuses.get(leaf.identifier, {}).get("status") == "fait"
            ][:2]
            for leaf in doubtful[: 1 + index % 2]:
                committee.verdict_set(
                    actor=member.user,
                    assignment_id=assignment.pk,
                    node_id=leaf.pk,
                    choice="desaccord",
                    status="programme",
                    comment="La preuve montre un plan daté, pas encore une réalisation (démo).",
                )
            committee.review_complete(
                actor=member.user,
                assignment_id=assignment.pk,
                opinion="Dossier sérieux, ambition au rendez-vous (démo).",
            )
        if stage == "comite":
            continue
        meeting = today - datetime.timedelta(days=20 + index * 17)
        outcome = {"refuse": "refuse", "a-reprendre": "a-reprendre"}.get(stage, "accorde")
        level_id = None
        if outcome == "accorde":
            stars = committee.committee_sheet(application)["etoiles"] or 1
            level_id = referential.levels.get(stars=stars).pk
        committee.application_decide(
            actor=staff,
            application_id=application.pk,
            outcome=outcome,
            level_id=level_id,
            meeting_date=meeting,
            reasons=REASONS[outcome],
        )
        # The services date everything today: move the earlier stages before the meeting.
        Application.objects.filter(pk=application.pk).update(
            commitments_signed_at=now - datetime.timedelta(days=(today - meeting).days + 90),
            submitted_at=now - datetime.timedelta(days=(today - meeting).days + 30),
        )
        if stage in ("labellise", "confirme"):
            labelled.append(application)
        if stage == "confirme":
            committee.confirmation_schedule(actor=staff, application_id=application.pk, due=today)
            committee.application_confirm(actor=staff, application_id=application.pk)
        elif stage == "labellise" and index % 2:
            committee.confirmation_schedule(
                actor=staff,
                application_id=application.pk,
                due=today + datetime.timedelta(days=365 * 2),
            )

    # Chloé (demo persona) applies for her garden association: self-assessment in progress.
    chloe = User.objects.filter(email="chloe.demo@turbine.localhost").first()
    garden = (
        Organisation.objects.filter(
            memberships__user=chloe, memberships__role=MemberRole.ADMIN
        ).first()
        if chloe
        else None
    )
    if garden is not None and not Application.objects.filter(organisation=garden).exists():
        own = services.application_create(actor=chloe, organisation_id=garden.pk, is_demo=True)
        services.application_sign_commitments(actor=chloe, application_id=own.pk, accepted=True)
        for leaf in leaves[:6]:
            services.assessment_set(
                actor=chloe, application_id=own.pk, node_id=leaf.pk, status="fait"
            )

    # Three ambition charters, each with last year's review.
    charters = 0
    for kind, code, commitments in AMBITIONS:
        authority = (
            {"commune_id": Commune.objects.filter(code=code).values_list("pk", flat=True).first()}
            if kind == "commune"
            else {
                "agglomeration_id": Agglomeration.objects.filter(siren=code)
                .values_list("pk", flat=True)
                .first()
            }
        )
        if None in authority.values():
            continue
        charter = ambition.ambition_charter_create(
            actor=staff,
            deliberation_date=datetime.date(today.year - 2, 6, 24),
            deliberation_reference=f"DEL-{today.year - 2}-0{charters + 4}",
            summary="Une ambition à la hauteur de la transition, votée à l'unanimité (démo).",
            is_demo=True,
            **authority,
        )
        entries = []
        for (
            title,
            indicator,
            unit,
            base,
            base_year,
            target,
            target_year,
            status,
            measured,
            reason,
        ) in commitments:
            c = ambition.commitment_add(
                actor=staff,
                charter_id=charter.pk,
                title=title,
                indicator=indicator,
                unit=unit,
                baseline_value=base,
                baseline_year=base_year,
                target_value=target,
                target_year=target_year,
            )
            entries.append(ambition.EntryInput(c.pk, status, measured, reason))
        ambition.ambition_review_record(
            actor=staff,
            charter_id=charter.pk,
            year=today.year - 1,
            reviewed_on=datetime.date(today.year, 2, 1)
            if today >= datetime.date(today.year, 2, 1)
            else today,
            summary=(
                "Premier bilan : les actions de sobriété avancent, la "
                "mobilité reste le point dur (démo)."
            ),
            entries=entries,
        )
        charters += 1

    # Two peer reviews of ambition: one closed and public, one waiting for peers.
    if len(labelled) >= 3:
        asking, peer = labelled[-1], labelled[0]
        holder = _admin_of(asking.project.holder_organisation)
        request = mutual_aid.peer_request_create(
            actor=holder,
            application_id=asking.pk,
            public=True,
            is_demo=True,
            question=(
                "Notre financeur réduit sa part de 30 % : faut-il "
                "renoncer au second atelier de réemploi ?"
            ),
        )
        peer_holder = _admin_of(peer.project.holder_organisation)
        if peer_holder is not None and peer_holder != holder:
            mutual_aid.peer_volunteer(actor=peer_holder, request_id=request.pk)
            mutual_aid.peer_message_post(
                actor=peer_holder,
                request_id=request.pk,
                kind="question",
                body="Avez-vous pensé à mutualiser le local avec une autre structure ?",
            )
            mutual_aid.peer_message_post(
                actor=holder,
                request_id=request.pk,
                kind="reponse",
                body="Pas encore : la ressourcerie voisine cherche justement de la place.",
            )
            mutual_aid.peer_close(
                actor=holder,
                request_id=request.pk,
                outcome="relevee",
                public=True,
                reasons=(
                    "Le second atelier ouvrira dans le local partagé "
                    "avec la ressourcerie voisine (démo)."
                ),
            )
        other = labelled[1]
        mutual_aid.peer_request_create(
            actor=_admin_of(other.project.holder_organisation),
            application_id=other.pk,
            public=False,
            is_demo=True,
            question=(
                "Les délais de raccordement repoussent notre production "
                "solaire d'un an : comment tenir l'objectif ?"
            ),
        )
    return (
        f"charte en 2 versions, {signatories} signataires de la version en vigueur ; "
        f"référentiel de {len(leaves)} sous-critères ; "
        f"{Application.objects.filter(is_demo=True).count()} "
        f"candidatures dont {len(labelled)} labellisées ; {charters} chartes d'ambition ; "
        f"{PeerRequest.objects.filter(is_demo=True).count()} demandes d'entraide"
    )


demo.register("label", load_label)
