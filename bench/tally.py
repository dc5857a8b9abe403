"""Benchmark of the tally engine against pabutools 1.2.3.

Run from the repository root::

    .venv/bin/python bench/tally.py [--with-slow-reference] [--repeat 5] [--data DIR]

For the three largest shared approval/cumulative elections and the reference ones of the issue,
measures each rule's time in :mod:`turbine.budget.rules` (median of ``--repeat`` runs, parsing
excluded) and pabutools' time in the same process (one run), then prints a Markdown table with
the speed ratios and whether both select the same projects.  Times are CPU times of this
process (``time.process_time``): the development machine is shared, and wall-clock times there
vary tenfold with the load while CPU times do not; both engines are single-threaded.
pabutools runs known to take more than about ten minutes are skipped unless
``--with-slow-reference`` is given (``mes-completed`` on ``poland_warszawa_2021_wola.pb``
alone takes about 250 s in pabutools).

Importable: ``run(markdown=True) -> str`` returns the table (used by the main bench).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from turbine.budget.rules import RULES, parse_pabulib, tally  # noqa: E402

DATA = Path("/work/shared/data/pabulib")
REFERENCE_FILES = (
    "poland_warszawa_2021_wola.pb",
    "poland_czestochowa_2020_.pb",
    "poland_wroclaw_2015_from-500.pb",
)
# (file, rule) pairs where pabutools needs more than ~10 minutes on this machine (measured, or
# estimated from one MES run times the number of budget increments).
SLOW_REFERENCE = {
    ("poland_wroclaw_2015_150-500.pb", "mes-completed"),
    ("poland_wroclaw_2015_from-500.pb", "mes-completed"),
    ("poland_warszawa_2020_praga-poludnie.pb", "mes-completed"),
}


def _elections(data: Path) -> list[Path]:
    """The three largest approval/cumulative files, then the reference ones."""
    files = sorted(data.glob("*.pb"), key=lambda p: p.stat().st_size, reverse=True)
    chosen: list[Path] = []
    for path in files:
        if "vote_type;ordinal" in path.read_text(encoding="utf-8-sig")[:3000]:
            continue
        chosen.append(path)
        if len(chosen) == 3:
            break
    for name in REFERENCE_FILES:
        path = data / name
        if path.exists() and path not in chosen:
            chosen.append(path)
    return chosen


def _reference(path: Path, rule: str) -> tuple[float, list[str]] | None:
    try:
        from turbine.budget.rules.tests.reference import pabutools_text, reference_selection
    except ImportError:  # pabutools not installed
        return None
    text = pabutools_text(path)
    start = time.process_time()
    selection = reference_selection(text, rule)
    return time.process_time() - start, selection


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def run(
    markdown: bool = True,
    with_slow_reference: bool = False,
    repeat: int = 5,
    data: Path = DATA,
    with_reference: bool = True,
) -> str:
    """Run the benchmark and return the table (Markdown, or tab-separated if not ``markdown``)."""
    rows = []
    for path in _elections(data):
        election = parse_pabulib(path)
        for rule in RULES:
            times = []
            result = None
            for _ in range(repeat):
                start = time.process_time()
                result = tally(election, rule)
                times.append(time.process_time() - start)
            ours = statistics.median(times)
            ref_time = "skipped (> 10 min)"
            ratio = same = "–"
            if with_reference and (with_slow_reference or (path.name, rule) not in SLOW_REFERENCE):
                ref = _reference(path, rule)
                if ref is not None:
                    ref_time = _fmt(ref[0])
                    ratio = f"{ref[0] / ours:,.0f}×"
                    same = "yes" if list(result.selected) == ref[1] else "NO"
            elif not with_reference:
                ref_time = "not run"
            rows.append(
                [
                    path.name,
                    f"{election.ballot_type}, {len(election.ballots):,} voters",
                    rule,
                    _fmt(ours),
                    ref_time,
                    ratio,
                    same,
                ]
            )
    header = ["election", "ballots", "rule", "engine (median CPU)", "pabutools (CPU)"]
    header += ["speed-up", "same"]
    if not markdown:
        return "\n".join("\t".join(r) for r in [header, *rows])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--with-slow-reference", action="store_true")
    parser.add_argument("--without-reference", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    print(
        run(
            markdown=True,
            with_slow_reference=args.with_slow_reference,
            repeat=args.repeat,
            data=args.data,
            with_reference=not args.without_reference,
        )
    )


if __name__ == "__main__":
    main()
