"""``manage.py sortition``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CATEGORIES = (
    "category,feature,min,max\ngenre,femme,2,3\ngenre,homme,1,2\nâge,jeune,1,2\nâge,aîné,2,3\n"
)
RESPONDENTS = (
    "id,genre,âge\n1,femme,jeune\n2,homme,aîné\n3,femme,aîné\n4,homme,jeune\n5,femme,aîné\n"
    "6,homme,aîné\n7,femme,aîné\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    categories, respondents = tmp_path / "categories.csv", tmp_path / "respondents.csv"
    categories.write_text(CATEGORIES, encoding="utf-8")
    respondents.write_text(RESPONDENTS, encoding="utf-8")
    return str(categories), str(respondents)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("sortition", *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_json_object(files: tuple[str, str]) -> None:
    data = json.loads(_run(*files, "--size", "4", "--seed", "12", "--json"))
    assert {"probabilities", "min_probability", "gini", "seconds", "panel"} <= set(data)
    assert len(data["probabilities"]) == 7
    assert sum(data["probabilities"]) == pytest.approx(4)
    assert data["min_probability"] == pytest.approx(min(data["probabilities"]))
    assert len(data["panel"]) == 4
    assert all(1 <= row <= 7 for row in data["panel"])
    again = json.loads(_run(*files, "--size", "4", "--seed", "12", "--json"))
    assert again["panel"] == data["panel"]


@pytest.mark.parametrize("algorithm", ["leximin", "maximin", "legacy"])
def test_it_prints_probabilities_by_row_and_the_panel(files, algorithm: str) -> None:
    out = _run(*files, "--size", "4", "--algorithm", algorithm, "--seed", "3")
    assert out.splitlines()[0].startswith("1\t0.")
    assert "Probabilité minimale" in out
    assert "coefficient de Gini" in out
    assert "Panel tiré avec la graine « 3 »" in out


def test_it_names_the_line_of_a_bad_file(files, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,genre,âge\n1,femme,jeune\n2,autre,aîné\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.csv : ligne 3 : « autre »"):
        _run(files[0], str(bad), "--size", "2")


def test_it_explains_infeasible_quotas(files) -> None:
    with pytest.raises(CommandError, match="Aucun panel de 7 personnes"):
        _run(*files, "--size", "7")
