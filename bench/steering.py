"""Benchmarks of steering (issue 15).

Run from the repository root::

    .venv/bin/python bench/steering.py          # the pure engines only
    make bench                                    # also the pages and the PDF, on the bench data

- the portfolio at 20,000 projects × 8 criteria: weighted sum and ranking, the one-at-a-time
  sensitivity (16 re-rankings) and 1,000 seeded Monte Carlo draws of weights (top 10);
- the count of a ward of 15,000 ranked ballots over 10 candidates (Scottish STV, 4 seats, and
  Schulze), BLT parsing included;
- with Django set up by ``bench/run.py`` (after its largest factor): an indicator page holding
  10 years × 150 communes of values (latency through the test client; its query count is
  bounded in ``turbine/steering/tests/test_views.py``), and the
  yearly report's PDF (WeasyPrint).

Importable: ``run(markdown=True, django=False) -> str`` returns the table.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from turbine.steering.engine import blt, ranking, schulze, stv  # noqa: E402


def _timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def engine_rows() -> list[tuple[str, float]]:
    rng = np.random.default_rng(2038)
    scores = rng.integers(0, 6, size=(20_000, 8)).astype(float)
    weights = np.array([25, 15, 12, 12, 8, 10, 10, 8], dtype=float)
    rows = [
        (
            "Portefeuille, 20 000 projets : somme pondérée et classement",
            _timed(lambda: ranking.rank_order(ranking.weighted_sum(scores, weights))),
        ),
        (
            "Portefeuille : sensibilité poids par poids (±50 %, 16 classements)",
            _timed(lambda: ranking.one_at_a_time(scores, weights, k=10)),
        ),
        (
            "Portefeuille : 1 000 tirages de Monte Carlo (top 10)",
            _timed(lambda: ranking.monte_carlo_top_k(scores, weights, k=10, draws=1000), 1),
        ),
    ]
    r = random.Random(15)
    ballots = [(1, tuple(r.sample(range(10), r.randint(1, 10)))) for _ in range(15_000)]
    text = blt.write_blt(
        stv.Election(candidates=[f"C{i}" for i in range(10)], seats=4, ballots=ballots)
    )
    rows.append(
        (
            "15 000 bulletins BLT : lecture et vote unique transférable (4 sièges)",
            _timed(lambda: stv.count(blt.parse_blt(text))),
        )
    )
    election = blt.parse_blt(text)
    rows.append(
        ("15 000 bulletins : classement de Schulze", _timed(lambda: schulze.count(election)))
    )
    return rows


def django_rows() -> list[tuple[str, float]]:
    from django.test import Client

    from turbine.steering import report
    from turbine.steering.models import Axis, Indicator, IndicatorValue, Objective
    from turbine.territory.models import Commune

    axis = Axis.objects.create(title="Banc d'essai (démo)", is_demo=True)
    objective = Objective.objects.create(axis=axis, title="Banc d'essai (démo)", is_demo=True)
    indicator = Indicator.objects.create(
        objective=objective,
        name="Indicateur par commune (démo)",
        unit="t",
        direction="baisse",
        scope="commune",
        baseline_year=2015,
        baseline_value=100,
        target_value=50,
        is_demo=True,
    )
    codes = list(Commune.objects.values_list("code", flat=True)[:150])
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=indicator, year=y, area_code=c, value=y % 7 + 1)
            for y in range(2016, 2026)
            for c in codes
        ]
        + [
            IndicatorValue(indicator=indicator, year=y, value=100 - y % 10)
            for y in range(2016, 2026)
        ]
    )
    client = Client()
    path = f"/pilotage/indicateurs/{indicator.pk}/"
    assert client.get(path).status_code == 200
    page = _timed(lambda: client.get(path), 5)
    pdf = _timed(lambda: report.render_pdf(2025), 1)
    return [
        (f"Page d'un indicateur, 10 ans × {len(codes)} communes", page),
        ("Rapport annuel en PDF (WeasyPrint), données du plus grand facteur", pdf),
    ]


def run(markdown: bool = True, django: bool = False) -> str:
    rows = engine_rows() + (django_rows() if django else [])
    lines = [
        "## Steering (`bench/steering.py`)",
        "",
        "| mesure | temps (meilleur de 3) |",
        "| --- | ---: |",
    ]
    lines += [f"| {label} | {seconds * 1000:.1f} ms |" for label, seconds in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run())
