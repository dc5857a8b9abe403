"""Domain exceptions of the tally engine.

Every message is written in plain French because it is shown as is to the people who upload a
file or run a tally; identifiers stay in English.
"""

from __future__ import annotations


class BudgetRulesError(ValueError):
    """Base class of every error raised on purpose by :mod:`turbine.budget.engine`."""


class PabulibError(BudgetRulesError):
    """A ``.pb`` file (or text) is malformed.

    ``line`` is the 1-based physical line number of the offending line (``None`` when the
    problem concerns the whole file, e.g. a missing section), and it is always repeated in
    ``str(error)``.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.reason = message
        text = f"Ligne {line} : {message}" if line is not None else message
        super().__init__(text)


class ElectionError(BudgetRulesError):
    """An :class:`~turbine.budget.engine.election.Election` built from Python data is invalid."""


class RuleError(BudgetRulesError):
    """A rule cannot be applied to an election (unknown rule, ordinal ballots...)."""
