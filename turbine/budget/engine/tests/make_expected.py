"""Precompute pabutools 1.2.3's selections on the shared Pabulib files into ``expected.json``.

Usage (from the repository root; pabutools is slow, be nice to the other users)::

    nice -n 19 .venv/bin/python -m turbine.budget.engine.tests.make_expected \
        [--timeout 600] [--data DIR] [--retry-timeouts]
    nice -n 19 .venv/bin/python -m turbine.budget.engine.tests.make_expected --fixtures

Each (file, rule) case runs in its own subprocess, smallest files first, and the JSON file is
rewritten (atomically) after every case, so an interrupted run keeps what it computed.  The
limit is on the child's **CPU time** (``RLIMIT_CPU``), not on the wall clock, because the
machine is shared: a case that exceeds it is recorded as ``null`` with
``"<rule>:skipped": "pabutools did not finish within 600 s"``, and the exactness test skips it
with that reason.  ``<rule>:seconds`` is the CPU time pabutools took.  A case still running
after four times the limit in wall-clock time (machine very busy) is left uncomputed.  Files
whose META values use a decimal comma are fed to pabutools through
:func:`~turbine.budget.engine.tests.reference.pabutools_text`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTED = HERE / "fixtures" / "expected.json"
EXPECTED_FIXTURES = HERE / "fixtures" / "expected_fixtures.json"
RULES = ("greedy", "mes", "mes-completed")


def _one(path: str, rule: str) -> None:
    """Child process: print pabutools' selection as JSON."""
    from turbine.budget.engine.tests.reference import pabutools_text, reference_selection

    print(json.dumps(reference_selection(pabutools_text(path), rule)))


def _write(expected: dict, target: Path = EXPECTED) -> None:
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, target)


def file_digest(path: Path) -> str:
    """SHA-256 of a file (a precomputed fixture result is used only for the same content)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_fixtures() -> None:
    """pabutools' selections on the project's own ``.pb`` fixtures (``expected_fixtures.json``).

    pabutools' ``mes-completed`` runs MES once per budget increment, in exact rationals (tens of
    seconds on a fixture with a large budget): the tests read its selections from here instead
    of recomputing them, as long as the file is unchanged (SHA-256).
    """
    from turbine.budget.engine.tests.reference import pabutools_text, reference_selection

    out = {}
    for path in sorted((HERE / "fixtures").glob("*.pb")):
        text = pabutools_text(path)
        entry = {"sha256": file_digest(path)}
        for rule in RULES:
            entry[rule] = reference_selection(text, rule)
        out[path.name] = entry
        print(path.name, flush=True)
    _write(out, EXPECTED_FIXTURES)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def skipped_reason(timeout: float) -> str:
    """Text recorded for a case pabutools did not finish."""
    return f"pabutools did not finish within {timeout:.0f} s"


def main() -> None:
    """Compute the missing cases of ``expected.json``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=600.0, help="CPU seconds per case")
    parser.add_argument("--data", default="/work/shared/data/pabulib")
    parser.add_argument("--retry-timeouts", action="store_true")
    parser.add_argument("--fixtures", action="store_true", help="the project's own fixtures")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fixtures:
        make_fixtures()
        return
    if args.one:
        _one(*args.one)
        return
    expected = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {}
    files = sorted(Path(args.data).glob("*.pb"), key=lambda p: p.stat().st_size)
    pending, retry = [], []
    for rule in RULES:
        for path in files:
            head = path.read_text(encoding="utf-8-sig")[:4000]
            if "vote_type;ordinal" in head:
                continue
            entry = expected.get(path.name, {})
            if rule not in entry:
                pending.append((path, rule))
            elif entry[rule] is None and args.retry_timeouts:
                retry.append((path, rule))
    limit = int(args.timeout)

    def set_limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))

    for path, rule in pending + retry:
        entry = expected.setdefault(path.name, {})
        for key in (rule, rule + ":seconds", rule + ":skipped", rule + ":error"):
            entry.pop(key, None)
        cpu0 = _children_cpu()
        proc = subprocess.Popen(
            [sys.executable, "-m", "turbine.budget.engine.tests.make_expected", "--one"]
            + [str(path), rule],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=set_limit,
        )
        try:
            out, err = proc.communicate(timeout=4 * args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            print(path.name, rule, "not computed (machine too busy)", flush=True)
            _write(expected)
            continue
        cpu = _children_cpu() - cpu0
        if proc.returncode == 0:
            entry[rule] = json.loads(out)
            entry[rule + ":seconds"] = round(cpu, 2)
        elif proc.returncode in (-9, -24) or cpu >= limit:  # SIGKILL / SIGXCPU
            entry[rule] = None
            entry[rule + ":seconds"] = f">{limit}"
            entry[rule + ":skipped"] = skipped_reason(args.timeout)
        else:
            entry[rule] = None
            entry[rule + ":error"] = (err.strip().splitlines() or ["?"])[-1][:300]
        print(path.name, rule, entry.get(rule + ":seconds"), flush=True)
        _write(expected)


if __name__ == "__main__":
    main()
