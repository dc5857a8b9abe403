"""Synthetic participatory budget for ``manage.py generate_scale_data --factor N``.

One finished campaign per run, in its results phase with fixed past dates: 60 proposals over
the territory and 10,000 ballots per unit of factor (100,000 at factor 10, the design target),
with its results computed, so that the benchmarks can show the results page's query count
staying flat. Its slug starts with ``echelle-``, which is how ``clear`` finds it; it is marked
``is_demo`` and its ballots ``synthetic``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from turbine.budget.demo import IDEAS, SMALL_MAX, create_proposals, synthesise_ballots
from turbine.budget.models import Campaign, Proposal
from turbine.budget.search_indexes import KIND
from turbine.budget.services import EnvelopeSpec, campaign_create, campaign_results_publish
from turbine.core import scale, search
from turbine.territory.models import Commune
from turbine.territory.selectors import get_current_territory

BALLOTS_PER_FACTOR = 10_000
SLUG_PREFIX = "echelle-"
START = date(2025, 1, 6)


def generate(factor: int, rng: random.Random) -> str:
    territory = get_current_territory()
    if territory is None:
        return "aucun territoire importé : aucune campagne générée"
    communes = list(
        Commune.objects.filter(agglomeration__territory=territory)
        .select_related("agglomeration")
        .order_by("code")
    )
    rng.shuffle(communes)
    campaign = campaign_create(
        territory=territory,
        slug=f"{SLUG_PREFIX}budget-participatif-2025",
        title=f"Budget participatif 2025 (données d'échelle ×{factor})",
        year=2025,
        total_budget=1_500_000,
        dates=[START + timedelta(days=d) for d in (0, 60, 120, 150, 200, 260, 400)],
        envelopes=[
            EnvelopeSpec(name="Petits projets", budget=Decimal(400_000), max_cost=SMALL_MAX),
            EnvelopeSpec(name="Grands projets", budget=Decimal(1_100_000), min_cost=SMALL_MAX + 1),
        ],
        approval_min=1,
        approval_max=5,
        is_demo=True,
    )
    proposals = create_proposals(
        campaign=campaign,
        ideas=IDEAS,
        communes=communes[:60],
        rng=rng,
        status="recevable",
        mark=" (échelle)",
    )
    # One ballot per envelope and voter: half as many voters as ballots.
    ballots = synthesise_ballots(
        campaign=campaign, voters=BALLOTS_PER_FACTOR * factor // 2, rng=rng
    )
    campaign_results_publish(campaign_id=campaign.pk)
    return f"1 campagne de budget participatif, {len(proposals)} propositions, {ballots} bulletins"


def clear() -> int:
    campaigns = Campaign.objects.filter(slug__startswith=SLUG_PREFIX)
    ids = Proposal.objects.filter(campaign__in=campaigns).values_list("id", flat=True)
    search.unindex(kind=KIND, object_ids=[str(i) for i in ids])
    deleted, _ = campaigns.delete()
    return deleted


scale.register("budget", generate, clear=clear)
