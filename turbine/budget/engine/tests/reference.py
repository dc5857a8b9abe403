"""pabutools 1.2.3 as the reference implementation (tests and benchmark only).

The engine never imports this module.  ``reference_selection`` runs the exact pabutools calls
that define the three rules and returns the selected project ids in pabutools' order.
"""

from __future__ import annotations

import re
from pathlib import Path

# META amounts written with a decimal comma ("max_sum_cost;214386,40") make pabutools' parser
# fail; the reference reads the same file with those META values written with a point.
_META_COMMA = re.compile(r"^(\w+);(\d+),(\d+)\s*$")


def pabutools_text(path: str | Path) -> str:
    """File content made readable by pabutools (decimal commas of META values -> points)."""
    text = Path(path).read_text(encoding="utf-8-sig")
    out = []
    in_meta = False
    for line in text.splitlines():
        head = line.strip().lower()
        if head in ("meta", "projects", "votes"):
            in_meta = head == "meta"
        elif in_meta:
            line = _META_COMMA.sub(r"\1;\2.\3", line)
        out.append(line)
    return "\n".join(out) + "\n"


def reference_selection(text: str, rule: str) -> list[str]:
    """Selected project ids according to pabutools for ``rule`` on the Pabulib ``text``."""
    return timed_reference(text, rule)[1]


def timed_reference(text: str, rule: str, *, steady: bool = False) -> tuple[float, list[str]]:
    """(CPU seconds of the rule alone, parsing excluded; selected ids) according to pabutools.

    ``steady`` (the benchmark's timing): a rule shorter than 0.2 s of CPU is run again until
    0.2 s have passed, and the mean time is returned."""
    import time

    from pabutools.election import Additive_Cardinal_Sat, Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib_from_string(text)
    sat = (
        Cost_Sat
        if instance.meta["vote_type"] in ("approval", "choose-1")
        else Additive_Cardinal_Sat
    )

    def run() -> list:
        if rule == "greedy":
            return greedy_utilitarian_welfare(instance, profile, sat_class=sat)
        if rule == "mes":
            return method_of_equal_shares(instance, profile, sat_class=sat)
        if rule == "mes-completed":
            return completion_by_rule_combination(
                instance,
                profile,
                [method_of_equal_shares, greedy_utilitarian_welfare],
                [{"sat_class": sat, "voter_budget_increment": 1}, {"sat_class": sat}],
            )
        raise ValueError(rule)

    # The process CPU clock of the benchmark's child process ticked by 4 ms on this machine (a
    # 2 ms rule read 0 or 4 ms): short rules are timed over several runs.
    start = time.process_time()
    outcome = run()
    runs, elapsed = 1, time.process_time() - start
    while steady and elapsed < 0.2 and runs < 500:
        run()
        runs, elapsed = runs + 1, time.process_time() - start
    return elapsed / runs, [p.name for p in outcome]


if __name__ == "__main__":  # python -m ...reference FILE RULE: {"seconds": ..., "selected": [...]}
    import json
    import sys

    seconds, selected = timed_reference(pabutools_text(sys.argv[1]), sys.argv[2], steady=True)
    print(json.dumps({"seconds": seconds, "selected": selected}))
