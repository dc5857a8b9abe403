"""Benchmark of the sortition engine (LEXIMIN by column generation on HiGHS).

Run from the repository root::

    .venv/bin/python bench/sortition.py [--write]

(``--write`` puts the section in ``bench/RESULTS.md`` in place of the previous one.)

Two synthetic instances of issue 13, built from a fixed random generator: a pool of 2,000
volunteers and a panel of 200 with four features, and a pool of 1,500 and a panel of 60 with
six features of skewed shares. The pool over-represents some values (volunteers are not a
random sample of the population), and the quotas ask for the population's shares, give or take
about 10 %. For each, the table gives the wall-clock and CPU time of LEXIMIN (the lottery
rounding excluded, timed apart), the number of profiles (groups of identical volunteers), stages
and panels generated, and the minimum, median and maximum probability and the Gini coefficient,
beside MAXIMIN's minimum and the greedy LEGACY's (1,000 runs).

Importable: ``run(markdown=True) -> str`` returns the table (used by ``bench/run.py``).
"""

from __future__ import annotations

import math
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from turbine.cooperation.sortition import (  # noqa: E402
    Quota,
    Quotas,
    build_pool,
    figures,
    legacy,
    leximin,
    lottery,
    maximin,
)

# (name, population shares, pool shares) per feature.
FOUR = [
    ("genre", {"femme": 0.52, "homme": 0.48}, {"femme": 0.58, "homme": 0.42}),
    (
        "âge",
        {"16-29": 0.2, "30-44": 0.25, "45-59": 0.27, "60+": 0.28},
        {"16-29": 0.1, "30-44": 0.22, "45-59": 0.3, "60+": 0.38},
    ),
    (
        "agglomération",
        {"Lens-Liévin": 0.42, "Hénin-Carvin": 0.21, "Béthune-Bruay": 0.37},
        {"Lens-Liévin": 0.5, "Hénin-Carvin": 0.15, "Béthune-Bruay": 0.35},
    ),
    (
        "diplôme",
        {"sans": 0.3, "bac": 0.4, "supérieur": 0.3},
        {"sans": 0.12, "bac": 0.38, "supérieur": 0.5},
    ),
]
SIX = [
    ("genre", {"femme": 0.52, "homme": 0.48}, {"femme": 0.62, "homme": 0.38}),
    (
        "âge",
        {"16-29": 0.2, "30-44": 0.25, "45-59": 0.27, "60+": 0.28},
        {"16-29": 0.06, "30-44": 0.18, "45-59": 0.31, "60+": 0.45},
    ),
    (
        "agglomération",
        {"Lens-Liévin": 0.42, "Hénin-Carvin": 0.21, "Béthune-Bruay": 0.37},
        {"Lens-Liévin": 0.55, "Hénin-Carvin": 0.1, "Béthune-Bruay": 0.35},
    ),
    (
        "diplôme",
        {"sans": 0.3, "bac": 0.4, "supérieur": 0.3},
        {"sans": 0.08, "bac": 0.32, "supérieur": 0.6},
    ),
    (
        "activité",
        {"emploi": 0.55, "chômage": 0.1, "retraite": 0.25, "études": 0.1},
        {"emploi": 0.5, "chômage": 0.04, "retraite": 0.4, "études": 0.06},
    ),
    ("première participation", {"oui": 0.7, "non": 0.3}, {"oui": 0.35, "non": 0.65}),
]
CASES = [
    ("2,000 volunteers, panel of 200, 4 features", FOUR, 2000, 200),
    ("1,500 volunteers, panel of 60, 6 features (skewed)", SIX, 1500, 60),
]


def instance(features, pool_size: int, panel: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    quotas = Quotas()
    columns = []
    for name, population, pool in features:
        values = list(population)
        quotas.categories[name] = {
            value: Quota(
                name,
                value,
                max(0, math.floor(population[value] * panel * 0.9) - 1),
                math.ceil(population[value] * panel * 1.1) + 1,
            )
            for value in values
        }
        columns.append(rng.choice(values, size=pool_size, p=[pool[v] for v in values]))
    people = [tuple(str(c[i]) for c in columns) for i in range(pool_size)]
    return quotas, people


def measure(features, pool_size: int, panel: int) -> dict[str, float | int | str]:
    quotas, people = instance(features, pool_size, panel)
    pool = build_pool(quotas, people)
    wall, cpu = time.perf_counter(), time.process_time()
    distribution = leximin(pool, panel)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    started = time.perf_counter()
    drawn = lottery(distribution)
    rounding = time.perf_counter() - started
    figure = figures(distribution.probabilities)
    started = time.perf_counter()
    maximin_min = float(maximin(pool, panel).probabilities.min())
    maximin_seconds = time.perf_counter() - started
    legacy_min = float(legacy(pool, panel).probabilities.min())
    return {
        "profiles": len(pool.profiles),
        "stages": distribution.info["stages"],
        "columns": distribution.info["columns"],
        "wall": wall,
        "cpu": cpu,
        "rounding": rounding,
        "deviation": drawn.deviation,
        "min": figure.minimum,
        "median": figure.median,
        "max": figure.maximum,
        "gini": figure.gini,
        "maximin_min": maximin_min,
        "maximin_seconds": maximin_seconds,
        "legacy_min": legacy_min,
    }


HEADING = "## Citizen panels: LEXIMIN (`bench/sortition.py`)"
RESULTS = ROOT / "bench" / "RESULTS.md"


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def run(markdown: bool = True, command: str = ".venv/bin/python bench/sortition.py") -> str:
    load_before = _load()
    started = time.perf_counter()
    lines = [
        HEADING,
        "",
        f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}` (also run by "
        "`make bench`). LEXIMIN by column generation on HiGHS, over profiles (groups of "
        "identical volunteers); the lottery rounding to 1,000 tickets is timed apart.",
        "",
        "| instance | profiles | LEXIMIN wall s | CPU s | stages | panels generated "
        "| min / median / max probability | Gini | MAXIMIN min (s) | LEGACY min "
        "| lottery rounding s (max deviation) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, features, pool_size, panel in CASES:
        r = measure(features, pool_size, panel)
        print(label, r, file=sys.stderr, flush=True)
        lines.append(
            f"| {label} | {r['profiles']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['stages']} "
            f"| {r['columns']} | {r['min']:.4f} / {r['median']:.4f} / {r['max']:.4f} "
            f"| {r['gini']:.3f} | {r['maximin_min']:.4f} ({r['maximin_seconds']:.1f}) "
            f"| {r['legacy_min']:.4f} | {r['rounding']:.1f} ({r['deviation']:.4f}) |"
        )
    lines += [
        "",
        f"1-minute load average {load_before} before, {_load()} after, on "
        f"{os.cpu_count()} cores; the CPU time of the process is the steadier figure when the "
        "machine is shared (HiGHS runs on one thread). "
        f"Whole section: {time.perf_counter() - started:.0f} s.",
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str, results: Path = RESULTS) -> None:
    """Put ``section`` in ``results`` in place of its previous version (or at its end)."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    start = text.find(HEADING)
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(HEADING))
        tail = text[end + 1 :] if end >= 0 else ""
        text = text[:start] + section.rstrip() + "\n" + ("\n" + tail if tail else "")
    results.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write = "--write" in sys.argv[1:]
    section = run(command=" ".join([".venv/bin/python bench/sortition.py", *sys.argv[1:]]))
    print(section)
    if write:
        write_section(section)
