"""The engine's exceptions: French messages meant for the person who ran the draw."""

from __future__ import annotations


class SortitionError(ValueError):
    """A draw cannot be made. ``message`` is French and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CsvError(SortitionError):
    """A malformed categories or respondents file; the message names the file's line."""

    def __init__(self, message: str, *, line: int) -> None:
        super().__init__(f"ligne {line} : {message}")
        self.line = line


class InfeasibleQuotasError(SortitionError):
    """No panel of this size meets the quotas with this pool; ``relaxations`` says how far to
    move each conflicting bound (see :func:`~turbine.cooperation.sortition.feasibility.check`)."""

    def __init__(self, message: str, *, relaxations: list) -> None:
        super().__init__(message)
        self.relaxations = relaxations
