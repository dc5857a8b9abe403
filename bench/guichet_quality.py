"""Quality of the guichet's aid matching, measured on the demonstration catalogue.

Run from the repository root::

    .venv/bin/python bench/guichet_quality.py            # figures and the table per project
    .venv/bin/python bench/guichet_quality.py --verbose  # also the first five aids of each

A throwaway SQLite database (``var/bench/guichet_quality.sqlite3``) is migrated and loaded
with the demo catalogue (``seed_demo``'s "financements" set). Then 35 realistic projects of the
territory — associations, communes, an intercommunality, companies, residents, citizen
collectives, farmers and a public body, on every theme — are matched as the guichet does
(``matching.match_aids``: title and description, themes, help asked, stage, budget). Each
project lists the aids an advisor of the Turbine would expect from that catalogue, written from
the aids' titles and conditions, not from the matcher's answers.

Figures:
- precision at 5: expected aids among the first five shown, divided by five (the best
  possible is below 1 when fewer than five aids are expected; it is given beside);
- hit rate at 5: share of projects with at least one expected aid in the first five;
- the share of projects told that nothing fits well (closest aids shown instead).

Every expected aid must exist and be one the project is eligible for (published, open, its
beneficiary type, a perimeter holding its commune): the script stops otherwise, so the set
cannot silently drift from the catalogue.

Importable: ``run() -> str`` returns the Markdown report.
"""

from __future__ import annotations

import io
import os
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402
from django.conf import settings  # noqa: E402

DB_PATH = Path(settings.BENCH_DIR) / "guichet_quality.sqlite3"
settings.DATABASES["default"]["NAME"] = str(DB_PATH)
django.setup()

from django.core.management import call_command  # noqa: E402

from turbine.core import demo  # noqa: E402
from turbine.core.models import Theme  # noqa: E402
from turbine.funding import selectors as funding_selectors  # noqa: E402
from turbine.funding.models import Aid  # noqa: E402
from turbine.guichet import matching  # noqa: E402
from turbine.guichet.models import HOLDER_BENEFICIARY  # noqa: E402
from turbine.territory.models import Commune  # noqa: E402

LENS, LIEVIN, BETHUNE, HENIN = "62498", "62510", "62119", "62427"
BRUAY, CARVIN, AVION, HARNES = "62178", "62215", "62065", "62413"
MERICOURT, OIGNIES, COURRIERES, BILLY = "62570", "62637", "62250", "62133"


@dataclass
class Case:
    holder: str  # guichet holder type
    commune: str
    title: str
    description: str
    themes: list[str]
    expected: list[str]  # aid titles an advisor would expect
    stage: str = "conception"
    budget: int | None = None
    needs: list[str] = field(default_factory=lambda: ["financement"])


CASES = [
    Case("association", LENS, "Atelier vélo solidaire du quartier",
         "Un atelier de réparation de vélos où les habitants apprennent à réparer leur vélo avec "
         "des bénévoles, et des vélos d'occasion remis en état pour les personnes sans voiture.",
         ["mobilite", "dechets-economie-circulaire", "solidarite-justice-sociale"],
         ["Ateliers vélo participatifs et solidaires de Lens-Liévin (démo)",
          "Mobilités actives et solidaires du Pas-de-Calais (démo)",
          "Fonds réemploi et réparation des Hauts-de-France (démo)",
          "Lens – Initiatives de réparation et de réemploi (démo)"], budget=15_000),
    Case("association", LENS, "Vélo-école pour les adultes",
         "Apprendre à faire du vélo en ville aux adultes qui n'ont jamais appris, pour aller au "
         "travail ou en formation.", ["mobilite"],
         ["Mobilités actives et solidaires du Pas-de-Calais (démo)",
          "Ateliers vélo participatifs et solidaires de Lens-Liévin (démo)"], budget=8_000),
    Case("commune", BETHUNE, "Rénovation énergétique de l'école Jules-Ferry",
         "Isolation des murs et de la toiture, remplacement de la chaudière au fioul de l'école.",
         ["energie", "renovation-habitat"],
         ["Fonds vert – Rénovation énergétique des bâtiments publics locaux",
          "FEDER Hauts-de-France – Efficacité énergétique des bâtiments publics",
          "Dotation de soutien à l'investissement local (DSIL) – Pas-de-Calais",
          "EduRénov – Rénovation des écoles",
          "Programme CEE ACTEE – Rénovation énergétique des bâtiments des collectivités",
          "Prêt GPI-AmbRE"], budget=450_000, stage="financement"),
    Case("commune", LIEVIN, "Cour d'école oasis",
         "Désimperméabiliser la cour de l'école, planter des arbres et créer un îlot de "
         "fraîcheur avec les élèves.",
         ["biodiversite-renaturation", "eau", "education-culture"],
         ["Fonds vert – Renaturation des villes et des villages",
          "Gestion durable des eaux pluviales et désimperméabilisation",
          "Îlots de fraîcheur des écoles et des établissements de santé (démo)"], budget=120_000),
    Case("commune", HENIN, "Piste cyclable entre la gare et le collège",
         "Aménagement cyclable sécurisé pour relier la gare, le centre-ville et le collège.",
         ["mobilite"],
         ["Fonds mobilités actives – Aménagements cyclables",
          "Plan régional vélo – Aménagements cyclables (exemple)",
          "FEDER Hauts-de-France – Mobilité urbaine durable",
          "Dotation de soutien à l'investissement local (DSIL) – Pas-de-Calais",
          "Prêt Mobi Prêt"], budget=800_000, stage="financement"),
    Case("commune", CARVIN, "Tri à la source des biodéchets",
         "Installer des composteurs collectifs dans les quartiers et collecter les biodéchets "
         "des cantines.", ["dechets-economie-circulaire"],
         ["Fonds vert – Tri à la source et valorisation des biodéchets",
          "Fonds Économie circulaire de l'ADEME"], budget=60_000),
    Case("entreprise", LENS, "Décarboner notre atelier de métallerie",
         "Un bilan carbone, puis remplacer les fours au gaz et réduire la consommation "
         "d'énergie de la PME.", ["energie", "industrie-reconversion"],
         ["Tremplin pour la transition écologique des PME", "Diagnostic Décarbon'Action",
          "Prêt vert Bpifrance",
          "FRATRI – Fonds régional d'amplification de la troisième révolution industrielle"],
         budget=250_000, needs=["financement", "ingenierie"]),
    Case("entreprise", BETHUNE, "Épicerie vrac et réemploi des contenants",
         "Ouvrir une épicerie en vrac avec consigne des bocaux et réparation de petit "
         "électroménager.", ["dechets-economie-circulaire", "emploi-formation"],
         ["Aide aux commerces de proximité engagés (démo)",
          "Fonds réemploi et réparation des Hauts-de-France (démo)",
          "Fonds Économie circulaire de l'ADEME",
          "Tremplin pour la transition écologique des PME"], budget=40_000),
    Case("habitant", LENS, "Rénover ma maison de cité minière",
         "Isoler les murs par l'extérieur, changer les fenêtres et la chaudière.",
         ["renovation-habitat", "energie"],
         ["MaPrimeRénov'", "Hauts-de-France Pass Rénovation",
          "Prime à la rénovation des façades (démo)",
          "Lens – Chèque rénovation énergétique communal (démo)", "Mon Accompagnateur Rénov'"],
         budget=35_000, stage="financement"),
    Case("habitant", LIEVIN, "Acheter un vélo électrique pour aller travailler",
         "Remplacer la voiture par un vélo à assistance électrique pour les trajets quotidiens.",
         ["mobilite"], ["Aide à l'achat d'un vélo à assistance électrique (démo)"],
         budget=2_000, stage="realisation"),
    Case("collectif", AVION, "Jardin partagé de la résidence",
         "Un potager et un verger cultivés par les habitants au pied des immeubles.",
         ["alimentation", "biodiversite-renaturation"],
         ["Avion – Soutien aux associations environnementales (démo)",
          "Fonds départemental pour l'environnement et le cadre de vie (exemple)"],
         budget=5_000, stage="idee"),
    Case("association", LENS, "Jardin partagé de la cité 12",
         "Créer un jardin partagé et nourricier avec les habitants et l'école voisine.",
         ["alimentation", "biodiversite-renaturation"],
         ["Lens – Aide aux jardins partagés (démo)",
          "Fonds départemental pour l'environnement et le cadre de vie (exemple)",
          "Lens – Soutien aux associations environnementales (démo)"], budget=9_000),
    Case("agriculteur", OIGNIES, "Magasin de producteurs à la ferme",
         "Aménager un point de vente directe à la ferme avec d'autres producteurs.",
         ["alimentation"],
         ["Vente directe à la ferme et magasins de producteurs (démo)",
          "Soutien régional aux circuits courts alimentaires (exemple)",
          "LEADER – Développement rural des Hauts-de-France"], budget=70_000),
    Case("agriculteur", CARVIN, "Passer en bio et planter des haies",
         "Conversion de l'exploitation à l'agriculture biologique et plantation de haies "
         "champêtres.", ["alimentation", "biodiversite-renaturation"],
         ["Conversion à l'agriculture biologique et haies (démo)",
          "LEADER – Développement rural des Hauts-de-France"], budget=50_000),
    Case("association", HENIN, "Location solidaire de vélos pour l'insertion",
         "Prêter des vélos et des voitures sans permis aux personnes en insertion qui n'ont pas "
         "de moyen de transport pour aller travailler.",
         ["mobilite", "solidarite-justice-sociale"],
         ["Mobilité solidaire : location de vélos et de voitures sans permis (démo)",
          "Mobilités actives et solidaires du Pas-de-Calais (démo)",
          "Covoiturage et transport solidaire en milieu rural (démo)"], budget=30_000),
    Case("association", LIEVIN, "Ateliers climat pour les familles",
         "Sensibiliser les familles aux économies d'énergie avec des ateliers et des défis.",
         ["energie", "citoyennete-cooperation"],
         ["Liévin – Fonds d'initiatives associatives pour le climat (démo)",
          "Défi commun Artois 2038 – Appel à initiatives citoyennes (démo)"], budget=6_000),
    Case("association", BETHUNE, "Ressourcerie et chantier d'insertion",
         "Collecter, réparer et revendre des meubles et des objets, avec des salariés en "
         "insertion.", ["dechets-economie-circulaire", "emploi-formation"],
         ["Fonds réemploi et réparation des Hauts-de-France (démo)",
          "Fonds Économie circulaire de l'ADEME",
          "FSE+ – Insertion par l'activité économique",
          "FRATRI – Fonds régional d'amplification de la troisième révolution industrielle"],
         budget=90_000),
    Case("association", HENIN, "Repair café mensuel",
         "Un repair café chaque mois à la médiathèque pour réparer objets et vêtements.",
         ["dechets-economie-circulaire"],
         ["Appel à projets économie circulaire d'Hénin-Carvin (démo)",
          "Fonds réemploi et réparation des Hauts-de-France (démo)",
          "Fonds Économie circulaire de l'ADEME"], budget=3_000, stage="idee"),
    Case("commune", HARNES, "Atlas de la biodiversité de la commune",
         "Inventorier la faune et la flore avec les habitants et les écoles.",
         ["biodiversite-renaturation", "citoyennete-cooperation"],
         ["Atlas de la biodiversité communale", "Territoires engagés pour la nature"],
         budget=40_000, needs=["financement", "ingenierie"]),
    Case("epci", LENS, "Réseau de chaleur biomasse de l'agglomération",
         "Créer un réseau de chaleur alimenté par une chaufferie bois pour 2 000 logements.",
         ["energie"],
         ["Fonds Chaleur – Réseaux de chaleur et de froid",
          "Fonds Chaleur – Production de chaleur renouvelable"], budget=6_000_000),
    Case("commune", COURRIERES, "Reconvertir la friche de l'ancienne usine",
         "Dépolluer et requalifier une friche industrielle pour de nouveaux logements et "
         "activités.", ["industrie-reconversion"],
         ["Fonds vert – Recyclage des friches",
          "Portage foncier et requalification des friches",
          "Friches et tiers-lieux du Bassin minier (démo)"], budget=2_000_000),
    Case("association", MERICOURT, "Un tiers-lieu dans l'ancienne salle des mineurs",
         "Transformer un bâtiment vacant en tiers-lieu avec atelier partagé, café associatif et "
         "accompagnement vers l'emploi.",
         ["industrie-reconversion", "citoyennete-cooperation", "emploi-formation"],
         ["Friches et tiers-lieux du Bassin minier (démo)",
          "Soutien régional aux tiers-lieux (exemple)",
          "Patrimoine minier et reconversion culturelle (démo)"], budget=150_000),
    Case("entreprise", LIEVIN, "Chaudière biomasse pour la blanchisserie",
         "Remplacer la chaudière au gaz par une chaudière bois pour produire la chaleur.",
         ["energie"],
         ["Fonds Chaleur – Production de chaleur renouvelable",
          "Tremplin pour la transition écologique des PME", "Prêt vert Bpifrance"],
         budget=300_000),
    Case("association", LENS, "Épicerie solidaire de quartier",
         "Une épicerie solidaire qui vend des produits locaux à petit prix aux familles "
         "modestes.", ["alimentation", "solidarite-justice-sociale"],
         ["Fondation de France – Transitions écologiques et solidaires (exemple)",
          "Soutien régional aux circuits courts alimentaires (exemple)"], budget=25_000),
    Case("association", BILLY, "Classes dehors et sorties nature",
         "Des animations nature pour les écoles et les centres de loisirs de la commune.",
         ["education-culture", "biodiversite-renaturation"],
         ["Éducation à l'environnement et au développement durable (démo)",
          "Billy-Montigny – Soutien aux associations environnementales (démo)"], budget=7_000),
    Case("commune", LENS, "Cantine bio et locale",
         "Servir des repas bio et locaux dans les cantines scolaires et réduire le gaspillage.",
         ["alimentation", "education-culture"],
         ["Cantines scolaires bio et locales (démo)", "Projets alimentaires territoriaux"],
         budget=80_000),
    Case("association", BRUAY, "Ateliers santé : air intérieur et cuisine",
         "Des ateliers pour un air intérieur sain et une cuisine équilibrée dans les quartiers.",
         ["sante-environnement", "alimentation"],
         ["Santé environnementale : air, alimentation, habitat (démo)",
          "Fonds santé-environnement du Bassin minier (démo)"], budget=12_000),
    Case("commune", OIGNIES, "Panneaux solaires citoyens sur l'école",
         "Une centrale solaire sur le toit de l'école financée par les habitants.",
         ["energie", "citoyennete-cooperation"],
         ["Investissement citoyen dans les toitures solaires (démo)",
          "Énergie citoyenne : études de faisabilité solaire (démo)"], budget=90_000,
         needs=["financement", "ingenierie"]),
    Case("entreprise", HENIN, "Plan de mobilité de nos salariés",
         "Aider nos 80 salariés à venir travailler en covoiturage, à vélo ou en transport en "
         "commun.", ["mobilite"], ["Plan de mobilité des employeurs de l'Artois (démo)"],
         needs=["ingenierie"]),
    Case("association", BETHUNE, "Végétaliser les rues du quartier",
         "Planter des fleurs et des plantes grimpantes au pied des façades avec les habitants.",
         ["biodiversite-renaturation"],
         ["Béthune – Permis de végétaliser (démo)",
          "Béthune – Soutien aux associations environnementales (démo)",
          "Fonds départemental pour l'environnement et le cadre de vie (exemple)"],
         budget=2_000, needs=["financement", "demarches"]),
    Case("entreprise", LENS, "Entreprise d'insertion de l'économie sociale et solidaire",
         "Créer une entreprise d'insertion qui emploie des personnes éloignées de l'emploi.",
         ["emploi-formation", "solidarite-justice-sociale"],
         ["Prêt d'honneur pour les entreprises de l'économie sociale et solidaire (démo)",
          "FSE+ – Insertion par l'activité économique"], budget=60_000),
    Case("association", LENS, "Isoler notre local associatif",
         "Isolation et nouveau chauffage pour la salle de l'association, trop chère à chauffer.",
         ["renovation-habitat", "energie"],
         ["Rénovation et sobriété des locaux associatifs (démo)",
          "Rénovation énergétique des commerces et des locaux d'activité (démo)"],
         budget=20_000),
    Case("commune", AVION, "Se protéger des inondations",
         "Des noues et des bassins pour infiltrer l'eau de pluie et protéger les quartiers des "
         "inondations.", ["eau"],
         # « Fonds vert – Prévention des inondations » is not open yet in the demo catalogue.
         ["Gestion durable des eaux pluviales et désimperméabilisation"], budget=500_000),
    Case("habitant", BETHUNE, "Récupérer l'eau de pluie du jardin",
         "Installer un récupérateur d'eau de pluie pour arroser le potager.", ["eau"],
         ["Aide à l'installation de récupérateurs d'eau de pluie (démo)"], budget=300,
         stage="realisation"),
    Case("etablissement-public", LENS, "Le collège respire : cour végétalisée et air sain",
         "Végétaliser la cour du collège et améliorer la qualité de l'air dans les classes.",
         ["biodiversite-renaturation", "sante-environnement", "education-culture"],
         ["Îlots de fraîcheur des écoles et des établissements de santé (démo)",
          "Lens – Qualité de l'air dans les écoles et les crèches (démo)",
          "Éducation à l'environnement et au développement durable (démo)"], budget=100_000),
]  # fmt: skip


def _setup() -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_territory", verbosity=0, stdout=io.StringIO())
    summary = dict(demo.seed(only=["financements"]))["financements"]
    return f"{summary}, chargé en {time.perf_counter() - started:.0f} s"


def _query(case: Case) -> matching.MatchQuery:
    commune = Commune.objects.select_related("agglomeration").get(code=case.commune)
    return matching.MatchQuery(
        title=case.title,
        description=case.description,
        commune=commune,
        beneficiary=HOLDER_BENEFICIARY[case.holder],
        themes=list(Theme.objects.filter(slug__in=case.themes)),
        stage=case.stage,
        budget=Decimal(case.budget) if case.budget is not None else None,
        needs=case.needs,
        holder_type=case.holder,
    )


def _check(case: Case, query: matching.MatchQuery) -> list[int]:
    """The expected aids' ids; stops on a title unknown or not eligible for the project."""
    ids = dict(Aid.objects.filter(title__in=case.expected).values_list("title", "pk"))
    unknown = [t for t in case.expected if t not in ids]
    if unknown:
        raise SystemExit(f"« {case.title} » : aides attendues inconnues : {unknown}")
    eligible = funding_selectors.filtered_aids(
        funding_selectors.AidFilters(commune=case.commune, beneficiary=query.beneficiary, open=True)
    )
    open_ids = set(eligible.filter(pk__in=ids.values()).values_list("pk", flat=True))
    closed = [t for t in case.expected if ids[t] not in open_ids]
    if closed:
        raise SystemExit(f"« {case.title} » : aides attendues non éligibles : {closed}")
    return list(ids.values())


def run(*, verbose: bool = False) -> str:
    setup = _setup()
    rows, details = [], []
    precision = best = hits = closest = 0.0
    seconds = []
    for case in CASES:
        query = _query(case)
        expected = set(_check(case, query))
        started = time.perf_counter()
        items = matching.match_aids(query, limit=5)[:5]
        seconds.append(time.perf_counter() - started)
        found = [i for i in items if i.id in expected]
        precision += len(found) / 5
        best += min(len(expected), 5) / 5
        hits += 1 if found else 0
        is_closest = bool(items) and all(i.extra.get("closest") for i in items)
        closest += 1 if is_closest else 0
        themes = ", ".join(case.themes)
        rows.append(
            f"| {case.title} | {case.holder} | {themes} | {len(found)}/{min(len(expected), 5)} "
            f"| {'oui' if found else '**non**'} |"
        )
        if verbose:
            details.append(f"\n### {case.title} ({case.holder}, {case.commune})\n")
            for rank, item in enumerate(items, 1):
                mark = "✔" if item.id in expected else " "
                details.append(f"{rank}. {mark} {item.title} — {' '.join(item.reasons[:2])}")
            missing = expected - {i.id for i in items}
            if missing:
                titles = Aid.objects.filter(pk__in=missing).values_list("title", flat=True)
                details.append(f"   manquantes : {', '.join(titles)}")
    n = len(CASES)
    holders = sorted({c.holder for c in CASES})
    themes = sorted({t for c in CASES for t in c.themes})
    seconds.sort()
    lines = [
        "## Guichet: quality of the aid matching",
        "",
        f"Reproduce with `.venv/bin/python bench/guichet_quality.py` (demo catalogue: {setup}; "
        f"SQLite, `bench.settings`).",
        "",
        f"- {n} projects; holders: {', '.join(holders)}; {len(themes)} themes of 13.",
        f"- **Precision at 5: {precision / n:.2f}** (best possible with these expectations: "
        f"{best / n:.2f}).",
        f"- **Projects with at least one expected aid in the first 5: {hits / n:.0%}** "
        f"({int(hits)}/{n}).",
        f"- Projects told that nothing fits well (closest aids shown): {int(closest)}/{n}.",
        f"- Time of `match_aids` per project: median {seconds[n // 2] * 1000:.0f} ms, "
        f"max {seconds[-1] * 1000:.0f} ms.",
        "",
        "| Project | Holder | Themes | expected in first 5 | hit |",
        "|---|---|---|---:|---|",
        *rows,
    ]
    return "\n".join(lines + details) + "\n"


if __name__ == "__main__":
    print(run(verbose="--verbose" in sys.argv))
