"""Demonstration data of the participatory budget, loaded by ``manage.py seed_demo``.

* "Budget participatif 2026 (démo)": two envelopes (small and large projects), 60 invented
  proposals spread over the territory's communes (a few refused or merged at the feasibility
  study), 5,000 synthetic ballots (2,500 voters, one ballot per envelope), in its results phase.
* "Budget participatif 2027 (démo)": open for ideas, with a few ideas already submitted.

Dates are relative to the day of loading so that each campaign is in the intended phase.
Ballots are anonymous rows marked ``synthetic``; nobody's account is linked to them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from turbine.accounts.models import User
from turbine.budget.models import Ballot, Campaign, Envelope, Proposal, ProposalStatus
from turbine.budget.search_indexes import index_proposals
from turbine.budget.services import (
    EnvelopeSpec,
    campaign_create,
    campaign_results_publish,
    proposal_progress,
)
from turbine.core import demo
from turbine.core.models import Theme
from turbine.territory.models import Commune, Territory
from turbine.territory.selectors import get_current_territory

# (title, theme slugs, small project?)
IDEAS: list[tuple[str, tuple[str, ...], bool]] = [
    ("Jardin partagé au pied des immeubles", ("alimentation", "citoyennete-cooperation"), True),
    ("Abris à vélos sécurisés près de la gare", ("mobilite",), True),
    ("Composteurs collectifs de quartier", ("dechets-economie-circulaire",), True),
    (
        "Îlot de fraîcheur dans la cour d'école",
        ("biodiversite-renaturation", "education-culture"),
        False,
    ),
    ("Repair café itinérant", ("dechets-economie-circulaire", "solidarite-justice-sociale"), True),
    ("Panneaux solaires sur la salle des sports", ("energie",), False),
    ("Haie bocagère le long du chemin de halage", ("biodiversite-renaturation",), True),
    ("Récupérateurs d'eau de pluie pour les jardins familiaux", ("eau",), True),
    ("Liaison cyclable entre deux cités minières", ("mobilite",), False),
    ("Verger partagé sur un terril", ("alimentation", "biodiversite-renaturation"), True),
    ("Toiture végétalisée de la médiathèque", ("biodiversite-renaturation", "energie"), False),
    ("Pédibus pour les écoles primaires", ("mobilite", "education-culture"), True),
    ("Boîtes à livres et à graines", ("education-culture",), True),
    ("Fontaines à eau potable dans le parc", ("eau", "sante-environnement"), True),
    (
        "Mare pédagogique et sentier nature",
        ("biodiversite-renaturation", "education-culture"),
        True,
    ),
    ("Atelier d'autoréparation de vélos", ("mobilite", "solidarite-justice-sociale"), True),
    ("Épicerie solidaire en circuit court", ("alimentation", "solidarite-justice-sociale"), False),
    (
        "Renaturation d'une friche industrielle",
        ("biodiversite-renaturation", "industrie-reconversion"),
        False,
    ),
    ("Nichoirs et hôtels à insectes", ("biodiversite-renaturation",), True),
    ("Ressourcerie de quartier", ("dechets-economie-circulaire", "emploi-formation"), False),
    ("Cantine bio et locale au collège", ("alimentation", "sante-environnement"), False),
    ("Éclairage public basse consommation", ("energie",), False),
    ("Potager pédagogique au centre social", ("alimentation", "education-culture"), True),
    ("Arceaux vélos devant les commerces", ("mobilite",), True),
    ("Désimperméabilisation d'un parking", ("eau", "biodiversite-renaturation"), False),
    ("Formation aux métiers de la rénovation", ("emploi-formation", "renovation-habitat"), False),
    ("Isolation de la maison des associations", ("renovation-habitat", "energie"), False),
    ("Broyeur de végétaux partagé", ("dechets-economie-circulaire",), True),
    ("Ruches et prairie fleurie", ("biodiversite-renaturation",), True),
    ("Navette électrique pour les hameaux", ("mobilite", "energie"), False),
    ("Fresque sur la mémoire minière et le climat", ("education-culture",), True),
    ("Conseil citoyen de la transition", ("citoyennete-cooperation",), True),
    ("Marché de producteurs du dimanche", ("alimentation",), True),
    (
        "Plantation de 500 arbres en ville",
        ("biodiversite-renaturation", "sante-environnement"),
        False,
    ),
    ("Bornes de recharge solaires pour vélos", ("mobilite", "energie"), True),
    ("Zéro déchet à la fête communale", ("dechets-economie-circulaire",), True),
    ("Chaufferie bois pour l'école et la mairie", ("energie",), False),
    ("Parcours santé dans le bois communal", ("sante-environnement",), True),
    ("Tiers-lieu de la transition", ("citoyennete-cooperation", "emploi-formation"), False),
    (
        "Cuisine partagée pour les associations",
        ("alimentation", "solidarite-justice-sociale"),
        True,
    ),
    ("Balades urbaines sur la qualité de l'air", ("sante-environnement",), True),
    ("Rénovation d'un lavoir et de sa source", ("eau",), True),
    ("Location solidaire de vélos cargos", ("mobilite", "solidarite-justice-sociale"), False),
    ("Cours d'eau remis à ciel ouvert", ("eau", "biodiversite-renaturation"), False),
    ("Ateliers cuisine anti-gaspillage", ("alimentation", "dechets-economie-circulaire"), True),
    ("Serre collective chauffée par récupération", ("alimentation", "energie"), False),
    ("Station de lavage des couches lavables", ("dechets-economie-circulaire",), True),
    ("Accompagnement au compostage en immeuble", ("dechets-economie-circulaire",), True),
    ("Défi familles à énergie positive", ("energie", "citoyennete-cooperation"), True),
    ("Passerelle piétonne au-dessus du canal", ("mobilite",), False),
    (
        "Bibliothèque d'outils partagés",
        ("dechets-economie-circulaire", "citoyennete-cooperation"),
        True,
    ),
    ("Centrale solaire citoyenne sur un hangar", ("energie", "citoyennete-cooperation"), False),
    ("Préau bioclimatique", ("renovation-habitat", "education-culture"), False),
    ("Forêt urbaine Miyawaki", ("biodiversite-renaturation",), True),
    ("Signalétique des itinéraires cyclables", ("mobilite",), True),
    ("Conserverie solidaire", ("alimentation", "emploi-formation"), False),
    ("Rucher école", ("biodiversite-renaturation", "education-culture"), True),
    ("Abri de covoiturage à l'entrée de l'autoroute", ("mobilite",), True),
    ("Jardin de pluie devant la mairie", ("eau",), True),
    ("Gratiferia permanente", ("dechets-economie-circulaire", "solidarite-justice-sociale"), True),
]

IDEAS_2027 = [
    ("Vélobus pour le collège", ("mobilite", "education-culture"), True),
    ("Cabane à partage au parc", ("dechets-economie-circulaire",), True),
    ("Toits solaires des écoles de l'agglomération", ("energie",), False),
    ("Prairie sauvage le long de la voie verte", ("biodiversite-renaturation",), True),
    (
        "Atelier couture et réemploi textile",
        ("dechets-economie-circulaire", "emploi-formation"),
        True,
    ),
    ("Potager sur le toit du centre social", ("alimentation",), False),
]

SMALL_MAX = Decimal(50_000)


def _communes(territory: Territory) -> list[Commune]:
    return list(
        Commune.objects.filter(agglomeration__territory=territory)
        .select_related("agglomeration")
        .order_by("-population", "code")[:40]
    )


def _dates(today: date, offsets: Sequence[int]) -> list[date]:
    return [today + timedelta(days=d) for d in offsets]


def create_proposals(
    *,
    campaign: Campaign,
    ideas: Sequence[tuple[str, tuple[str, ...], bool]],
    communes: Sequence[Commune],
    rng: random.Random,
    status: str,
    authors: Sequence[User] = (),
    mark: str = " (démo)",
) -> list[Proposal]:
    """Proposals for ``ideas``, one commune each, costs by size band; bulk-created."""
    envelopes = list(campaign.envelopes.all())
    themes = {t.slug: t for t in Theme.objects.all()}
    rows = []
    for i, (title, _, small) in enumerate(ideas):
        commune = communes[i % len(communes)]
        cost = Decimal(rng.randrange(4, 50) * 1_000 if small else rng.randrange(6, 40) * 10_000)
        envelope = next(
            (e for e in envelopes if e.accepts_cost(cost)), envelopes[0] if envelopes else None
        )
        rows.append(
            Proposal(
                campaign=campaign,
                envelope=envelope,
                author=authors[i % len(authors)] if authors else None,
                title=f"{title} à {commune.name}{mark}"[:160],
                description=(
                    f"{title}, à {commune.name}. Projet imaginé pour la démonstration : il "
                    "répond à un besoin exprimé par les habitants du quartier et sera "
                    "entretenu par une association locale."
                ),
                commune=commune,
                estimated_cost=cost,
                status=status,
                is_demo=True,
            )
        )
    proposals = Proposal.objects.bulk_create(rows)
    if any(p.pk is None for p in proposals):
        proposals = list(campaign.proposals.order_by("id"))
    links = [
        Proposal.themes.through(proposal_id=p.pk, theme_id=themes[slug].pk)
        for p, (_, slugs, _) in zip(proposals, ideas, strict=True)
        for slug in slugs
        if slug in themes
    ]
    Proposal.themes.through.objects.bulk_create(links)
    return proposals


def synthesise_ballots(
    *, campaign: Campaign, voters: int, rng: random.Random, batch: int = 5_000
) -> int:
    """``voters`` synthetic voters, each with one approval ballot per envelope: projects of
    their own agglomeration are favoured, popularity varies per project. Returns the number of
    ballots created (bulk, in batches)."""
    envelopes: list[Envelope] = list(campaign.envelopes.order_by("position"))
    votable = list(
        Proposal.objects.filter(campaign=campaign, status=ProposalStatus.ADMISSIBLE)
        .select_related("commune")
        .order_by("id")
    )
    agglomerations = sorted({p.commune.agglomeration_id for p in votable if p.commune})
    popularity = {p.pk: rng.uniform(0.3, 3.0) for p in votable}
    high = max(campaign.approval_max, 1)
    created = 0
    rows: list[Ballot] = []
    for _ in range(voters):
        home = rng.choice(agglomerations) if agglomerations else None
        for envelope in envelopes:
            pool = [p for p in votable if p.envelope_id == envelope.pk]
            if not pool:
                continue
            weights = [
                popularity[p.pk] * (2.5 if p.commune and p.commune.agglomeration_id == home else 1)
                for p in pool
            ]
            k = rng.randint(max(campaign.approval_min, 1), min(high, len(pool)))
            chosen: set[int] = set()
            while len(chosen) < k:
                chosen.add(rng.choices(pool, weights)[0].pk)
            rows.append(
                Ballot(campaign=campaign, envelope=envelope, choices=sorted(chosen), synthetic=True)
            )
            if len(rows) >= batch:
                Ballot.objects.bulk_create(rows)
                created += len(rows)
                rows = []
    Ballot.objects.bulk_create(rows)
    return created + len(rows)


def load_campaigns() -> str:
    territory = get_current_territory()
    if territory is None:
        return "aucun territoire importé : rien à charger"
    rng = random.Random("turbine-budget-demo")
    today = timezone.localdate()
    communes = _communes(territory)
    authors = list(User.objects.filter(is_demo=True, commune__isnull=False).order_by("email"))
    description = (
        "Une édition de démonstration du budget participatif du Pôle métropolitain de l'Artois : "
        "des petits projets de quartier aux grands projets d'agglomération, proposés puis "
        "choisis par les habitants."
    )
    c2026 = campaign_create(
        territory=territory,
        slug="budget-participatif-2026-demo",
        title="Budget participatif 2026 (démo)",
        year=2026,
        total_budget=1_500_000,
        dates=_dates(today, (-300, -240, -180, -150, -100, -30, 60)),
        envelopes=[
            EnvelopeSpec(name="Petits projets", budget=Decimal(400_000), max_cost=SMALL_MAX),
            EnvelopeSpec(name="Grands projets", budget=Decimal(1_100_000), min_cost=SMALL_MAX + 1),
        ],
        description=description,
        approval_min=1,
        approval_max=5,
        is_demo=True,
    )
    proposals = create_proposals(
        campaign=c2026,
        ideas=IDEAS,
        communes=communes,
        rng=rng,
        status=ProposalStatus.ADMISSIBLE,
        authors=authors,
    )
    # The feasibility study refused a few and merged a few duplicates: the same idea for the
    # same commune, put in by another inhabitant in their own words.
    refused = proposals[-8:-3]
    Proposal.objects.filter(pk__in=[p.pk for p in refused]).update(
        status=ProposalStatus.INADMISSIBLE,
        public_reason=(
            "Le projet relève d'une compétence de l'État ou d'un bailleur : la collectivité ne "
            "peut pas le financer (démo)."
        ),
    )
    for index, target in enumerate(proposals[:3]):
        idea, _, _ = IDEAS[index]
        duplicate = Proposal.objects.create(
            campaign=c2026,
            envelope=target.envelope,
            author=authors[(index + 7) % len(authors)] if authors else None,
            title=f"{idea} pour les habitants de {target.commune.name} (démo)"[:160],
            description=(
                f"{idea} pour les habitants de {target.commune.name} : les voisins en parlent "
                "depuis longtemps, une association du quartier veut bien s'en occuper."
            ),
            commune=target.commune,
            estimated_cost=(target.estimated_cost * Decimal("0.9")).quantize(Decimal(1)),
            status=ProposalStatus.MERGED,
            merged_into=target,
            public_reason=(
                f"Même idée, au même endroit, que « {target.title} » : les deux propositions "
                "sont réunies (démo)."
            ),
            is_demo=True,
        )
        duplicate.themes.set(target.themes.all())
    # The study revised the cost of some large projects (their envelope does not change).
    revised = [p for p in proposals[:20] if p.estimated_cost > SMALL_MAX][:6]
    for p in revised:
        p.revised_cost = (p.estimated_cost * Decimal("1.1")).quantize(Decimal(1))
    Proposal.objects.bulk_update(revised, ["revised_cost"])
    ballots = synthesise_ballots(campaign=c2026, voters=2_500, rng=rng)
    campaign_results_publish(campaign_id=c2026.pk)
    started = _start_realisations(c2026)

    c2027 = campaign_create(
        territory=territory,
        slug="budget-participatif-2027-demo",
        title="Budget participatif 2027 (démo)",
        year=2027,
        total_budget=1_800_000,
        dates=_dates(today, (-20, 70, 130, 160, 190, 220, 300)),
        envelopes=[
            EnvelopeSpec(name="Petits projets", budget=Decimal(500_000), max_cost=SMALL_MAX),
            EnvelopeSpec(name="Grands projets", budget=Decimal(1_300_000), min_cost=SMALL_MAX + 1),
        ],
        description=description,
        ballot_type="knapsack",
        is_demo=True,
    )
    create_proposals(
        campaign=c2027,
        ideas=IDEAS_2027,
        communes=communes[::3],
        rng=rng,
        status=ProposalStatus.SUBMITTED,
        authors=authors,
    )
    index_proposals(
        ids=Proposal.objects.filter(campaign__in=[c2026, c2027]).values_list("id", flat=True)
    )
    return (
        f"2 campagnes : 2026 ({len(proposals)} propositions, {ballots} bulletins, résultats "
        f"publiés, {started} projets lauréats en travaux), 2027 (dépôt des idées ouvert, "
        f"{len(IDEAS_2027)} idées)"
    )


PROGRESS_NOTES = [
    "Le marché de travaux est attribué ; le chantier commence le mois prochain (démo).",
    "Les premières plantations ont eu lieu avec les habitants du quartier (démo).",
    "La commune a validé l'emplacement ; les devis sont en cours de comparaison (démo).",
]


def _start_realisations(campaign: Campaign) -> int:
    """A few winners of the results-phase campaign are "en travaux": each becomes a public
    project of the projects app, whose page carries the staff's progress notes as news."""
    staff = User.objects.filter(email="bruno.demo@turbine.localhost").first()
    if staff is None or not staff.has_perm("budget.review_proposal"):
        return 0
    winners = list(
        Proposal.objects.filter(campaign=campaign, status=ProposalStatus.FUNDED).order_by("id")[:3]
    )
    for proposal, note in zip(winners, PROGRESS_NOTES, strict=False):
        proposal_progress(
            actor=staff, proposal_id=proposal.pk, status=ProposalStatus.IN_PROGRESS, note=note
        )
    return len(winners)


demo.register("budget", load_campaigns)
