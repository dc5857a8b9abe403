"""Participatory-budget tally engine (pure Python + NumPy, no Django).

Reproduces pabutools 1.2.3 exactly — same selected projects in the same order — for the rules
``greedy``, ``mes`` and ``mes-completed`` on approval and cumulative (or scoring) ballots, much
faster.  Typical use::

    from turbine.budget.engine import parse_pabulib, tally, fairness

    election = parse_pabulib("poland_warszawa_2021_wola.pb")   # or the file's text
    result = tally(election, rule="mes-completed")
    result.selected           # project ids, in selection order
    result.total_cost         # exact (int or Fraction)
    result.projects["1602"]   # why it was (not) funded, as data (ProjectOutcome)
    fairness(election, result).share_voters_with_funded_project

Elections can also be built from Python data (:class:`Election`, :class:`Project`).  Errors
are :class:`PabulibError` (malformed file, French message with the line number),
:class:`ElectionError` (invalid Python data) and :class:`RuleError` (unknown rule, ordinal
ballots), all subclasses of :class:`BudgetRulesError` (a ``ValueError``).

Arithmetic: amounts are exact (``int``/``Fraction``); the greedy rule compares exact
fractions; MES decides in float64 only when the float margin is certified and falls back to
exact rationals otherwise (details in :mod:`turbine.budget.engine.mes`), so near-ties never flip.
"""

from turbine.budget.engine.election import Election, Project
from turbine.budget.engine.errors import BudgetRulesError, ElectionError, PabulibError, RuleError
from turbine.budget.engine.fairness import FairnessFigures, fairness
from turbine.budget.engine.pabulib import (
    parse_pabulib,
    parse_pabulib_file,
    parse_pabulib_text,
    write_pabulib,
)
from turbine.budget.engine.tally import RULES, ProjectOutcome, TallyResult, tally

__all__ = [
    "RULES",
    "BudgetRulesError",
    "Election",
    "ElectionError",
    "FairnessFigures",
    "PabulibError",
    "Project",
    "ProjectOutcome",
    "RuleError",
    "TallyResult",
    "fairness",
    "parse_pabulib",
    "parse_pabulib_file",
    "parse_pabulib_text",
    "tally",
    "write_pabulib",
]
