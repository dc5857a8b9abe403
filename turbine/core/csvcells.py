"""CSV cells that a spreadsheet cannot mistake for a formula (CSV injection)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Sheets
# (`=cmd|' /C calc'!A0`, `@SUM(...)`, `+1+1`, a tab or carriage return before one of them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` ready for ``csv.writer``: ``None`` becomes an empty cell, and a text starting
    like a formula gets a leading apostrophe, which spreadsheets show as text. Numbers are kept
    as they are (a negative amount is not a formula)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a row through :func:`csv_cell`."""
    return [csv_cell(value) for value in values]
