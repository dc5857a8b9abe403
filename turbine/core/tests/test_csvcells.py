from __future__ import annotations

from decimal import Decimal

import pytest

from turbine.core.csvcells import csv_cell, csv_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Lens énergie", "Lens énergie"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (Decimal("-1.5"), Decimal("-1.5")),
    ],
)
def test_it_neutralises_cells_that_start_like_a_formula(value, expected) -> None:
    assert csv_cell(value) == expected


def test_it_neutralises_a_whole_row() -> None:
    assert csv_row(["=1", 2, None]) == ["'=1", 2, ""]
