"""Precompute pabutools 1.2.3's selections on the shared Pabulib files into ``expected.json``.

Usage (from the repository root)::

    .venv/bin/python -m turbine.budget.rules.tests.make_expected [--timeout 600] [--data DIR]

Each (file, rule) case runs in its own subprocess with a timeout, smallest files first, and the
JSON file is rewritten after every case so that an interrupted run keeps what it computed.  A
case that times out is recorded as ``null`` (the exactness test then skips it).  Files whose
META values use a decimal comma are fed to pabutools through
:func:`~turbine.budget.rules.tests.reference.pabutools_text`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "fixtures" / "expected.json"
RULES = ("greedy", "mes", "mes-completed")


def _one(path: str, rule: str) -> None:
    """Child process: print pabutools' selection as JSON."""
    from turbine.budget.rules.tests.reference import pabutools_text, reference_selection

    print(json.dumps(reference_selection(pabutools_text(path), rule)))


def main() -> None:
    """Compute the missing cases of ``expected.json``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--data", default="/work/shared/data/pabulib")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(*args.one)
        return
    expected = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    files = sorted(Path(args.data).glob("*.pb"), key=lambda p: p.stat().st_size)
    for rule in RULES:
        for path in files:
            head = path.read_text(encoding="utf-8-sig")[:4000]
            if "vote_type;ordinal" in head:
                continue
            entry = expected.setdefault(path.name, {})
            if rule in entry:
                continue
            start = time.perf_counter()
            try:
                out = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "turbine.budget.rules.tests.make_expected",
                        "--one",
                        str(path),
                        rule,
                    ],
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                    check=True,
                )
                entry[rule] = json.loads(out.stdout)
                entry[rule + ":seconds"] = round(time.perf_counter() - start, 2)
            except subprocess.TimeoutExpired:
                entry[rule] = None
                entry[rule + ":seconds"] = f">{args.timeout:.0f}"
            except subprocess.CalledProcessError as exc:
                entry[rule] = None
                entry[rule + ":error"] = exc.stderr.strip().splitlines()[-1][:300]
            print(path.name, rule, entry.get(rule + ":seconds"), flush=True)
            EXPECTED.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
