# ruff: noqa: E501  (data tables: one aid per line reads better than wrapped tuples)
"""Demonstration catalogue: about 40 funders and 120 aids at every level.

Real programmes appear under their real names with their official links (Fonds vert, FEDER,
LEADER, Fonds Chaleur...), but their dates, rates and amounts are examples: every demo aid is
``is_demo`` and its page says so. Aids invented for the territory carry "(démo)" in their title.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core import demo
from turbine.directory.models import (
    Family,
    MemberRole,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
)
from turbine.funding.models import (
    Aid,
    AidStatus,
    ApplicationStatus,
    Funder,
    FunderLevel,
    FundingKind,
    LocalNote,
    NoteVisibility,
    PartnerSearch,
    Perimeter,
    ProjectApplication,
    ProjectFunding,
    Recurrence,
    Scale,
)
from turbine.funding.services import management
from turbine.funding.services.catalogue import aid_create, perimeters_ensure_loaded
from turbine.projects.models import Project, Visibility
from turbine.territory.models import Commune

EXAMPLE = (
    "Dates et montants donnés à titre d'exemple (démonstration) : vérifiez auprès du financeur."
)

FUNDERS = [
    # name, level, website, is_demo
    ("Union européenne – FEDER", FunderLevel.EU, "https://europe-en-hautsdefrance.eu/", False),
    ("Union européenne – FEADER (LEADER)", FunderLevel.EU, "https://europe-en-hautsdefrance.eu/", False),
    ("Union européenne – FSE+", FunderLevel.EU, "https://fse.gouv.fr/", False),
    ("Commission européenne – CINEA", FunderLevel.EU, "https://cinea.ec.europa.eu/", False),
    ("Interreg France-Wallonie-Vlaanderen", FunderLevel.EU, "https://www.interreg-fwvl.eu/", False),
    ("Ministère de la Transition écologique", FunderLevel.STATE, "https://www.ecologie.gouv.fr/", False),
    ("Préfecture du Pas-de-Calais", FunderLevel.STATE, "https://www.pas-de-calais.gouv.fr/", False),
    ("Préfecture du Nord", FunderLevel.STATE, "https://www.nord.gouv.fr/", False),
    ("Agence régionale de santé Hauts-de-France", FunderLevel.STATE, "https://www.hauts-de-france.ars.sante.fr/", False),
    ("Agence nationale de la cohésion des territoires", FunderLevel.STATE, "https://agence-cohesion-territoires.gouv.fr/", False),
    ("Ministère de l'Agriculture et de la Souveraineté alimentaire", FunderLevel.STATE, "https://agriculture.gouv.fr/", False),
    ("DREAL Hauts-de-France", FunderLevel.STATE, "https://www.hauts-de-france.developpement-durable.gouv.fr/", False),
    ("Agence nationale du sport", FunderLevel.STATE, "https://www.agencedusport.fr/", False),
    ("ADEME", FunderLevel.PUBLIC_BODY, "https://www.ademe.fr/", False),
    ("Banque des Territoires", FunderLevel.PUBLIC_BODY, "https://www.banquedesterritoires.fr/", False),
    ("Agence de l'eau Artois-Picardie", FunderLevel.PUBLIC_BODY, "https://www.eau-artois-picardie.fr/", False),
    ("Office français de la biodiversité", FunderLevel.PUBLIC_BODY, "https://www.ofb.gouv.fr/", False),
    ("Anah", FunderLevel.PUBLIC_BODY, "https://www.anah.gouv.fr/", False),
    ("Bpifrance", FunderLevel.PUBLIC_BODY, "https://www.bpifrance.fr/", False),
    ("Établissement public foncier Hauts-de-France", FunderLevel.PUBLIC_BODY, "https://www.epf-hdf.fr/", False),
    ("Cerema", FunderLevel.PUBLIC_BODY, "https://www.cerema.fr/", False),
    ("FNCCR – Programme ACTEE", FunderLevel.PUBLIC_BODY, "https://www.programme-cee-actee.fr/", False),
    ("CERDD", FunderLevel.PUBLIC_BODY, "https://www.cerdd.org/", False),
    ("Région Hauts-de-France", FunderLevel.REGION, "https://www.hautsdefrance.fr/", False),
    ("Département du Pas-de-Calais", FunderLevel.DEPARTMENT, "https://www.pasdecalais.fr/", False),
    ("Département du Nord", FunderLevel.DEPARTMENT, "https://lenord.fr/", False),
    ("Pôle métropolitain de l'Artois", FunderLevel.EPCI, "", False),
    ("CA de Béthune-Bruay, Artois-Lys Romane", FunderLevel.EPCI, "https://www.bethunebruay.fr/", False),
    ("CA de Lens - Liévin", FunderLevel.EPCI, "https://www.agglo-lenslievin.fr/", False),
    ("CA d'Hénin-Carvin", FunderLevel.EPCI, "https://www.agglo-henincarvin.fr/", False),
    ("Ville de Béthune", FunderLevel.COMMUNE, "https://www.bethune.fr/", False),
    ("Ville de Lens", FunderLevel.COMMUNE, "https://www.villedelens.fr/", False),
    ("Ville de Liévin", FunderLevel.COMMUNE, "https://www.lievin.fr/", False),
    ("Ville d'Hénin-Beaumont", FunderLevel.COMMUNE, "https://www.ville-henin-beaumont.fr/", False),
    ("Fondation de France", FunderLevel.FOUNDATION, "https://www.fondationdefrance.org/", False),
    ("Fondation du patrimoine", FunderLevel.FOUNDATION, "https://www.fondation-patrimoine.org/", False),
    ("Fondation des mines de l'Artois (démo)", FunderLevel.FOUNDATION, "", True),
    ("Coopérative d'énergie citoyenne de l'Artois (démo)", FunderLevel.COMPANY, "", True),
    ("Mutuelle solidaire du Bassin minier (démo)", FunderLevel.COMPANY, "", True),
    ("Brasserie coopérative de Lens (démo)", FunderLevel.COMPANY, "", True),
    ("Club des entreprises engagées de l'Artois (démo)", FunderLevel.COMPANY, "", True),
]  # fmt: skip

FR = (Scale.COUNTRY, "FR")
EU = (Scale.EU, "EU")
HDF = (Scale.REGION, "32")
PDC = (Scale.DEPARTMENT, "62")
NORD = (Scale.DEPARTMENT, "59")
BASSIN = [(Scale.DEPARTMENT, "59"), PDC, (Scale.DEPARTMENT, "80")]
CABBALR = (Scale.EPCI, "200072460")
CALL = (Scale.EPCI, "246200364")
CAHC = (Scale.EPCI, "246200299")
PMA = [CABBALR, CALL, CAHC]
FONDS_VERT = "https://www.ecologie.gouv.fr/politiques-publiques/fonds-vert"
EUROPE_HDF = "https://europe-en-hautsdefrance.eu/"
ADEME_AIDS = "https://agirpourlatransition.ademe.fr/"
COLLECTIVITES = ["commune", "epci"]

# title, funders, types, beneficiaries, themes, perimeters, call, recurrence, deadline (days from
# today, None: none), rate range, origin URL, short description.
AIDS = [
    ("Fonds vert – Rénovation énergétique des bâtiments publics locaux", ["Ministère de la Transition écologique"], ["subvention"], COLLECTIVITES + ["departement", "region"], ["energie", "renovation-habitat"], [FR], False, "recurrente", 120, (20, 80), FONDS_VERT, "Réduire la consommation d'énergie des écoles, mairies et équipements publics."),
    ("Fonds vert – Renaturation des villes et des villages", ["Ministère de la Transition écologique"], ["subvention"], COLLECTIVITES + ["departement", "region"], ["biodiversite-renaturation", "eau"], [FR], False, "recurrente", 95, (20, 80), FONDS_VERT, "Désimperméabiliser, végétaliser, créer des îlots de fraîcheur."),
    ("Fonds vert – Recyclage des friches", ["Ministère de la Transition écologique"], ["subvention"], COLLECTIVITES + ["entreprise", "bailleur-social"], ["industrie-reconversion"], [FR], True, "recurrente", 60, (None, 50), FONDS_VERT, "Requalifier des friches industrielles ou commerciales pour limiter l'artificialisation."),
    ("Fonds vert – Prévention des inondations", ["Ministère de la Transition écologique"], ["subvention"], COLLECTIVITES + ["departement", "region"], ["eau"], [FR], False, "recurrente", 150, (20, 80), FONDS_VERT, "Travaux de prévention et de réduction de la vulnérabilité aux inondations."),
    ("Fonds vert – Tri à la source et valorisation des biodéchets", ["Ministère de la Transition écologique", "ADEME"], ["subvention"], COLLECTIVITES, ["dechets-economie-circulaire"], [FR], False, "recurrente", 75, (None, 70), FONDS_VERT, "Collecte séparée et compostage des biodéchets."),
    ("Fonds vert – Stratégie nationale biodiversité 2030", ["Ministère de la Transition écologique", "Office français de la biodiversité"], ["subvention"], COLLECTIVITES + ["association"], ["biodiversite-renaturation"], [FR], False, "recurrente", 130, (None, 80), FONDS_VERT, "Restaurer les milieux naturels et les continuités écologiques."),
    ("Fonds vert – Covoiturage dans les territoires ruraux et périurbains", ["Ministère de la Transition écologique"], ["subvention"], COLLECTIVITES, ["mobilite"], [FR], False, "recurrente", 40, (None, 50), FONDS_VERT, "Aires de covoiturage, lignes et incitations."),
    ("ADEME – Appel à projets de recherche « Transitions écologiques, économiques et sociales »", ["ADEME"], ["subvention"], ["recherche", "etablissement-public"], ["industrie-reconversion", "citoyennete-cooperation"], [FR], True, "recurrente", 75, (None, None), "https://agirpourlatransition.ademe.fr/", "Recherches en sciences humaines et sociales sur la transition, menées avec les acteurs d'un territoire."),
    ("Fonds Chaleur – Production de chaleur renouvelable", ["ADEME"], ["subvention"], COLLECTIVITES + ["entreprise", "bailleur-social", "etablissement-public"], ["energie"], [FR], False, "permanente", None, (30, 60), "https://fondschaleur.ademe.fr/", "Biomasse, géothermie, solaire thermique, récupération de chaleur fatale."),
    ("Fonds Chaleur – Réseaux de chaleur et de froid", ["ADEME"], ["subvention"], COLLECTIVITES + ["entreprise"], ["energie"], [FR], False, "permanente", None, (None, 60), "https://fondschaleur.ademe.fr/", "Création et extension de réseaux de chaleur alimentés par des énergies renouvelables."),
    ("Fonds Économie circulaire de l'ADEME", ["ADEME"], ["subvention", "ingenierie-technique"], COLLECTIVITES + ["entreprise", "association"], ["dechets-economie-circulaire"], [FR], False, "permanente", None, (None, 55), ADEME_AIDS, "Prévention, réemploi, recyclage et écoconception."),
    ("Tremplin pour la transition écologique des PME", ["ADEME"], ["subvention"], ["entreprise"], ["energie", "dechets-economie-circulaire"], [FR], False, "permanente", None, (None, 80), ADEME_AIDS, "Études et investissements de transition des petites et moyennes entreprises."),
    ("Diagnostic Décarbon'Action", ["Bpifrance", "ADEME"], ["ingenierie-technique"], ["entreprise"], ["energie", "industrie-reconversion"], [FR], False, "permanente", None, (40, 60), "https://www.bpifrance.fr/", "Un bilan carbone et un plan d'action accompagnés par un expert."),
    ("Prêt vert Bpifrance", ["Bpifrance"], ["pret"], ["entreprise"], ["energie", "industrie-reconversion"], [FR], False, "permanente", None, (None, None), "https://www.bpifrance.fr/", "Financer les investissements de transition écologique et énergétique."),
    ("FEDER Hauts-de-France – Efficacité énergétique des bâtiments publics", ["Union européenne – FEDER", "Région Hauts-de-France"], ["subvention"], COLLECTIVITES + ["bailleur-social"], ["energie", "renovation-habitat"], [HDF], True, "recurrente", 55, (None, 60), EUROPE_HDF, "Programme régional FEDER-FSE+ 2021-2027, priorité transition énergétique."),
    ("FEDER Hauts-de-France – Biodiversité et infrastructures vertes", ["Union européenne – FEDER", "Région Hauts-de-France"], ["subvention"], COLLECTIVITES + ["association"], ["biodiversite-renaturation"], [HDF], True, "recurrente", 85, (None, 60), EUROPE_HDF, "Trame verte et bleue, restauration d'espaces naturels."),
    ("FEDER Hauts-de-France – Mobilité urbaine durable", ["Union européenne – FEDER"], ["subvention"], COLLECTIVITES, ["mobilite"], [HDF], True, "recurrente", 110, (None, 50), EUROPE_HDF, "Pôles d'échanges, modes actifs, transports collectifs."),
    ("FSE+ – Insertion par l'activité économique", ["Union européenne – FSE+"], ["subvention"], ["association", "entreprise"], ["emploi-formation", "solidarite-justice-sociale"], [HDF], True, "recurrente", 35, (None, 60), "https://fse.gouv.fr/", "Accompagner vers l'emploi les personnes qui en sont le plus éloignées."),
    ("LEADER – Développement rural des Hauts-de-France", ["Union européenne – FEADER (LEADER)"], ["subvention"], ["commune", "association", "agriculteur", "entreprise"], ["alimentation", "citoyennete-cooperation"], [HDF], False, "permanente", None, (None, 80), EUROPE_HDF, "Projets portés par les groupes d'action locale, en milieu rural."),
    ("Programme LIFE – Nature et biodiversité", ["Commission européenne – CINEA"], ["subvention"], COLLECTIVITES + ["association", "entreprise", "etablissement-public"], ["biodiversite-renaturation"], [EU], True, "recurrente", 200, (None, 60), "https://cinea.ec.europa.eu/programmes/life_en", "Projets de conservation de la nature à l'échelle européenne."),
    ("Programme LIFE – Transition vers l'énergie propre", ["Commission européenne – CINEA"], ["subvention"], COLLECTIVITES + ["association", "entreprise"], ["energie"], [EU], True, "recurrente", 190, (None, 95), "https://cinea.ec.europa.eu/programmes/life_en", "Lever les freins au déploiement des énergies propres."),
    ("Interreg France-Wallonie-Vlaanderen – Coopération transfrontalière", ["Interreg France-Wallonie-Vlaanderen"], ["subvention"], COLLECTIVITES + ["association", "etablissement-public"], ["citoyennete-cooperation", "biodiversite-renaturation"], [NORD, PDC, (Scale.DEPARTMENT, "80"), (Scale.DEPARTMENT, "02")], True, "recurrente", 70, (None, 60), "https://www.interreg-fwvl.eu/", "Projets communs avec des partenaires wallons et flamands."),
    ("Dotation d'équipement des territoires ruraux (DETR) – Pas-de-Calais", ["Préfecture du Pas-de-Calais"], ["subvention"], COLLECTIVITES, ["energie", "education-culture"], [PDC], True, "recurrente", 25, (20, 80), "https://www.pas-de-calais.gouv.fr/", "Investissements des communes et groupements ruraux."),
    ("Dotation de soutien à l'investissement local (DSIL) – Pas-de-Calais", ["Préfecture du Pas-de-Calais"], ["subvention"], COLLECTIVITES, ["renovation-habitat", "mobilite"], [PDC], True, "recurrente", 18, (20, 80), "https://www.pas-de-calais.gouv.fr/", "Rénovation thermique, transition énergétique, mobilité."),
    ("Dotation d'équipement des territoires ruraux (DETR) – Nord", ["Préfecture du Nord"], ["subvention"], COLLECTIVITES, ["energie"], [NORD], True, "recurrente", 28, (20, 80), "https://www.nord.gouv.fr/", "Investissements des communes et groupements ruraux."),
    ("MaPrimeRénov'", ["Anah"], ["subvention"], ["particulier"], ["renovation-habitat", "energie"], [FR], False, "permanente", None, (None, 90), "https://www.maprimerenov.gouv.fr/", "Aide à la rénovation énergétique des logements."),
    ("MaPrimeRénov' Copropriété", ["Anah"], ["subvention"], ["particulier"], ["renovation-habitat"], [FR], False, "permanente", None, (30, 45), "https://france-renov.gouv.fr/", "Rénovation des parties communes des copropriétés."),
    ("Mon Accompagnateur Rénov'", ["Anah"], ["ingenierie-technique"], ["particulier"], ["renovation-habitat"], [FR], False, "permanente", None, (None, 100), "https://france-renov.gouv.fr/", "Un accompagnement agréé tout au long du projet de rénovation."),
    ("Coup de pouce Chauffage", ["Ministère de la Transition écologique"], ["cee"], ["particulier"], ["energie"], [FR], False, "permanente", None, (None, None), "https://www.ecologie.gouv.fr/", "Remplacer une chaudière au fioul ou au gaz par un équipement renouvelable."),
    ("Programme CEE ACTEE – Rénovation énergétique des bâtiments des collectivités", ["FNCCR – Programme ACTEE"], ["cee", "ingenierie-technique"], COLLECTIVITES, ["energie", "renovation-habitat"], [FR], True, "recurrente", 65, (None, 50), "https://www.programme-cee-actee.fr/", "Financer les études, audits et économes de flux."),
    ("EduRénov – Rénovation des écoles", ["Banque des Territoires"], ["pret", "ingenierie-technique"], COLLECTIVITES, ["renovation-habitat", "education-culture"], [FR], False, "permanente", None, (None, None), "https://www.banquedesterritoires.fr/edurenov", "Prêts et ingénierie pour rénover 10 000 écoles."),
    ("Prêt GPI-AmbRE", ["Banque des Territoires"], ["pret"], COLLECTIVITES, ["renovation-habitat", "energie"], [FR], False, "permanente", None, (None, None), "https://www.banquedesterritoires.fr/", "Prêt de long terme pour la rénovation énergétique des bâtiments publics."),
    ("Prêt Mobi Prêt", ["Banque des Territoires"], ["pret"], COLLECTIVITES, ["mobilite"], [FR], False, "permanente", None, (None, None), "https://www.banquedesterritoires.fr/", "Financer les infrastructures de mobilité durable."),
    ("Gestion durable des eaux pluviales et désimperméabilisation", ["Agence de l'eau Artois-Picardie"], ["subvention"], COLLECTIVITES + ["entreprise", "bailleur-social"], ["eau", "biodiversite-renaturation"], BASSIN, False, "permanente", None, (40, 70), "https://www.eau-artois-picardie.fr/", "Infiltrer l'eau de pluie à la parcelle, déconnecter les réseaux."),
    ("Économies d'eau et réutilisation des eaux", ["Agence de l'eau Artois-Picardie"], ["subvention"], COLLECTIVITES + ["entreprise", "agriculteur"], ["eau"], BASSIN, True, "recurrente", 45, (None, 50), "https://www.eau-artois-picardie.fr/", "Réduire les prélèvements et réutiliser les eaux traitées."),
    ("Restauration des zones humides", ["Agence de l'eau Artois-Picardie"], ["subvention"], COLLECTIVITES + ["association", "agriculteur"], ["eau", "biodiversite-renaturation"], BASSIN, False, "permanente", None, (None, 80), "https://www.eau-artois-picardie.fr/", "Acquérir, restaurer et gérer les zones humides."),
    ("Atlas de la biodiversité communale", ["Office français de la biodiversité"], ["subvention"], COLLECTIVITES, ["biodiversite-renaturation", "citoyennete-cooperation"], [FR], True, "recurrente", 100, (None, 80), "https://www.ofb.gouv.fr/atlas-de-la-biodiversite-communale", "Inventorier la biodiversité de la commune avec ses habitants."),
    ("Territoires engagés pour la nature", ["Office français de la biodiversité", "Région Hauts-de-France"], ["ingenierie-technique"], COLLECTIVITES, ["biodiversite-renaturation"], [HDF], False, "permanente", None, (None, None), "https://engagespourlanature.ofb.fr/", "Reconnaissance et accompagnement d'un plan d'action biodiversité."),
    ("Projets alimentaires territoriaux", ["Ministère de l'Agriculture et de la Souveraineté alimentaire"], ["subvention", "ingenierie-technique"], COLLECTIVITES + ["association"], ["alimentation"], [FR], True, "recurrente", 80, (None, 70), "https://agriculture.gouv.fr/", "Faire émerger ou renforcer un projet alimentaire territorial."),
    ("Fonds mobilités actives – Aménagements cyclables", ["Ministère de la Transition écologique"], ["subvention"], COLLECTIVITES, ["mobilite"], [FR], True, "recurrente", 50, (20, 40), "https://www.ecologie.gouv.fr/", "Résorber les discontinuités des itinéraires cyclables."),
    ("Territoires d'industrie", ["Agence nationale de la cohésion des territoires"], ["ingenierie-financiere", "ingenierie-technique"], ["epci", "entreprise"], ["industrie-reconversion", "emploi-formation"], [FR], False, "permanente", None, (None, None), "https://agence-cohesion-territoires.gouv.fr/territoires-dindustrie-44", "Reconquête industrielle des territoires."),
    ("Petites villes de demain", ["Agence nationale de la cohésion des territoires"], ["ingenierie-technique", "ingenierie-financiere"], ["commune", "epci"], ["renovation-habitat", "citoyennete-cooperation"], [FR], False, "permanente", None, (None, None), "https://agence-cohesion-territoires.gouv.fr/petites-villes-de-demain-45", "Revitaliser les villes de moins de 20 000 habitants qui jouent un rôle de centralité."),
    ("Action cœur de ville", ["Agence nationale de la cohésion des territoires", "Banque des Territoires"], ["ingenierie-technique", "pret"], ["commune"], ["renovation-habitat"], [FR], False, "permanente", None, (None, None), "https://agence-cohesion-territoires.gouv.fr/action-coeur-de-ville-42", "Redynamiser les centres des villes moyennes."),
    ("Portage foncier et requalification des friches", ["Établissement public foncier Hauts-de-France"], ["ingenierie-technique", "ingenierie-financiere"], COLLECTIVITES, ["industrie-reconversion"], [HDF], False, "permanente", None, (None, None), "https://www.epf-hdf.fr/", "Acquérir, dépolluer et préparer des fonciers pour de nouveaux projets."),
    ("Équipements sportifs de proximité", ["Agence nationale du sport"], ["subvention"], COLLECTIVITES + ["association"], ["sante-environnement"], [FR], True, "recurrente", -15, (None, 80), "https://www.agencedusport.fr/", "Créer des équipements sportifs en accès libre."),
    ("Hauts-de-France Pass Rénovation", ["Région Hauts-de-France"], ["avance-remboursable", "ingenierie-technique"], ["particulier"], ["renovation-habitat", "energie"], [HDF], False, "permanente", None, (None, None), "https://www.hautsdefrance.fr/", "Un tiers-financement et un accompagnement pour rénover son logement."),
    ("FRATRI – Fonds régional d'amplification de la troisième révolution industrielle", ["Région Hauts-de-France", "ADEME"], ["subvention", "avance-remboursable"], ["entreprise", "commune", "epci", "association"], ["energie", "dechets-economie-circulaire"], [HDF], True, "recurrente", 90, (None, 50), "https://www.hautsdefrance.fr/", "Projets exemplaires de transition énergétique et d'économie circulaire."),
    ("Proch'Emploi", ["Région Hauts-de-France"], ["ingenierie-technique"], ["particulier", "entreprise"], ["emploi-formation"], [HDF], False, "permanente", None, (None, None), "https://www.hautsdefrance.fr/", "Rapprocher les demandeurs d'emploi et les entreprises qui recrutent."),
    ("Soutien régional aux tiers-lieux (exemple)", ["Région Hauts-de-France"], ["subvention"], ["association", "commune", "entreprise"], ["citoyennete-cooperation", "emploi-formation"], [HDF], True, "recurrente", 21, (None, 50), "https://www.hautsdefrance.fr/", "Créer ou développer un tiers-lieu."),
    ("Soutien régional aux circuits courts alimentaires (exemple)", ["Région Hauts-de-France"], ["subvention"], ["agriculteur", "association", "entreprise"], ["alimentation"], [HDF], True, "recurrente", 33, (None, 40), "https://www.hautsdefrance.fr/", "Transformation et vente de proximité."),
    ("Plan régional vélo – Aménagements cyclables (exemple)", ["Région Hauts-de-France"], ["subvention"], COLLECTIVITES, ["mobilite"], [HDF], False, "recurrente", 140, (None, 30), "https://www.hautsdefrance.fr/", "Compléter les itinéraires cyclables du quotidien."),
    ("Fonds départemental pour l'environnement et le cadre de vie (exemple)", ["Département du Pas-de-Calais"], ["subvention"], ["commune", "association"], ["biodiversite-renaturation", "eau"], [PDC], False, "recurrente", 60, (None, 50), "https://www.pasdecalais.fr/", "Plantations, mares, sentiers et sensibilisation."),
    ("Aide départementale aux équipements des communes rurales (exemple)", ["Département du Pas-de-Calais"], ["subvention"], ["commune"], ["energie", "education-culture"], [PDC], False, "recurrente", 42, (20, 40), "https://www.pasdecalais.fr/", "Écoles, salles communales et équipements de proximité."),
    ("Insertion par le logement – Pas-de-Calais (exemple)", ["Département du Pas-de-Calais"], ["subvention"], ["association", "bailleur-social"], ["solidarite-justice-sociale", "renovation-habitat"], [PDC], True, "recurrente", 14, (None, 70), "https://www.pasdecalais.fr/", "Projets d'accès et de maintien dans le logement."),
    ("Nord – Aide aux projets de biodiversité des communes (exemple)", ["Département du Nord"], ["subvention"], ["commune"], ["biodiversite-renaturation"], [NORD], False, "recurrente", 75, (None, 50), "https://lenord.fr/", "Plantations de haies et d'arbres, mares."),
    ("Fondation de France – Transitions écologiques et solidaires (exemple)", ["Fondation de France"], ["subvention"], ["association"], ["solidarite-justice-sociale", "citoyennete-cooperation"], [FR], True, "recurrente", 48, (None, None), "https://www.fondationdefrance.org/", "Initiatives locales qui allient écologie et solidarité."),
    ("Fondation du patrimoine – Patrimoine naturel et biodiversité (exemple)", ["Fondation du patrimoine"], ["subvention", "prix"], ["commune", "association"], ["biodiversite-renaturation", "education-culture"], [FR], True, "recurrente", 100, (None, None), "https://www.fondation-patrimoine.org/", "Restauration du petit patrimoine naturel et bâti."),
    ("CERDD – Accompagnement des démarches territoriales de développement durable (exemple)", ["CERDD"], ["ingenierie-technique"], COLLECTIVITES + ["association"], ["citoyennete-cooperation"], [HDF], False, "permanente", None, (None, None), "https://www.cerdd.org/", "Méthodes, retours d'expériences et mise en réseau."),
]  # fmt: skip

LOCAL = [
    # title, funder, types, beneficiaries, themes, perimeters, call, recurrence, deadline, short
    ("Turbine – Accompagnement en ingénierie des projets de transition (démo)", "Pôle métropolitain de l'Artois", ["ingenierie-technique", "ingenierie-financiere"], ["commune", "association", "entreprise", "particulier"], ["citoyennete-cooperation"], PMA, False, "permanente", None, "Un conseiller de la Turbine aide à monter le projet et son plan de financement."),
    ("Défi commun Artois 2038 – Appel à initiatives citoyennes (démo)", "Pôle métropolitain de l'Artois", ["subvention", "prix"], ["association", "particulier"], ["citoyennete-cooperation", "solidarite-justice-sociale"], PMA, True, "recurrente", 30, "Des prix pour les initiatives d'habitants qui font la transition."),
    ("Budget vert des communes du Pôle – Ingénierie partagée (démo)", "Pôle métropolitain de l'Artois", ["ingenierie-financiere"], ["commune"], ["energie"], PMA, False, "permanente", None, "Un budget vert pour chaque commune, avec une méthode commune."),
    ("Aide à l'achat d'un vélo à assistance électrique (démo)", "CA de Lens - Liévin", ["subvention"], ["particulier"], ["mobilite"], [CALL], False, "permanente", None, "Une aide aux habitants de l'agglomération pour un vélo neuf ou d'occasion."),
    ("Fonds de concours transition écologique des communes (démo)", "CA de Lens - Liévin", ["subvention"], ["commune"], ["energie", "renovation-habitat"], [CALL], True, "recurrente", 26, "Cofinancer les investissements communaux de sobriété énergétique."),
    ("Prime à la rénovation des façades (démo)", "CA de Lens - Liévin", ["subvention"], ["particulier"], ["renovation-habitat"], [CALL], False, "permanente", None, "Ravalement et isolation par l'extérieur en cité minière."),
    ("Composteurs et lombricomposteurs à prix réduit (démo)", "CA de Lens - Liévin", ["subvention"], ["particulier", "association"], ["dechets-economie-circulaire"], [CALL], False, "permanente", None, "Réduire les biodéchets à la maison et en pied d'immeuble."),
    ("Plan climat – Fonds d'initiatives locales (démo)", "CA de Béthune-Bruay, Artois-Lys Romane", ["subvention"], ["association", "commune"], ["energie", "citoyennete-cooperation"], [CABBALR], True, "recurrente", 12, "Soutenir les actions du plan climat portées par les acteurs locaux."),
    ("Aide à l'installation de récupérateurs d'eau de pluie (démo)", "CA de Béthune-Bruay, Artois-Lys Romane", ["subvention"], ["particulier"], ["eau"], [CABBALR], False, "permanente", None, "Une aide forfaitaire par récupérateur installé."),
    ("Plantons des haies dans l'Artois-Lys Romane (démo)", "CA de Béthune-Bruay, Artois-Lys Romane", ["subvention", "ingenierie-technique"], ["agriculteur", "commune", "particulier"], ["biodiversite-renaturation"], [CABBALR], True, "recurrente", 58, "Plants et conseils pour des haies champêtres."),
    ("Aide aux commerces de proximité engagés (démo)", "CA de Béthune-Bruay, Artois-Lys Romane", ["subvention"], ["entreprise"], ["dechets-economie-circulaire", "emploi-formation"], [CABBALR], False, "permanente", None, "Vrac, réemploi, réparation : une aide aux commerçants."),
    ("Appel à projets économie circulaire d'Hénin-Carvin (démo)", "CA d'Hénin-Carvin", ["subvention"], ["entreprise", "association"], ["dechets-economie-circulaire"], [CAHC], True, "ponctuelle", 37, "Réemploi, ressourceries et réparation."),
    ("Aide à la rénovation énergétique des logements d'Hénin-Carvin (démo)", "CA d'Hénin-Carvin", ["subvention"], ["particulier"], ["renovation-habitat"], [CAHC], False, "permanente", None, "Un complément aux aides nationales pour les ménages modestes."),
    ("Mobilité solidaire : location de vélos et de voitures sans permis (démo)", "CA d'Hénin-Carvin", ["subvention"], ["association"], ["mobilite", "solidarite-justice-sociale"], [CAHC], True, "recurrente", 9, "Pour les personnes en insertion sans moyen de transport."),
    ("Béthune – Permis de végétaliser (démo)", "Ville de Béthune", ["ingenierie-technique"], ["particulier", "association"], ["biodiversite-renaturation"], [(Scale.COMMUNE, "62119")], False, "permanente", None, "Planter au pied des murs et des arbres de la ville."),
    ("Béthune – Budget participatif des quartiers (démo)", "Ville de Béthune", ["subvention"], ["particulier", "association"], ["citoyennete-cooperation"], [(Scale.COMMUNE, "62119")], True, "recurrente", 44, "Des projets proposés et votés par les habitants."),
    ("Lens – Aide aux jardins partagés (démo)", "Ville de Lens", ["subvention"], ["association"], ["alimentation", "biodiversite-renaturation"], [(Scale.COMMUNE, "62498")], True, "recurrente", 20, "Créer ou agrandir un jardin partagé."),
    ("Lens – Prime vélo cargo pour les familles (démo)", "Ville de Lens", ["subvention"], ["particulier"], ["mobilite"], [(Scale.COMMUNE, "62498")], False, "permanente", None, "Une prime pour les familles qui remplacent une voiture."),
    ("Liévin – Fonds d'initiatives associatives pour le climat (démo)", "Ville de Liévin", ["subvention"], ["association"], ["energie", "citoyennete-cooperation"], [(Scale.COMMUNE, "62510")], True, "recurrente", 31, "Sensibilisation et actions concrètes des associations."),
    ("Hénin-Beaumont – Cours d'école oasis (démo)", "Ville d'Hénin-Beaumont", ["ingenierie-technique"], ["etablissement-public", "association"], ["biodiversite-renaturation", "education-culture"], [(Scale.COMMUNE, "62427")], False, "ponctuelle", 66, "Accompagner la transformation des cours d'école avec les élèves."),
    ("Bourse aux projets des mines de l'Artois (démo)", "Fondation des mines de l'Artois (démo)", ["subvention", "prix"], ["association"], ["education-culture", "solidarite-justice-sociale"], PMA, True, "recurrente", 52, "Mémoire minière, culture et transition."),
    ("Investissement citoyen dans les toitures solaires (démo)", "Coopérative d'énergie citoyenne de l'Artois (démo)", ["pret", "ingenierie-technique"], ["commune", "association"], ["energie", "citoyennete-cooperation"], PMA, False, "permanente", None, "La coopérative finance et exploite des centrales solaires sur les toits publics."),
    ("Fonds santé-environnement du Bassin minier (démo)", "Mutuelle solidaire du Bassin minier (démo)", ["subvention"], ["association", "commune"], ["sante-environnement"], [PDC], True, "recurrente", 27, "Qualité de l'air intérieur, alimentation et santé."),
    ("Prix de l'entreprise engagée de l'Artois (démo)", "Club des entreprises engagées de l'Artois (démo)", ["prix"], ["entreprise"], ["industrie-reconversion", "emploi-formation"], PMA, True, "ponctuelle", 23, "Récompenser les démarches RSE exemplaires."),
    # Mobility, repair and the themes associations, companies, farmers and public bodies ask
    # about most, so that every kind of holder finds aids in every agglomeration.
    ("Ateliers vélo participatifs et solidaires de Lens-Liévin (démo)", "CA de Lens - Liévin", ["subvention"], ["association"], ["mobilite", "dechets-economie-circulaire", "solidarite-justice-sociale"], [CALL], False, "permanente", None, "Outils, pièces détachées et formation des bénévoles pour réparer les vélos des habitants dans un atelier associatif."),
    ("Mobilités actives et solidaires du Pas-de-Calais (démo)", "Département du Pas-de-Calais", ["subvention"], ["association", "commune"], ["mobilite", "solidarite-justice-sociale"], [PDC], True, "recurrente", 55, "Vélo-écoles, prêt et réparation de vélos, accompagnement à la mobilité des personnes en insertion."),
    ("Fonds réemploi et réparation des Hauts-de-France (démo)", "ADEME", ["subvention", "ingenierie-technique"], ["association", "entreprise", "commune", "epci"], ["dechets-economie-circulaire", "emploi-formation"], [HDF], True, "recurrente", 70, "Repair cafés, ressourceries, ateliers de réparation de vélos et d'objets : équipement, local et animation."),
    ("Lens – Initiatives de réparation et de réemploi (démo)", "Ville de Lens", ["subvention"], ["association", "particulier"], ["dechets-economie-circulaire", "citoyennete-cooperation"], [(Scale.COMMUNE, "62498")], False, "permanente", None, "Repair cafés, gratiferias, ateliers de couture, de bricolage ou de réparation de vélos ouverts aux habitants."),
    ("Plan de mobilité des employeurs de l'Artois (démo)", "Pôle métropolitain de l'Artois", ["ingenierie-technique"], ["entreprise", "etablissement-public", "association"], ["mobilite"], PMA, False, "permanente", None, "Un diagnostic des trajets domicile-travail et un plan d'actions : covoiturage, vélo, télétravail."),
    ("Covoiturage et transport solidaire en milieu rural (démo)", "Région Hauts-de-France", ["subvention"], ["association", "commune", "epci"], ["mobilite", "solidarite-justice-sociale"], [HDF], True, "recurrente", 80, "Transport à la demande solidaire, garage solidaire et covoiturage pour les habitants sans voiture."),
    ("Rénovation et sobriété des locaux associatifs (démo)", "Département du Pas-de-Calais", ["subvention"], ["association"], ["renovation-habitat", "energie"], [PDC], False, "recurrente", 90, "Isolation, chauffage et éclairage économes des salles et locaux des associations."),
    ("Lens-Liévin – Récupérateurs d'eau de pluie et jardins économes (démo)", "CA de Lens - Liévin", ["subvention"], ["particulier", "association"], ["eau", "biodiversite-renaturation"], [CALL], False, "permanente", None, "Une aide par récupérateur d'eau de pluie installé et des conseils pour arroser moins."),
    ("Friches et tiers-lieux du Bassin minier (démo)", "Pôle métropolitain de l'Artois", ["subvention", "ingenierie-technique"], ["association", "commune", "entreprise"], ["industrie-reconversion", "citoyennete-cooperation"], PMA, True, "recurrente", 64, "Occuper et transformer une friche ou un bâtiment vacant en tiers-lieu, atelier partagé ou lieu culturel."),
    ("Éducation à l'environnement et au développement durable (démo)", "Région Hauts-de-France", ["subvention"], ["association", "etablissement-public"], ["education-culture", "biodiversite-renaturation"], [HDF], True, "recurrente", 47, "Animations nature, classes dehors, sorties et outils pédagogiques pour les écoles et les centres de loisirs."),
    ("Santé environnementale : air, alimentation, habitat (démo)", "Agence régionale de santé Hauts-de-France", ["subvention"], ["association", "commune", "etablissement-public"], ["sante-environnement", "alimentation"], [HDF], True, "recurrente", 60, "Qualité de l'air intérieur, ateliers cuisine et santé, prévention des risques du logement."),
    ("Conversion à l'agriculture biologique et haies (démo)", "Région Hauts-de-France", ["subvention"], ["agriculteur"], ["alimentation", "biodiversite-renaturation", "eau"], [HDF], False, "permanente", None, "Accompagner la conversion en bio, planter des haies et protéger les captages d'eau."),
    ("Prêt d'honneur pour les entreprises de l'économie sociale et solidaire (démo)", "Banque des Territoires", ["pret"], ["entreprise", "association"], ["emploi-formation", "solidarite-justice-sociale"], [HDF], False, "permanente", None, "Un prêt sans intérêt pour créer ou développer une entreprise de l'économie sociale et solidaire."),
    ("Énergie citoyenne : études de faisabilité solaire (démo)", "Région Hauts-de-France", ["ingenierie-technique", "subvention"], ["association", "commune", "entreprise", "agriculteur"], ["energie", "citoyennete-cooperation"], [HDF], True, "recurrente", 75, "Financer l'étude d'une centrale solaire citoyenne sur un toit public, agricole ou d'entreprise."),
    ("Rénovation énergétique des commerces et des locaux d'activité (démo)", "CA de Lens - Liévin", ["subvention"], ["entreprise", "association"], ["renovation-habitat", "energie"], [CALL], False, "permanente", None, "Isolation, vitrines, chauffage et éclairage économes des commerces, ateliers et locaux associatifs."),
    ("Santé et activité physique en plein air (démo)", "Département du Pas-de-Calais", ["subvention"], ["association", "commune", "epci", "etablissement-public"], ["sante-environnement", "education-culture"], [PDC], True, "recurrente", 40, "Parcours sportifs, marche et vélo santé, activités en plein air pour tous les âges."),
    ("Reconversion des friches pour l'emploi local (démo)", "Région Hauts-de-France", ["subvention", "avance-remboursable"], ["entreprise", "association", "epci"], ["industrie-reconversion", "emploi-formation"], [HDF], True, "recurrente", 95, "Réinstaller des activités et des emplois sur d'anciens sites industriels."),
    ("Patrimoine minier et reconversion culturelle (démo)", "Fondation des mines de l'Artois (démo)", ["subvention"], ["association", "commune"], ["industrie-reconversion", "education-culture"], PMA, True, "recurrente", 50, "Faire vivre les anciens sites miniers : lieux culturels, mémoire et nouveaux usages."),
    ("Méthanisation et compostage à la ferme (démo)", "ADEME", ["subvention", "ingenierie-technique"], ["agriculteur", "entreprise"], ["energie", "dechets-economie-circulaire"], [HDF], False, "permanente", None, "Valoriser les effluents et les déchets verts en énergie et en compost."),
    ("Vente directe à la ferme et magasins de producteurs (démo)", "Département du Pas-de-Calais", ["subvention"], ["agriculteur"], ["alimentation"], [PDC], True, "recurrente", 65, "Équiper un point de vente à la ferme ou un magasin collectif de producteurs."),
    ("Cantines scolaires bio et locales (démo)", "Département du Pas-de-Calais", ["subvention"], ["commune", "etablissement-public"], ["alimentation", "education-culture"], [PDC], False, "recurrente", 85, "Approvisionner les cantines en produits bio et locaux, lutter contre le gaspillage."),
    ("Îlots de fraîcheur des écoles et des établissements de santé (démo)", "Agence de l'eau Artois-Picardie", ["subvention"], ["etablissement-public", "commune", "association"], ["eau", "biodiversite-renaturation", "sante-environnement"], BASSIN, True, "recurrente", 100, "Désimperméabiliser et végétaliser les cours et les jardins pour rafraîchir."),
    ("Lens – Qualité de l'air dans les écoles et les crèches (démo)", "Ville de Lens", ["ingenierie-technique"], ["etablissement-public", "association"], ["sante-environnement", "education-culture"], [(Scale.COMMUNE, "62498")], False, "permanente", None, "Mesurer l'air intérieur, former les équipes et choisir des produits d'entretien sains."),
    ("Mécénat de la brasserie coopérative pour les fêtes de quartier zéro déchet (démo)", "Brasserie coopérative de Lens (démo)", ["subvention"], ["association"], ["dechets-economie-circulaire", "citoyennete-cooperation"], [(Scale.COMMUNE, "62498")], False, "recurrente", 15, "Gobelets réutilisables, tri et compostage."),
]  # fmt: skip

LOCAL_AMOUNTS = [5_000, 15_000, 30_000, 10_000, 50_000]
# Invented local aids repeated over communes of the three agglomerations, to show commune-level
# perimeters (title, funder, types, beneficiaries, themes, short).
COMMUNE_AIDS = [
    (
        "Aide communale à la plantation d'arbres fruitiers",
        ["subvention"],
        ["particulier"],
        ["biodiversite-renaturation", "alimentation"],
        "Un arbre fruitier offert par foyer.",
    ),
    (
        "Chèque rénovation énergétique communal",
        ["subvention"],
        ["particulier"],
        ["renovation-habitat", "energie"],
        "Un complément communal aux aides de l'Anah.",
    ),
    (
        "Soutien aux associations environnementales",
        ["subvention"],
        ["association"],
        ["citoyennete-cooperation", "biodiversite-renaturation"],
        "Fonctionnement et projets des associations locales.",
    ),
]
COMMUNE_CODES = [
    ("62119", "Béthune"), ("62498", "Lens"), ("62510", "Liévin"), ("62427", "Hénin-Beaumont"),
    ("62133", "Billy-Montigny"), ("62178", "Bruay-la-Buissière"), ("62215", "Carvin"),
    ("62065", "Avion"), ("62413", "Harnes"), ("62570", "Méricourt"),
    ("62637", "Oignies"), ("62250", "Courrières"),
]  # fmt: skip


def _perimeter_ids(perimeters: list[tuple[str, str]]) -> list[int]:
    wanted = {(scale, code) for scale, code in perimeters}
    rows = Perimeter.objects.filter(
        scale__in={s for s, _ in wanted}, code__in={c for _, c in wanted}
    ).values_list("scale", "code", "id")
    return [pk for scale, code, pk in rows if (scale, code) in wanted]


def _deadline(days: int | None) -> datetime.date | None:
    return None if days is None else timezone.localdate() + datetime.timedelta(days=days)


def load_catalogue() -> str:
    perimeters_ensure_loaded()
    funders = {}
    for name, level, website, is_demo in FUNDERS:
        funders[name], _ = Funder.objects.get_or_create(
            name=name, defaults={"level": level, "website": website, "is_demo": is_demo}
        )
    created = 0
    for index, row in enumerate(AIDS):
        title, names, types, beneficiaries, themes, perims, call, recurrence, days, rates = row[:10]
        origin, short = row[10], row[11]
        deadline = _deadline(days)
        aid_create(
            actor=None,
            values={
                "title": title,
                "short_description": short,
                "description": f"{short}\n\n*{EXAMPLE}*",
                "funders": [funders[n].pk for n in names],
                "types": types,
                "beneficiaries": beneficiaries,
                "themes": themes,
                "perimeters": _perimeter_ids(perims),
                "is_call_for_projects": call,
                "recurrence": recurrence,
                "deadline": deadline,
                "start_date": (deadline - datetime.timedelta(days=120))
                if deadline and index % 3 == 0
                else None,
                "subsidy_rate_min": rates[0],
                "subsidy_rate_max": rates[1],
                "amount_comment": EXAMPLE,
                "origin_url": origin,
                "stages": ["realisation"] if "subvention" in types else ["reflexion"],
                "expense_types": ["investissement"] if "subvention" in types else [],
            },
            status=AidStatus.PUBLISHED,
            is_demo=True,
        )
        created += 1
    for index, row in enumerate(LOCAL):
        title, name, types, beneficiaries, themes, perims, call, recurrence, days, short = row
        aid_create(
            actor=None,
            values={
                "title": title,
                "short_description": short,
                "description": f"{short}\n\n*Aide inventée pour la démonstration.*",
                "funders": [funders[name].pk],
                "types": types,
                "beneficiaries": beneficiaries,
                "themes": themes,
                "perimeters": _perimeter_ids(perims),
                "is_call_for_projects": call,
                "recurrence": recurrence,
                "deadline": _deadline(days),
                "amount_min": 500 if "subvention" in types else None,
                "amount_max": LOCAL_AMOUNTS[index % len(LOCAL_AMOUNTS)]
                if "subvention" in types
                else None,
                "amount_comment": EXAMPLE,
                "contact": f"{name} – service des aides (démonstration) : aides@example.org",
                "stages": ["reflexion"] if "ingenierie-technique" in types else ["realisation"],
            },
            status=AidStatus.PUBLISHED,
            is_demo=True,
        )
        created += 1
    for index, (code, commune) in enumerate(COMMUNE_CODES):
        for offset, (title, types, beneficiaries, themes, short) in enumerate(COMMUNE_AIDS):
            aid_create(
                actor=None,
                values={
                    "title": f"{commune} – {title} (démo)",
                    "short_description": short,
                    "description": f"{short}\n\n*Aide inventée pour la démonstration.*",
                    "types": types,
                    "beneficiaries": beneficiaries,
                    "themes": themes,
                    "perimeters": _perimeter_ids([(Scale.COMMUNE, code)]),
                    "recurrence": "recurrente",
                    "deadline": _deadline(20 + 17 * ((index + offset) % 9)),
                    "amount_max": 300 + 100 * (index % 5),
                    "amount_comment": EXAMPLE,
                },
                status=AidStatus.PUBLISHED,
                is_demo=True,
            )
            created += 1
    drafts = [
        "Appel à projets sobriété foncière (brouillon, démo)",
        "Aide aux réseaux de froid urbains (brouillon, démo)",
    ]
    for title in drafts:
        aid_create(actor=None, values={"title": title}, status=AidStatus.DRAFT, is_demo=True)
        created += 1
    _notes()
    _partner_searches()
    return f"{len(funders)} financeurs, {created} aides (dates et montants d'exemple)"


def _notes() -> None:
    author = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    notes = [
        ("Fonds vert – Renaturation des villes et des villages", NoteVisibility.PUBLIC,
         "Pour le Pôle : cumulable avec l'aide de l'Agence de l'eau à la désimperméabilisation. "
         "La Turbine aide à monter le dossier (démo)."),
        ("Fonds vert – Renaturation des villes et des villages", NoteVisibility.STAFF,
         "Interlocutrice à la DDTM : service Aménagement durable. Dossiers complets avant "
         "mi-échéance (démo)."),
        ("Fonds Chaleur – Production de chaleur renouvelable", NoteVisibility.PUBLIC,
         "Trois chaufferies bois déjà financées sur le territoire : demandez le retour "
         "d'expérience à la Turbine (démo)."),
    ]  # fmt: skip
    for title, visibility, text in notes:
        aid = Aid.objects.filter(title=title).first()
        if aid:
            LocalNote.objects.create(aid=aid, author=author, text=text, visibility=visibility)


demo.register("financements", load_catalogue)


def _partner_searches() -> None:
    chloe = User.objects.filter(email="chloe.demo@turbine.localhost").first()
    call = Aid.objects.filter(title="Soutien régional aux tiers-lieux (exemple)").first()
    if chloe and call:
        PartnerSearch.objects.create(
            aid=call,
            author=chloe,
            organisation="Jardin partagé de la friche (démo)",
            looking_for="Une commune qui mette un local à disposition et une association "
            "d'insertion pour l'animation du lieu.",
        )


def _demo_project_fundings() -> int:
    """Each demo project's funding obtained: 30 % of its budget from the Région, 20 % of its
    own funds (the rows of projects that have some already are left as they are)."""
    rows = []
    for project in Project.objects.filter(is_demo=True, fundings__isnull=True).order_by("id"):
        budget = project.budget_total or Decimal(0)
        rows += [
            ProjectFunding(
                project=project,
                source="Région Hauts-de-France",
                kind=FundingKind.PUBLIC,
                amount=budget * Decimal("0.3"),
            ),
            ProjectFunding(
                project=project,
                source="Fonds propres",
                kind=FundingKind.OWN,
                amount=budget * Decimal("0.2"),
            ),
        ]
    ProjectFunding.objects.bulk_create(rows)
    return len(rows)


def link_demo_projects() -> str:
    """The demo projects' funding rows; some public demo projects obtained real demo aids: their
    public funding row names an aid of the catalogue (sharing a theme with the project), so the
    aid's page lists them."""
    created = _demo_project_fundings()
    aids = list(
        Aid.objects.filter(is_demo=True, status=AidStatus.PUBLISHED)
        .exclude(perimeters__scale=Scale.COMMUNE)
        .filter(types__contains=" subvention ")
        # Demo projects are held by organisations: aids for individuals only do not fit.
        .filter(
            Q(beneficiaries__contains=" association ")
            | Q(beneficiaries__contains=" commune ")
            | Q(beneficiaries__contains=" entreprise ")
        )
        .prefetch_related("themes", "funders")
        .distinct()
        .order_by("id")
    )
    projects = list(
        Project.objects.filter(is_demo=True, visibility=Visibility.PUBLIC, is_hidden=False)
        .prefetch_related("themes", "fundings")
        .order_by("id")[:120]
    )
    if not aids or not projects:
        return f"{created} financements de projets ; aucune aide de démonstration à relier"
    by_theme: dict[int, list[Aid]] = {}
    for aid in aids:
        for theme in aid.themes.all():
            by_theme.setdefault(theme.pk, []).append(aid)
    changed = []
    for index, project in enumerate(projects):
        if index % 2:
            continue
        candidates = [a for t in project.themes.all() for a in by_theme.get(t.pk, [])]
        row = next((f for f in project.fundings.all() if f.kind == FundingKind.PUBLIC), None)
        if not candidates or row is None:
            continue
        aid = candidates[(index // 2) % len(candidates)]
        row.aid = aid
        row.source = (", ".join(f.name for f in aid.funders.all()) or aid.title)[:200]
        changed.append(row)
    ProjectFunding.objects.bulk_update(changed, ["aid", "source"])
    return f"{created} financements de projets, dont {len(changed)} par une aide du catalogue"


demo.register("financements-projets", link_demo_projects)


# --- A funder who manages its own aids, and projects' applications ----------------------------

DEMO_FUNDER = "Fondation des jardins du bassin minier (démo)"
DEMO_FUNDER_MEMBER = "farid.demo@turbine.localhost"


def load_managed_aids() -> str:
    """Farid (the demo funder account) is a member of a demo foundation of the directory; he
    wrote its aids on its management pages (one published, one closed, the next session in
    draft: the audit log shows it), and demo projects declare applications to them and to
    other demo aids."""
    farid = User.objects.filter(email=DEMO_FUNDER_MEMBER).first()
    if farid is None:
        return "pas de compte financeur de démonstration : rien à gérer"
    organisation, _ = Organisation.objects.get_or_create(
        name=DEMO_FUNDER,
        defaults={
            "kind": OrganisationKind.OTHER,
            "family": Family.HELPERS,
            "description": "Fondation fictive qui aide les jardins nourriciers et les vergers "
            "partagés des communes de l'ancien bassin minier.",
            "commune": Commune.objects.filter(code="62498").first(),
            "is_demo": True,
        },
    )
    Membership.objects.get_or_create(
        organisation=organisation,
        user=farid,
        defaults={"role": MemberRole.ADMIN, "status": MembershipStatus.ACTIVE},
    )
    funder, _ = Funder.objects.get_or_create(
        name=DEMO_FUNDER,
        defaults={
            "level": FunderLevel.FOUNDATION,
            "description": "Fondation fictive (démonstration).",
            "is_demo": True,
            "organisation": organisation,
        },
    )
    today = timezone.localdate()
    agglomerations = [("epci", siren) for siren in ("246200364", "200072460", "246200299")]
    base = {
        "types": ["subvention"],
        "beneficiaries": ["association", "commune"],
        "themes": ["alimentation", "biodiversite-renaturation"],
        "perimeters": _perimeter_ids(agglomerations),
        "recurrence": Recurrence.RECURRING,
        "subsidy_rate_max": 70,
        "amount_max": 15_000,
        "contact": "jardins@fondation-bassin-minier.example (démo)",
        "eligibility": EXAMPLE,
    }
    gardens = management.managed_aid_create(
        actor=farid,
        funder_id=funder.pk,
        values={
            **base,
            "title": "Jardins nourriciers du bassin minier 2027 (démo)",
            "short_description": "Créer ou agrandir un jardin partagé nourricier dans une "
            "cité minière : outils, clôtures, récupération d'eau, animation.",
            "deadline": today + datetime.timedelta(days=75),
        },
        publish=True,
    )
    orchards = management.managed_aid_create(
        actor=farid,
        funder_id=funder.pk,
        values={
            **base,
            "title": "Vergers partagés 2026 (démo)",
            "short_description": "Planter un verger partagé de variétés locales sur un "
            "terrain communal ou associatif.",
            "deadline": today + datetime.timedelta(days=20),
        },
        publish=True,
    )
    management.managed_aid_update(actor=farid, aid_id=orchards.pk, values={"subsidy_rate_max": 60})
    management.managed_aid_close(actor=farid, aid_id=orchards.pk)
    management.managed_aid_duplicate(actor=farid, aid_id=orchards.pk)
    Aid.objects.filter(funders=funder).update(is_demo=True)
    management.managed_note_create(
        actor=farid,
        aid_id=gardens.pk,
        text="Le CERDD et les jardins d'insertion du territoire aident à monter le dossier ; "
        "un dépôt commun de plusieurs associations d'une même cité est bienvenu.",
    )
    count = _demo_applications(gardens=gardens)
    return f"1 financeur géré par Farid, 3 aides écrites par lui, {count} candidatures de projets"


def _demo_applications(*, gardens: Aid) -> int:
    """Applications of public demo projects: to the foundation's gardens aid for food projects,
    and to other demo aids sharing a theme with the project."""
    projects = list(
        Project.objects.filter(is_demo=True, visibility=Visibility.PUBLIC, is_hidden=False)
        .prefetch_related("themes")
        .order_by("id")[:60]
    )
    others = list(
        Aid.objects.filter(is_demo=True, status=AidStatus.PUBLISHED)
        .exclude(pk=gardens.pk)
        .prefetch_related("themes")
        .order_by("id")[:80]
    )
    today = timezone.localdate()
    statuses = [ApplicationStatus.APPLIED, ApplicationStatus.OBTAINED, ApplicationStatus.REFUSED]
    rows = []
    for index, project in enumerate(projects):
        themes = {t.slug for t in project.themes.all()}
        if index % 3 == 0 and "alimentation" in themes:
            aid = gardens
        else:
            aid = next(
                (a for a in others[index % 7 :] if themes & {t.slug for t in a.themes.all()}),
                None,
            )
        if aid is None or index % 2:
            continue
        status = statuses[index % 3]
        asked = Decimal(5_000 + 1_000 * (index % 9))
        applied_on = today - datetime.timedelta(days=30 + index)
        rows.append(
            ProjectApplication(
                project=project,
                aid=aid,
                status=status,
                amount_asked=asked,
                amount_obtained=asked * Decimal("0.7")
                if status == ApplicationStatus.OBTAINED
                else None,
                applied_on=applied_on,
                decided_on=None
                if status == ApplicationStatus.APPLIED
                else applied_on + datetime.timedelta(days=21),
                is_demo=True,
            )
        )
    ProjectApplication.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


demo.register("financeur-gestion", load_managed_aids)
