"""``manage.py rank_count``: BLT in, elected or ranked candidates out; French errors; speed."""

from __future__ import annotations

import io
import json
import random
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from turbine.steering.engine import blt, stv

FOOD = (
    "5 3\n4 1 0\n2 2 1 0\n8 3 4 0\n4 3 5 0\n1 4 0\n1 5 0\n0\n"
    '"Oranges"\n"Poires"\n"Chocolat"\n"Fraises"\n"Bonbons"\n"Repas"\n'
)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("rank_count", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_elected_as_json(tmp_path: Path) -> None:
    path = tmp_path / "repas.blt"
    path.write_text(FOOD)
    body = json.loads(_run(str(path), "--method", "stv", "--json"))
    assert body["elected"] == [3, 1, 4]
    assert body["rounds"][1]["transfer_value"] == 0.5
    assert "1. 3 Chocolat" in _run(str(path), "--method", "stv")
    ranked = json.loads(_run(str(path), "--method", "schulze", "--json"))
    assert ranked["ranking"][0] == 3
    assert json.loads(_run(str(path), "--seats", "1", "--json"))["elected"] == [3]


def test_it_names_the_faulty_line(tmp_path: Path) -> None:
    path = tmp_path / "faux.blt"
    path.write_text('2 1\n1 1 2 0\n1 1 x 0\n0\n"A"\n"B"\n')
    with pytest.raises(CommandError, match="Ligne 3"):
        _run(str(path))
    with pytest.raises(CommandError, match="introuvable"):
        _run(str(tmp_path / "absent.blt"))
    with pytest.raises(CommandError, match="sièges"):
        path.write_text(FOOD)
        _run(str(path), "--seats", "9")


def test_it_counts_a_ward_of_fifteen_thousand_ballots_quickly() -> None:
    rng = random.Random(15)
    ballots = []
    for _ in range(15_000):
        prefs = rng.sample(range(10), rng.randint(1, 10))
        ballots.append((1, tuple(prefs)))
    election = stv.Election(candidates=[f"C{i}" for i in range(10)], seats=4, ballots=ballots)
    text = blt.write_blt(election)
    start = time.perf_counter()
    result = stv.count(blt.parse_blt(text))
    elapsed = time.perf_counter() - start
    assert len(result.elected) == 4
    print(f"15 000 bulletins dépouillés en {elapsed:.3f} s")
