"""Default triage grids and the first administrative procedures of the catalogue. Staff change
both in the administration afterwards; this migration never overwrites their edits."""

from decimal import Decimal

from django.db import migrations

SCALE = [
    ("acteurs", Decimal(3), Decimal(10)),
    ("budget", Decimal(20_000), Decimal(300_000)),
    ("portee", Decimal(2), Decimal(10)),
    ("etape", Decimal(3), Decimal(5)),
]
URGENCY = [
    (
        "climat",
        3,
        ["energie", "mobilite", "renovation-habitat", "biodiversite-renaturation", "eau"],
    ),
    ("social", 3, []),
    ("echeance", 2, []),
    ("abandon", 2, []),
]
PROCEDURES = [
    {
        "title": "Déclaration préalable de travaux",
        "what_to_do": (
            "Pour des travaux qui modifient l'aspect extérieur d'un bâtiment (façade, toiture, "
            "panneaux solaires, clôture, isolation par l'extérieur) ou créent de 5 à 20 m² : "
            "déposer le formulaire Cerfa de déclaration préalable à la mairie, au moins un mois "
            "avant les travaux (deux en secteur protégé)."
        ),
        "whom_to_ask": "le service urbanisme de la mairie de la commune du projet",
        "url": "https://www.service-public.fr/particuliers/vosdroits/F17578",
        "keywords": "travaux toiture facade cloture panneaux solaire photovoltaique isolation "
        "ravalement abri menuiseries",
        "themes": ["renovation-habitat", "energie"],
        "holder_types": " habitant association commune entreprise ",
    },
    {
        "title": "Permis de construire",
        "what_to_do": (
            "Pour une construction nouvelle ou une extension de plus de 20 m² (40 m² en zone "
            "urbaine d'un PLU) : déposer une demande de permis de construire en mairie ; le "
            "recours à un architecte est obligatoire au-delà de 150 m²."
        ),
        "whom_to_ask": "le service urbanisme de la mairie de la commune du projet",
        "url": "https://www.service-public.fr/particuliers/vosdroits/F1986",
        "keywords": "construction construire batiment extension agrandissement serre hangar "
        "local tiers-lieu",
        "themes": ["renovation-habitat"],
        "holder_types": " habitant association commune entreprise agriculteur ",
    },
    {
        "title": "Déclaration d'une manifestation publique en mairie",
        "what_to_do": (
            "Pour une fête, un marché, un festival ou un rassemblement ouvert au public, "
            "surtout sur la voie publique : déclarer la manifestation à la mairie (au moins un "
            "mois avant), demander si besoin un arrêté de circulation et prévoir l'assurance."
        ),
        "whom_to_ask": "la mairie (service des fêtes ou de la vie associative)",
        "url": "",
        "keywords": "fete festival manifestation evenement marche concert rassemblement "
        "brocante foire repair-cafe",
        "themes": ["citoyennete-cooperation", "education-culture"],
        "holder_types": " habitant collectif association entreprise ",
    },
    {
        "title": "Déclaration sanitaire de manipulation de denrées alimentaires (DDPP)",
        "what_to_do": (
            "Avant de préparer, transformer, vendre ou distribuer des aliments (cuisine "
            "partagée, épicerie, conserverie, traiteur) : déclarer l'activité à la DDPP avec le "
            "formulaire Cerfa 13984 et respecter les règles d'hygiène (plan de maîtrise "
            "sanitaire)."
        ),
        "whom_to_ask": "la DDPP du Pas-de-Calais (direction départementale de la protection "
        "des populations)",
        "url": "",
        "keywords": "alimentaire aliments cuisine repas vente restauration traiteur conserverie "
        "epicerie transformation cantine",
        "themes": ["alimentation"],
        "holder_types": " association entreprise agriculteur collectif ",
    },
    {
        "title": "Autorisation de buvette temporaire",
        "what_to_do": (
            "Pour vendre des boissons lors d'une manifestation : demander au maire une "
            "autorisation d'ouverture d'un débit de boissons temporaire (une association en "
            "obtient au plus cinq par an)."
        ),
        "whom_to_ask": "la mairie de la commune de la manifestation",
        "url": "",
        "keywords": "buvette boissons bar",
        "themes": [],
        "holder_types": " association collectif ",
    },
    {
        "title": "Autorisation d'occupation temporaire du domaine public",
        "what_to_do": (
            "Pour installer un stand, des bacs, du mobilier ou un chantier sur un trottoir, une "
            "place ou un terrain public : demander un permis de stationnement ou une "
            "autorisation d'occupation temporaire au gestionnaire du domaine."
        ),
        "whom_to_ask": "la mairie (voirie) ou le gestionnaire du terrain public",
        "url": "",
        "keywords": "trottoir voirie place stand terrasse occupation jardiniere bacs "
        "vegetalisation rue",
        "themes": ["biodiversite-renaturation"],
        "holder_types": " habitant collectif association entreprise ",
    },
    {
        "title": "Déclaration ou autorisation au titre de la loi sur l'eau",
        "what_to_do": (
            "Pour des travaux sur une mare, un cours d'eau, une zone humide, ou un prélèvement "
            "ou rejet d'eau : vérifier la nomenclature « IOTA » et déposer la déclaration ou la "
            "demande d'autorisation environnementale."
        ),
        "whom_to_ask": "la DDTM du Pas-de-Calais (service eau et risques)",
        "url": "",
        "keywords": "mare cours riviere zone humide forage prelevement rejet berges renaturation",
        "themes": ["eau", "biodiversite-renaturation"],
        "holder_types": " commune epci association entreprise agriculteur ",
    },
    {
        "title": "Demande de raccordement d'une installation de production d'électricité",
        "what_to_do": (
            "Pour injecter sur le réseau l'électricité de panneaux solaires ou d'une "
            "installation citoyenne : faire la demande de raccordement sur le portail du "
            "gestionnaire de réseau, après l'autorisation d'urbanisme."
        ),
        "whom_to_ask": "Enedis (gestionnaire du réseau de distribution)",
        "url": "",
        "keywords": "photovoltaique solaire panneaux autoconsommation injection eolienne centrale",
        "themes": ["energie"],
        "holder_types": " habitant association commune entreprise agriculteur ",
    },
    {
        "title": "Déclaration de création d'une association",
        "what_to_do": (
            "Pour qu'un collectif puisse recevoir des subventions : rédiger des statuts, tenir "
            "une assemblée constitutive et déclarer l'association en ligne au greffe des "
            "associations ; la publication au Journal officiel est gratuite."
        ),
        "whom_to_ask": "le greffe des associations de la préfecture du Pas-de-Calais",
        "url": "",
        "keywords": "association statuts collectif",
        "themes": ["citoyennete-cooperation"],
        "holder_types": " habitant collectif ",
    },
    {
        "title": "Déclaration annuelle de ruches",
        "what_to_do": (
            "Tout apiculteur, dès la première ruche, déclare chaque année ses colonies et leur "
            "emplacement (entre le 1er septembre et le 31 décembre) en ligne."
        ),
        "whom_to_ask": "le ministère de l'Agriculture (téléservice de déclaration de ruches)",
        "url": "",
        "keywords": "ruche ruches rucher apiculture abeilles miel",
        "themes": ["biodiversite-renaturation", "alimentation"],
        "holder_types": " habitant association commune entreprise agriculteur ",
    },
    {
        "title": "Installation classée pour l'environnement (ICPE)",
        "what_to_do": (
            "Une plateforme de compostage, une unité de méthanisation ou un stockage de "
            "déchets peut relever des installations classées : vérifier la rubrique et déposer "
            "la déclaration, l'enregistrement ou la demande d'autorisation."
        ),
        "whom_to_ask": "la DREAL Hauts-de-France (unité départementale)",
        "url": "",
        "keywords": "methanisation compostage composteur dechets biodechets recyclerie stockage",
        "themes": ["dechets-economie-circulaire", "energie"],
        "holder_types": " commune epci association entreprise agriculteur ",
    },
]


def seed(apps, schema_editor):
    Theme = apps.get_model("core", "Theme")
    ScaleCriterion = apps.get_model("guichet", "ScaleCriterion")
    UrgencyCriterion = apps.get_model("guichet", "UrgencyCriterion")
    Procedure = apps.get_model("guichet", "Procedure")
    for key, level2, level3 in SCALE:
        ScaleCriterion.objects.get_or_create(
            key=key, defaults={"level2_from": level2, "level3_from": level3}
        )
    for key, weight, slugs in URGENCY:
        criterion, created = UrgencyCriterion.objects.get_or_create(
            key=key, defaults={"weight": weight}
        )
        if created:
            criterion.themes.set(Theme.objects.filter(slug__in=slugs))
    for data in PROCEDURES:
        data = dict(data)
        slugs = data.pop("themes")
        procedure, created = Procedure.objects.get_or_create(title=data["title"], defaults=data)
        if created:
            procedure.themes.set(Theme.objects.filter(slug__in=slugs))


class Migration(migrations.Migration):
    dependencies = [("guichet", "0001_initial"), ("core", "0002_themes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
