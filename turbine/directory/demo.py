"""Demonstration data of the directory: networks, ~300 organisations, 60 public profiles,
150 needs and offers (one per commune of the territory).

The real public bodies named by the territory (PMA, the three agglomerations, CERDD, CD2E,
ADEME, Région Hauts-de-France, Euralens) appear under their real names with a neutral
description; every invented organisation, person and announcement is marked ``is_demo`` and
carries "(démo)" in its name. Coordinates of invented content are approximate (the commune's
area, not a real address).
"""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core import demo, search
from turbine.core.models import Theme
from turbine.directory import search_indexes
from turbine.directory.models import (
    MemberRole,
    Membership,
    MembershipStatus,
    NeedOffer,
    Network,
    Organisation,
    PersonProfile,
)
from turbine.territory.models import Commune
from turbine.territory.selectors import commune_list, get_current_territory

RNG_SEED = "turbine-demo-directory"
DEMO_EMAIL_DOMAIN = "demo.turbine.localhost"

# Approximate centres of the larger communes; the others are placed around their
# agglomeration's centre (demo data only).
KNOWN_PLACES = {
    "62119": (50.530, 2.640),  # Béthune
    "62178": (50.483, 2.550),  # Bruay-la-Buissière
    "62498": (50.432, 2.832),  # Lens
    "62510": (50.423, 2.778),  # Liévin
    "62427": (50.421, 2.951),  # Hénin-Beaumont
    "62215": (50.492, 2.958),  # Carvin
    "62528": (50.457, 2.792),  # Loos-en-Gohelle
    "62065": (50.410, 2.833),  # Avion
    "62048": (50.509, 2.474),  # Auchel
    "62516": (50.561, 2.483),  # Lillers
    "62617": (50.478, 2.666),  # Nœux-les-Mines
    "62413": (50.446, 2.906),  # Harnes
    "62250": (50.456, 2.948),  # Courrières
    "62637": (50.469, 2.992),  # Oignies
    "62186": (50.442, 2.727),  # Bully-les-Mines
}
AGGLOMERATION_CENTRES = {
    "200072460": (50.52, 2.55),
    "246200364": (50.43, 2.80),
    "246200299": (50.45, 2.96),
}

REAL_NETWORKS = [
    (
        "cerdd",
        "CERDD",
        "Centre ressource du développement durable des Hauts-de-France.",
        "https://www.cerdd.org/",
    ),
    (
        "cd2e",
        "CD2E",
        "Pôle d'excellence régional de l'éco-transition (bâtiment durable, énergies "
        "renouvelables, économie circulaire).",
        "https://www.cd2e.com/",
    ),
    ("euralens", "Euralens", "Association de développement du bassin minier.", ""),
]
DEMO_NETWORKS = [
    ("club-entreprises-engagees", "Club des entreprises engagées de l'Artois (démo)"),
    ("jardins-partages-artois", "Fédération des jardins partagés de l'Artois (démo)"),
    ("repair-cafes-bassin-minier", "Collectif des repair cafés du bassin minier (démo)"),
    ("tiers-lieux-artois", "Réseau des tiers-lieux de l'Artois (démo)"),
    ("education-populaire-artois", "Union de l'éducation populaire de l'Artois (démo)"),
]

# name, kind, family, commune code or None, network slugs, theme slugs, description
REAL_BODIES = [
    (
        "Pôle métropolitain de l'Artois",
        "intercommunalite",
        "aident",
        None,
        ["euralens"],
        ["citoyennete-cooperation", "industrie-reconversion"],
        "Syndicat mixte qui réunit les trois agglomérations de l'Artois.",
    ),
    (
        "CA de Béthune-Bruay, Artois-Lys Romane",
        "intercommunalite",
        "aident",
        "62119",
        ["euralens"],
        ["mobilite", "dechets-economie-circulaire"],
        "Communauté d'agglomération de 100 communes.",
    ),
    (
        "CA de Lens - Liévin",
        "intercommunalite",
        "aident",
        "62498",
        ["euralens"],
        ["mobilite", "renovation-habitat"],
        "Communauté d'agglomération de 36 communes.",
    ),
    (
        "CA d'Hénin-Carvin",
        "intercommunalite",
        "aident",
        "62427",
        ["euralens"],
        ["energie", "eau"],
        "Communauté d'agglomération de 14 communes.",
    ),
    (
        "CERDD",
        "tete-de-reseau",
        "diffusent",
        "62528",
        ["cerdd"],
        ["citoyennete-cooperation", "education-culture"],
        "Centre ressource du développement durable des Hauts-de-France.",
    ),
    (
        "CD2E",
        "tete-de-reseau",
        "aident",
        "62528",
        ["cd2e"],
        ["renovation-habitat", "energie", "dechets-economie-circulaire"],
        "Pôle d'excellence régional de l'éco-transition.",
    ),
    (
        "ADEME Hauts-de-France",
        "etablissement-public",
        "aident",
        None,
        [],
        ["energie", "dechets-economie-circulaire", "alimentation"],
        "Direction régionale de l'Agence de la transition écologique.",
    ),
    (
        "Région Hauts-de-France",
        "etablissement-public",
        "aident",
        None,
        [],
        ["emploi-formation", "mobilite", "energie"],
        "Conseil régional des Hauts-de-France.",
    ),
    (
        "Euralens",
        "tete-de-reseau",
        "diffusent",
        None,
        ["euralens"],
        ["industrie-reconversion", "citoyennete-cooperation"],
        "Association de développement et de valorisation du bassin minier.",
    ),
]

# (name pattern, kind, family, theme slugs)
TEMPLATES = [
    ("Repair café de {c}", "association", "font", ["dechets-economie-circulaire"]),
    (
        "Jardins partagés de {c}",
        "association",
        "font",
        ["alimentation", "biodiversite-renaturation"],
    ),
    ("Vélo-école de {c}", "association", "font", ["mobilite"]),
    ("Incroyables comestibles de {c}", "collectif", "font", ["alimentation"]),
    ("Collectif des habitants de la cité {n} à {c}", "collectif", "font", ["renovation-habitat"]),
    ("Ville de {c}", "commune", "aident", ["energie", "biodiversite-renaturation"]),
    ("Atelier {s} rénovation", "tpe-pme", "font", ["renovation-habitat", "energie"]),
    ("Ferme {s}", "tpe-pme", "font", ["alimentation"]),
    ("{s} Solaire", "tpe-pme", "font", ["energie"]),
    ("Habitat Artois {n}", "bailleur-social", "font", ["renovation-habitat"]),
    (
        "Centre de formation aux métiers verts de {c}",
        "organisme-formation",
        "aident",
        ["emploi-formation"],
    ),
    ("Radio associative de {c}", "association", "diffusent", ["education-culture"]),
    (
        "Ressourcerie de {c}",
        "association",
        "font",
        ["dechets-economie-circulaire", "solidarite-justice-sociale"],
    ),
    (
        "Amicale laïque de {c}",
        "association",
        "diffusent",
        ["education-culture", "citoyennete-cooperation"],
    ),
    (
        "Épicerie solidaire de {c}",
        "association",
        "font",
        ["solidarite-justice-sociale", "alimentation"],
    ),
    ("Club nature de {c}", "association", "diffusent", ["biodiversite-renaturation", "eau"]),
    ("Coopérative énergétique citoyenne de {c}", "association", "font", ["energie"]),
    ("Maison de santé de {c}", "autre", "aident", ["sante-environnement"]),
]
SURNAMES = [
    "Delattre",
    "Vasseur",
    "Carpentier",
    "Lemaire",
    "Fontaine",
    "Deprez",
    "Dhainaut",
    "Wattez",
    "Devos",
    "Vandamme",
    "Boulanger",
    "Lecomte",
    "Poulain",
    "Delcroix",
]
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Inès",
    "Nadia",
    "Élodie",
    "Sophie",
    "Fatima",
    "Margaux",
    "Lucas",
    "Hugo",
    "Nathan",
    "Théo",
    "Karim",
    "Mehdi",
    "Julien",
    "Sébastien",
    "Rémi",
    "Yasmine",
    "Aurélie",
]
KNOW_HOW = [
    (
        "Réparer des appareils électriques et animer un repair café.",
        "Lancer un atelier de réparation dans votre quartier.",
        ["dechets-economie-circulaire"],
    ),
    (
        "Maraîchage sur petite surface, compostage collectif.",
        "Démarrer un jardin partagé ou un composteur de quartier.",
        ["alimentation"],
    ),
    (
        "Thermique du bâtiment, audits énergétiques de maisons minières.",
        "Relire un devis de rénovation, orienter vers les aides.",
        ["renovation-habitat", "energie"],
    ),
    (
        "Mécanique vélo, remise en selle des adultes.",
        "Organiser une vélo-école ou un atelier d'autoréparation.",
        ["mobilite"],
    ),
    (
        "Animation de réunions publiques et de concertations.",
        "Préparer une réunion d'habitants, faciliter un atelier.",
        ["citoyennete-cooperation"],
    ),
    (
        "Montage de dossiers de subvention européens et régionaux.",
        "Trouver un financement, relire une candidature.",
        ["emploi-formation"],
    ),
    (
        "Inventaires naturalistes, plantation de haies.",
        "Renaturer une friche, reconnaître les espèces locales.",
        ["biodiversite-renaturation"],
    ),
    (
        "Gestion d'une épicerie solidaire et d'un réseau de bénévoles.",
        "Recruter et fidéliser des bénévoles.",
        ["solidarite-justice-sociale"],
    ),
]
# direction, kind, title, the themes its text is about
NEED_TEMPLATES = [
    (
        "besoin",
        "benevoles",
        "Cherche bénévoles pour un chantier de plantation à {c}",
        ["biodiversite-renaturation"],
    ),
    (
        "offre",
        "lieu",
        "Salle disponible en soirée pour des associations à {c}",
        ["citoyennete-cooperation"],
    ),
    (
        "besoin",
        "materiel",
        "Cherche une broyeuse à végétaux pour le jardin de {c}",
        ["dechets-economie-circulaire", "biodiversite-renaturation"],
    ),
    (
        "offre",
        "competence",
        "Accompagnement au montage de projets de rénovation à {c}",
        ["renovation-habitat", "energie"],
    ),
    (
        "besoin",
        "financement",
        "Recherche cofinancement pour une ressourcerie à {c}",
        ["dechets-economie-circulaire"],
    ),
    (
        "offre",
        "formation",
        "Formation gratuite au compostage à {c}",
        ["dechets-economie-circulaire"],
    ),
    ("besoin", "partenariat", "Cherche partenaires pour une fête du vélo à {c}", ["mobilite"]),
    (
        "offre",
        "donnees",
        "Relevés de consommation d'énergie des bâtiments publics de {c}",
        ["energie"],
    ),
    (
        "offre",
        "materiel",
        "Prêt d'outils de jardinage à {c}",
        ["alimentation", "biodiversite-renaturation"],
    ),
    (
        "besoin",
        "competence",
        "Cherche un thermicien bénévole pour conseiller les habitants de {c}",
        ["renovation-habitat", "energie"],
    ),
]


def _place(commune: Commune, rng: random.Random) -> tuple[float, float]:
    if commune.code in KNOWN_PLACES:
        lat, lon = KNOWN_PLACES[commune.code]
        spread = 0.008
    else:
        # A stable point per commune around its agglomeration's centre.
        digest = hashlib.sha256(commune.code.encode()).digest()
        lat0, lon0 = AGGLOMERATION_CENTRES.get(
            commune.agglomeration.siren if commune.agglomeration else "", (50.45, 2.75)
        )
        lat = lat0 + (digest[0] / 255 - 0.5) * 0.16
        lon = lon0 + (digest[1] / 255 - 0.5) * 0.24
        spread = 0.006
    return (
        round(lat + rng.uniform(-spread, spread), 5),
        round(lon + rng.uniform(-spread, spread), 5),
    )


def load_directory() -> str:
    rng = random.Random(RNG_SEED)
    communes = list(commune_list(territory=get_current_territory()).select_related("agglomeration"))
    if not communes:
        return "aucun territoire importé : rien à charger"
    by_code = {c.code: c for c in communes}
    themes = {t.slug: t for t in Theme.objects.all()}
    networks = {}
    for slug, name, description, website in REAL_NETWORKS:
        networks[slug], _ = Network.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "website": website}
        )
    for slug, name in DEMO_NETWORKS:
        networks[slug], _ = Network.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "is_demo": True,
                "description": "Réseau inventé pour la démonstration.",
            },
        )

    # People with a public profile.
    password = make_password(None)
    people = []
    for i in range(60):
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], SURNAMES[(i * 7) % len(SURNAMES)]
        commune = communes[(i * 37) % len(communes)]
        user, _ = User.objects.get_or_create(
            email=f"personne{i:02d}@{DEMO_EMAIL_DOMAIN}",
            defaults={
                "display_name": f"{first} {last} (démo)",
                "commune": commune,
                "is_profile_public": True,
                "is_demo": True,
                "password": password,
                "bio": f"Habitant·e de {commune.name}, engagé·e dans la transition.",
            },
        )
        know_how, help_with, slugs = KNOW_HOW[i % len(KNOW_HOW)]
        profile, _ = PersonProfile.objects.get_or_create(
            user=user, defaults={"know_how": know_how, "can_help_with": help_with}
        )
        profile.themes.set([themes[s] for s in slugs])
        demo_slugs = [slug for slug, _ in DEMO_NETWORKS]
        profile.networks.set([networks[demo_slugs[i % len(demo_slugs)]]])
        people.append(user)

    organisations: list[Organisation] = []
    for name, kind, family, code, net_slugs, theme_slugs, description in REAL_BODIES:
        commune = by_code.get(code) if code else None
        lat, lon = _place(commune, rng) if commune else (None, None)
        org = Organisation.objects.create(
            name=name,
            kind=kind,
            family=family,
            commune=commune,
            latitude=lat,
            longitude=lon,
            description=description,
        )
        org.themes.set([themes[s] for s in theme_slugs])
        org.networks.set([networks[s] for s in net_slugs])
        organisations.append(org)
    invented = 0
    index = 0
    while invented < 291:
        pattern, kind, family, theme_slugs = TEMPLATES[index % len(TEMPLATES)]
        commune = communes[(index * 11) % len(communes)]
        index += 1
        name = (
            pattern.format(c=commune.name, s=SURNAMES[index % len(SURNAMES)], n=index) + " (démo)"
        )
        if Organisation.objects.filter(name=name).exists():
            continue
        lat, lon = _place(commune, rng)
        org = Organisation.objects.create(
            name=name,
            kind=kind,
            family=family,
            commune=commune,
            latitude=lat,
            longitude=lon,
            description=(
                f"Organisation inventée pour la démonstration, active à {commune.name}. "
                "Elle illustre ce que la Turbine montre des acteurs du territoire."
            ),
            contact_email=f"contact{index}@{DEMO_EMAIL_DOMAIN}",
            contact_public=index % 3 == 0,
            is_demo=True,
        )
        org.themes.set([themes[s] for s in theme_slugs])
        net = [networks[slug] for slug, _ in DEMO_NETWORKS if rng.random() < 0.12]
        if kind in ("tpe-pme", "bailleur-social") and rng.random() < 0.5:
            net.append(networks["cd2e"])
        if rng.random() < 0.15:
            net.append(networks["cerdd"])
        org.networks.set(net)
        Membership.objects.create(
            organisation=org,
            user=people[invented % len(people)],
            role=MemberRole.ADMIN,
            status=MembershipStatus.ACTIVE,
        )
        organisations.append(org)
        invented += 1

    # Needs and offers, one per commune.
    today = timezone.localdate()
    invented_orgs = [o for o in organisations if o.is_demo]
    for i, commune in enumerate(communes):
        direction, kind, pattern, theme_slugs = NEED_TEMPLATES[i % len(NEED_TEMPLATES)]
        author = people[(i * 13) % len(people)]
        org = invented_orgs[(i * 7) % len(invented_orgs)] if i % 2 else None
        if org is not None and not org.memberships.filter(user=author).exists():
            Membership.objects.create(organisation=org, user=author, status="active")
        item = NeedOffer.objects.create(
            direction=direction,
            kind=kind,
            title=pattern.format(c=commune.name) + " (démo)",
            description="Annonce inventée pour la démonstration.",
            author=author,
            organisation=org,
            expires_on=today + timedelta(days=30 + (i * 17) % 300),
            is_demo=True,
        )
        item.communes.set([commune])
        item.themes.set([themes[s] for s in theme_slugs if s in themes])

    _link_personas(organisations, themes, networks)
    search.reindex(
        [
            search_indexes.ORGANISATION,
            search_indexes.PERSON,
            search_indexes.NETWORK,
            search_indexes.NEEDOFFER,
        ]
    )
    return (
        f"{len(networks)} réseaux, {len(organisations)} organisations dont "
        f"{len(REAL_BODIES)} organismes publics réels, {len(people)} profils publics, "
        f"{len(communes)} besoins et offres"
    )


def _link_personas(
    organisations: list[Organisation], themes: dict[str, Theme], networks: dict[str, Network]
) -> None:
    """Give the demo accounts of the accounts app (Chloé, Alice) a place in the directory, so
    that signing in with them shows an organisation to run and a profile."""
    chloe = User.objects.filter(email="chloe.demo@turbine.localhost").first()
    garden = next((o for o in organisations if o.name.startswith("Jardins partagés")), None)
    if chloe is not None and garden is not None:
        Membership.objects.get_or_create(
            organisation=garden,
            user=chloe,
            defaults={"role": MemberRole.ADMIN, "status": MembershipStatus.ACTIVE},
        )
    alice = User.objects.filter(email="alice.demo@turbine.localhost").first()
    if alice is not None:
        profile, _ = PersonProfile.objects.get_or_create(
            user=alice,
            defaults={
                "know_how": "Réparer les vélos et les petits appareils.",
                "can_help_with": "Animer un atelier de réparation.",
            },
        )
        profile.themes.set([themes["mobilite"], themes["dechets-economie-circulaire"]])
        profile.networks.set([networks["repair-cafes-bassin-minier"]])


demo.register("annuaire", load_directory)
