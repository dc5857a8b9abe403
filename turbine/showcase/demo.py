"""Demonstration data of the showcase: portraits (with consent), stories local and global, study
visits with requests, blockers and advocacy files, the stakeholder map with commitments, a
brief to elected officials. Invented people, organisations and facts are marked « démo »; the
real public bodies (CERDD, CD2E, ADEME, Région Hauts-de-France, Euralens) appear with their
public missions only, never with invented commitments or words."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from turbine.accounts.models import User
from turbine.core import demo, search
from turbine.core.models import Theme
from turbine.directory.models import Family, Network, Organisation, OrganisationKind
from turbine.projects.models import Project, Visibility
from turbine.showcase import search_showcase
from turbine.showcase.models import (
    ActorKind,
    AdvocacyFile,
    AdvocacyStatus,
    AdvocacyStep,
    BlockerReport,
    Commitment,
    CommitmentStatus,
    Consent,
    PolicyBrief,
    PolicyLevel,
    Portrait,
    PortraitStatus,
    Qualification,
    Relation,
    Story,
    StoryScope,
    StoryStatus,
    StrategicActor,
    VisitFeedback,
    VisitOffer,
    VisitRequest,
    VisitRequestStatus,
    VisitSlot,
)
from turbine.steering.models import Indicator
from turbine.territory.models import Commune

# name, role, family, commune, themes, know-how, tips, can teach, account email or None
PORTRAITS = [
    (
        "Nadia Haddou (démo)",
        "Maraîchère sur une ancienne friche",
        Family.DOERS,
        "62528",
        ["alimentation", "biodiversite-renaturation"],
        "Cultiver des légumes sur un sol de friche minière : analyses, apports de compost, buttes.",
        "Commencer par une parcelle test et faire analyser le sol avant tout semis.",
        "Visites de la parcelle et ateliers de compostage pour les écoles.",
        None,
    ),
    (
        "Alice Martin (démo)",
        "Bénévole d'un repair café",
        Family.DOERS,
        "62498",
        ["dechets-economie-circulaire"],
        "Diagnostiquer une panne de petit électroménager et réparer avec les gens, pas à "
        "leur place.",
        "Un registre des réparations aide à savoir quelles pièces garder en stock.",
        "Monter une séance de repair café de A à Z.",
        "alice.demo@turbine.localhost",
    ),
    (
        "Grégory Lemaire (démo)",
        "Artisan de la rénovation des maisons de cité",
        Family.DOERS,
        "62510",
        ["renovation-habitat", "energie"],
        "Isoler par l'extérieur une maison minière en briques sans perdre son caractère.",
        "Regrouper les chantiers d'une même rue fait baisser les coûts de 15 à 20 %.",
        "Chantiers-écoles pour les apprentis du bâtiment.",
        None,
    ),
    (
        "Sandrine Poulain (démo)",
        "Conseillère rénovation de l'agglomération",
        Family.HELPERS,
        "62119",
        ["renovation-habitat", "energie"],
        "Monter un plan de financement qui mêle aides nationales, locales et prêt à taux zéro.",
        "Venir au premier rendez-vous avec ses trois dernières factures d'énergie.",
        "Permanences pour les associations qui accompagnent des ménages.",
        None,
    ),
    (
        "Bruno Dupont (démo)",
        "Conseiller de la Turbine",
        Family.HELPERS,
        "62510",
        ["citoyennete-cooperation"],
        "Trouver l'aide qui correspond à un projet et la bonne personne à qui parler.",
        "Un projet bien décrit en dix lignes trouve ses partenaires deux fois plus vite.",
        "Ateliers « réussir sa réponse à un appel à projets ».",
        "bruno.demo@turbine.localhost",
    ),
    (
        "Karim Belkacem (démo)",
        "Animateur d'une coopérative d'énergie citoyenne",
        Family.HELPERS,
        "62528",
        ["energie"],
        "Réunir l'épargne des habitants pour financer des toits solaires publics.",
        "Un premier toit modeste, bien visible, convainc plus qu'un grand projet sur le papier.",
        "Monter une coopérative d'énergie : statuts, gouvernance, contrats.",
        None,
    ),
    (
        "Claire Dubois (démo)",
        "Animatrice d'éducation populaire",
        Family.SPREADERS,
        "62427",
        ["education-culture", "citoyennete-cooperation"],
        "Animer un débat public où chacun parle, y compris ceux qui ne prennent jamais la parole.",
        "Des petits groupes de quatre avant la plénière.",
        "Formation à l'animation de réunions publiques.",
        None,
    ),
    (
        "Julien Vasseur (démo)",
        "Journaliste d'une radio associative",
        Family.SPREADERS,
        "62178",
        ["education-culture"],
        "Raconter un projet de transition en trois minutes d'antenne.",
        "Faire parler les gens du projet plutôt que les élus.",
        "Atelier radio pour les porteurs de projets.",
        None,
    ),
    (
        "Chloé Lefebvre (démo)",
        "Porteuse d'un jardin partagé",
        Family.DOERS,
        "62119",
        ["alimentation"],
        "Animer un jardin partagé sur une friche avec les habitants du quartier.",
        "Une clé par famille et un planning d'arrosage affiché à l'entrée.",
        "Monter une association de jardin partagé.",
        "chloe.demo@turbine.localhost",
    ),
]

STORIES = [
    (
        "Loos-en-Gohelle : quand une ville minière devient une démonstration (démo)",
        "De la fermeture des puits aux toits solaires : ce que la ville a appris, racontée par "
        "celles et ceux qui l'ont fait.",
        StoryScope.GLOBAL,
        "62528",
        ["energie", "industrie-reconversion"],
        "Part des énergies renouvelables dans la consommation du territoire",
        "3 toits solaires citoyens de plus en deux ans (données de démonstration)",
        PolicyLevel.NATIONAL,
        "Stratégie nationale bas-carbone",
    ),
    (
        "À Lens, le repair café qui a fait école (démo)",
        "Un samedi par mois, des bénévoles réparent avec les habitants ; trois communes voisines "
        "ont ouvert le leur.",
        StoryScope.LOCAL,
        "62498",
        ["dechets-economie-circulaire"],
        "",
        "",
        "",
        "",
    ),
    (
        "Rénover les cités minières rue par rue (démo)",
        "Des artisans, un bailleur et des habitants s'organisent pour isoler ensemble.",
        StoryScope.GLOBAL,
        "62510",
        ["renovation-habitat"],
        "Logements rénovés au niveau basse consommation",
        "120 logements d'une même cité engagés (données de démonstration)",
        PolicyLevel.EUROPE,
        "Pacte vert pour l'Europe — vague de rénovation",
    ),
    (
        "Béthune : un jardin sur la friche de la gare (démo)",
        "Une friche clôturée depuis dix ans est devenue un jardin de 40 familles.",
        StoryScope.LOCAL,
        "62119",
        ["alimentation", "biodiversite-renaturation"],
        "",
        "",
        "",
        "",
    ),
]
# The steering indicators each demo story cites (by the start of their name), when the steering
# demo is loaded (it is registered before the showcase's).
STORY_INDICATORS = {
    0: ["Production d'énergie renouvelable"],
    2: ["Émissions de gaz à effet de serre"],
    3: ["Surfaces renaturées", "Part de produits locaux"],
}
BODY = (
    "**Tout a commencé par une question simple** : que faire de ce qui reste ?\n\n"
    "Les habitants, les associations et la commune se sont réunis, ont visité d'autres "
    "territoires, puis ont essayé petit.\n\n"
    "- ce qui a marché : commencer modestement, montrer vite un résultat ;\n"
    "- ce qui a coincé : les délais des autorisations ;\n"
    "- ce qu'ils conseillent : s'entourer dès le début d'un réseau d'accompagnement.\n\n"
    "*Récit de démonstration : les personnes et les chiffres sont fictifs.*"
)

# title, commune, host pattern, themes, learnings, languages, step-free
VISITS = [
    (
        "Des toits solaires citoyens à Loos-en-Gohelle (démo)",
        "62528",
        ["energie"],
        "Comment une coopérative d'habitants finance, installe et gère des centrales solaires.",
        ["fr", "en", "nl"],
        True,
    ),
    (
        "Une ressourcerie de A à Z à Bruay-la-Buissière (démo)",
        "62178",
        ["dechets-economie-circulaire"],
        "Collecte, tri, réparation, vente : le circuit d'un objet et les emplois qu'il crée.",
        ["fr", "en"],
        True,
    ),
    (
        "Le jardin partagé de la friche à Béthune (démo)",
        "62119",
        ["alimentation"],
        "Démarrer un jardin sur une friche : sol, eau, gouvernance avec les habitants.",
        ["fr"],
        False,
    ),
    (
        "Rénover une maison de cité minière à Liévin (démo)",
        "62510",
        ["renovation-habitat"],
        "Isoler une maison en briques de 1920, ses coûts, ses aides, ses pièges.",
        ["fr", "en", "de"],
        False,
    ),
]

# (title, group, origin, country, size, language, status, day offset, rating)
REQUESTS = [
    ("Lycée Condorcet de Lens (démo)", "scolaire", "France", 24, "fr", "confirmee", -20, 5),
    ("Gemeente Kortrijk (démo)", "etranger", "Belgique", 8, "nl", "confirmee", -12, 4),
    (
        "Communauté de communes du Ternois (démo)",
        "territoire",
        "France",
        12,
        "fr",
        "confirmee",
        9,
        None,
    ),
    ("Stadt Recklinghausen (démo)", "etranger", "Allemagne", 10, "de", "attente", 9, None),
    ("Club d'entreprises de l'Artois (démo)", "entreprise", "France", 6, "fr", "attente", 16, None),
    (
        "University of Leeds students (démo)",
        "etranger",
        "Royaume-Uni",
        15,
        "en",
        "confirmee",
        16,
        None,
    ),
]

# name, kind, relation, relation note, mission, directory name, demo
ACTORS = [
    (
        "CERDD",
        ActorKind.PEDAGOGY,
        Relation.PARTNER,
        "",
        "Centre ressource du développement durable des Hauts-de-France : il accompagne les "
        "territoires dans leurs démarches de transition.",
        "CERDD",
        False,
    ),
    (
        "CD2E",
        ActorKind.NETWORK,
        Relation.PARTNER,
        "",
        "Pôle d'excellence régional de l'éco-transition : bâtiment durable, énergies "
        "renouvelables, économie circulaire.",
        "CD2E",
        False,
    ),
    (
        "ADEME Hauts-de-France",
        ActorKind.STATE,
        Relation.ENGAGED,
        "",
        "Direction régionale de l'Agence de la transition écologique.",
        "ADEME Hauts-de-France",
        False,
    ),
    (
        "Région Hauts-de-France",
        ActorKind.AUTHORITY,
        Relation.ENGAGED,
        "",
        "Conseil régional : développement économique, formation, transports régionaux.",
        "Région Hauts-de-France",
        False,
    ),
    (
        "Euralens",
        ActorKind.NETWORK,
        Relation.PARTNER,
        "",
        "Association de développement et de valorisation du bassin minier.",
        "Euralens",
        False,
    ),
    (
        "Verrerie de l'Artois (démo)",
        ActorKind.INDUSTRY,
        Relation.MET,
        "Premier rendez-vous sur la chaleur fatale (démo)",
        "Grand site industriel fictif du territoire, 900 salariés.",
        "",
        True,
    ),
    (
        "Logistique Nord Artois (démo)",
        ActorKind.INDUSTRY,
        Relation.ENGAGED,
        "Membre du groupe de travail mobilité (démo)",
        "Plateforme logistique fictive, 1 200 salariés.",
        "",
        True,
    ),
    (
        "Union de l'éducation populaire de l'Artois (démo)",
        ActorKind.PEDAGOGY,
        Relation.PARTNER,
        "",
        "Réseau fictif d'associations d'éducation populaire.",
        "",
        True,
    ),
]

COMMITMENTS = [
    (
        "Verrerie de l'Artois (démo)",
        "Réduire de 30 % ses émissions de CO2 d'ici 2030",
        -700,
        1500,
        CommitmentStatus.ONGOING,
        "Étude de récupération de chaleur lancée.",
    ),
    (
        "Verrerie de l'Artois (démo)",
        "Alimenter un réseau de chaleur urbain avec sa chaleur fatale",
        -500,
        200,
        CommitmentStatus.LATE,
        "Étude de faisabilité repoussée de six mois.",
    ),
    (
        "Logistique Nord Artois (démo)",
        "Passer 50 % de sa flotte de poids lourds au biogaz",
        -900,
        -30,
        CommitmentStatus.KEPT,
        "Objectif atteint d'après le rapport annuel fictif.",
    ),
    (
        "Logistique Nord Artois (démo)",
        "Ouvrir un service de navettes pour les salariés",
        -600,
        -60,
        CommitmentStatus.DROPPED,
        "Abandonné, faute d'accord sur le financement.",
    ),
]

BLOCKERS = [
    (
        "Raccordement d'une centrale solaire : 14 mois d'attente (démo)",
        "Procédure de raccordement au réseau de distribution",
        "national",
        "Le raccordement de notre toiture a demandé 14 mois, le projet a perdu une subvention.",
        True,
        Qualification.QUALIFIED,
        0,
    ),
    (
        "Autorisation de jardiner sur une friche polluée (démo)",
        "Règles de gestion des sites et sols pollués",
        "departement",
        "Aucune procédure simple pour un usage temporaire de jardin sur une friche analysée.",
        True,
        Qualification.QUALIFIED,
        1,
    ),
    (
        "Isolation par l'extérieur en secteur protégé (démo)",
        "Avis de l'architecte des bâtiments de France",
        "national",
        "Chaque maison de la cité demande un avis séparé, même quand le projet est identique.",
        False,
        Qualification.QUALIFIED,
        2,
    ),
    (
        "Vente de pièces d'occasion par une ressourcerie (démo)",
        "Statut fiscal de la vente de produits réparés",
        "national",
        "La ressourcerie ne sait pas si elle peut vendre des pièces détachées récupérées.",
        False,
        Qualification.NEW,
        None,
    ),
    (
        "Aide régionale non cumulable avec une aide européenne (démo)",
        "Règlement d'intervention régional",
        "region",
        "L'aide régionale exclut un cofinancement européen pourtant prévu par l'appel à projets.",
        True,
        Qualification.QUALIFIED,
        0,
    ),
]

FILES = [
    (
        "Raccorder plus vite les petites installations solaires (démo)",
        "Créer une procédure courte pour les installations de moins de 100 kWc.",
        "Procédure de raccordement",
        "national",
        AdvocacyStatus.CARRIED,
        "Ministère de la Transition écologique",
        [
            (-90, "Comité régional de l'énergie", "Dossier présenté, soutenu par la Région."),
            (
                -30,
                "Ministère de la Transition écologique",
                "Courrier envoyé avec 6 cas documentés.",
            ),
        ],
    ),
    (
        "Usages temporaires des friches (démo)",
        "Permettre un jardin temporaire sur une friche analysée, avec un protocole simple.",
        "Gestion des sites et sols pollués",
        "departement",
        AdvocacyStatus.ARGUED,
        "",
        [(-40, "Préfecture du Pas-de-Calais", "Rendez-vous pour présenter le protocole.")],
    ),
    (
        "Un avis groupé pour les cités minières (démo)",
        "Un seul avis pour les travaux identiques d'une même cité.",
        "Avis de l'architecte des bâtiments de France",
        "national",
        AdvocacyStatus.OBTAINED,
        "Unité départementale de l'architecture et du patrimoine",
        [
            (-120, "UDAP du Pas-de-Calais", "Réunion de travail avec le bailleur."),
            (-15, "UDAP du Pas-de-Calais", "Accord pour un avis groupé par cité."),
        ],
    ),
]


def _org_in(code: str, name: str, commune: Commune | None, family: str) -> Organisation:
    found = Organisation.objects.filter(commune__code=code, is_demo=True).order_by("id").first()
    if found is not None:
        return found
    return Organisation.objects.create(
        name=name, kind=OrganisationKind.ASSOCIATION, family=family, commune=commune, is_demo=True
    )


def load_showcase() -> str:
    now = timezone.now()
    today = timezone.localdate()
    communes = Commune.objects.in_bulk(
        {p[3] for p in PORTRAITS} | {s[3] for s in STORIES} | {v[1] for v in VISITS},
        field_name="code",
    )
    themes = Theme.objects.in_bulk(field_name="slug")
    users = User.objects.in_bulk([p[8] for p in PORTRAITS if p[8]], field_name="email")
    staff = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    holder = User.objects.filter(email="chloe.demo@turbine.localhost").first()
    projects = list(
        Project.objects.filter(is_demo=True, visibility=Visibility.PUBLIC).order_by("id")[:12]
    )

    portraits = []
    for i, (name, role, family, code, slugs, know_how, tips, teach, email) in enumerate(PORTRAITS):
        person = users.get(email) if email else None
        # Chloé has not answered yet: her portrait waits for her consent (seen from her account).
        pending = email == "chloe.demo@turbine.localhost"
        portrait = Portrait.objects.create(
            person=person,
            name=name,
            role=role,
            family=family,
            commune=communes.get(code),
            know_how=know_how,
            tips=tips,
            can_teach=teach,
            consent=Consent.PENDING if pending else Consent.GIVEN,
            consent_record="" if person else "Accord écrit (démo)",
            consent_at=None if pending else now,
            status=PortraitStatus.DRAFT if pending else PortraitStatus.PUBLISHED,
            published_at=None if pending else now - timedelta(days=30 - i),
            is_featured=i in (0, 3, 6),
            created_by=staff,
            is_demo=True,
        )
        portrait.themes.set([themes[s] for s in slugs if s in themes])
        if projects:
            portrait.projects.set([projects[i % len(projects)]])
        portraits.append(portrait)

    for i, (title, summary, scope, code, slugs, objective, note, level, policy) in enumerate(
        STORIES
    ):
        story = Story.objects.create(
            title=title,
            summary=summary,
            body=BODY,
            scope=scope,
            objective=objective,
            indicator_note=note,
            policy_level=level,
            policy=policy,
            author=staff,
            reviewed_by=staff,
            status=StoryStatus.PUBLISHED,
            published_at=now - timedelta(days=7 * (i + 1)),
            is_demo=True,
        )
        story.communes.set([communes[code]] if code in communes else [])
        story.themes.set([themes[s] for s in slugs if s in themes])
        story.projects.set(projects[i * 2 : i * 2 + 2])
        story.portraits.set([p for p in portraits[i * 2 : i * 2 + 2] if p.is_public])
        cited = [
            indicator
            for prefix in STORY_INDICATORS.get(i, [])
            for indicator in Indicator.objects.filter(is_demo=True, name__startswith=prefix)[:1]
        ]
        story.steering_indicators.set(cited)
        story.steering_objectives.set({indicator.objective_id for indicator in cited})
    if holder is not None:
        Story.objects.create(
            title="Notre première saison au jardin de la friche (démo)",
            summary="Quarante familles, des tomates et beaucoup de réunions.",
            body=BODY,
            author=holder,
            status=StoryStatus.SUBMITTED,
            submitted_at=now - timedelta(days=2),
            is_demo=True,
        )

    offers = []
    for title, code, slugs, learnings, languages, step_free in VISITS:
        commune = communes[code]
        host = _org_in(code, f"Association de {commune.name} (démo)", commune, Family.DOERS)
        offer = VisitOffer.objects.create(
            title=title,
            host=host,
            project=next((p for p in projects if p.holder_organisation_id == host.pk), None),
            commune=commune,
            meeting_point=f"Devant la mairie de {commune.name}",
            description="Accueil et présentation (20 min), tour du site (50 min), échange (20 "
            "min). Prévoir de bonnes chaussures.",
            learnings=learnings,
            languages=languages,
            accessibility="Parking réservé et toilettes adaptées." if step_free else "",
            step_free=step_free,
            created_by=staff,
            is_demo=True,
        )
        offer.themes.set([themes[s] for s in slugs if s in themes])
        offers.append(offer)

    def slot_at(offer: VisitOffer, offset: int, capacity: int = 30) -> VisitSlot:
        day = today + timedelta(days=offset)
        start = timezone.make_aware(datetime.combine(day, time(14, 0)))
        return VisitSlot.objects.get_or_create(
            offer=offer, start=start, defaults={"capacity": capacity}
        )[0]

    for offer in offers:
        slot_at(offer, 9)
        slot_at(offer, 23, 20)
    for i, (group, origin, country, size, lang, status, offset, rating) in enumerate(REQUESTS):
        offer = offers[i % 2] if lang in offers[i % 2].languages else offers[0]
        slot = slot_at(offer, offset)
        request = VisitRequest.objects.create(
            slot=slot,
            contact_name=f"Contact {i + 1} (démo)",
            email=f"visite{i + 1}.demo@turbine.localhost",
            group_name=group,
            origin=origin,
            country=country,
            group_size=size,
            language=lang if lang in offer.languages else "fr",
            status=status,
            decided_at=now if status == VisitRequestStatus.CONFIRMED else None,
            is_demo=True,
        )
        # Seats held by requests waiting or confirmed, as the services count them.
        VisitSlot.objects.filter(pk=slot.pk).update(reserved=slot.reserved + size)
        slot.refresh_from_db()
        if rating:
            VisitFeedback.objects.create(
                request=request,
                rating=rating,
                learned="Le montage financier avec les habitants, et l'importance de commencer "
                "petit (avis de démonstration).",
            )

    files = []
    for title, summary, rule, level, status, body, steps in FILES:
        file = AdvocacyFile.objects.create(
            title=title,
            summary=summary,
            rule=rule,
            level=level,
            status=status,
            body_addressed=body,
            opened_on=today - timedelta(days=150),
            carried_on=today + timedelta(days=steps[-1][0]) if status != "argumente" else None,
            closed_on=today + timedelta(days=steps[-1][0])
            if status == AdvocacyStatus.OBTAINED
            else None,
            created_by=staff,
            is_demo=True,
        )
        for offset, who, note in steps:
            AdvocacyStep.objects.create(
                file=file, date=today + timedelta(days=offset), body=who, note=note, author=staff
            )
        files.append(file)
    for i, (title, rule, level, description, agrees, qualification, file_index) in enumerate(
        BLOCKERS
    ):
        report = BlockerReport.objects.create(
            title=title,
            description=description,
            rule=rule,
            level=level,
            author=holder,
            holder=holder,
            holder_agrees=agrees,
            qualification=qualification,
            qualified_by=staff if qualification != Qualification.NEW else None,
            qualified_at=now if qualification != Qualification.NEW else None,
            file=files[file_index] if file_index is not None else None,
            is_demo=True,
        )
        if projects:
            report.projects.set([projects[(i + 3) % len(projects)]])

    networks = Network.objects.in_bulk(field_name="slug")
    actors = {}
    for name, kind, relation, note, mission, directory_name, is_demo in ACTORS:
        organisation = (
            Organisation.objects.filter(name=directory_name).first() if directory_name else None
        )
        actors[name] = StrategicActor.objects.create(
            name=name,
            kind=kind,
            relation=relation,
            # The Turbine's relation with a real body is part of the demonstration, not a fact.
            relation_note=note or "Relation de démonstration",
            mission=mission,
            organisation=organisation,
            network=networks.get(name.lower()) if not is_demo else None,
            is_demo=is_demo,
        )
    for actor_name, title, announced, due, status, follow_up in COMMITMENTS:
        Commitment.objects.create(
            actor=actors[actor_name],
            title=title,
            announced_on=today + timedelta(days=announced),
            due_on=today + timedelta(days=due),
            status=status,
            follow_up=follow_up,
            checked_on=today - timedelta(days=10),
            is_demo=True,
        )
    PolicyBrief.objects.create(
        actor=actors["Union de l'éducation populaire de l'Artois (démo)"],
        title="Associer les habitants avant de décider, pas après (démo)",
        summary="Trois propositions pour que la transition se décide avec les habitants.",
        body="1. **Des réunions publiques le soir et le week-end.**\n"
        "2. **Un budget pour l'animation**, pas seulement pour les travaux.\n"
        "3. **Un compte rendu envoyé à chaque participant.**\n\n"
        "*Note de démonstration.*",
        author=staff,
        published_at=now - timedelta(days=5),
        recipients_count=User.objects.filter(groups__name="élu").count(),
        is_demo=True,
    )
    search.reindex([search_showcase.STORY, search_showcase.VISIT])
    return (
        f"{len(PORTRAITS)} portraits, {len(STORIES) + 1} récits, {len(VISITS)} visites et "
        f"{len(REQUESTS)} demandes, {len(BLOCKERS)} blocages et {len(FILES)} dossiers, "
        f"{len(ACTORS)} acteurs et {len(COMMITMENTS)} engagements, 1 note aux élus"
    )


demo.register("vitrine", load_showcase)
