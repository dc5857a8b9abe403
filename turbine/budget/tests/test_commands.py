"""pb_tally, pb_import and pb_export."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from turbine.budget.engine import parse_pabulib, tally
from turbine.budget.models import Ballot, Campaign

FIXTURES = Path(__file__).resolve().parents[1] / "engine" / "tests" / "fixtures"
APPROVAL = FIXTURES / "approval_quartier.pb"
CUMULATIVE = FIXTURES / "cumulative_ville.pb"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-completed"])
def test_it_prints_the_selected_project_ids(rule: str) -> None:
    expected = list(tally(parse_pabulib(APPROVAL), rule=rule).selected)
    assert run("pb_tally", str(APPROVAL), "--rule", rule).split() == expected
    data = json.loads(run("pb_tally", str(APPROVAL), "--rule", rule, "--json"))
    assert set(data) == {"rule", "selected", "total_cost", "seconds", "parse_seconds"}
    assert data["rule"] == rule and data["selected"] == expected
    assert 0 <= data["parse_seconds"] < 5 and 0 <= data["seconds"] < 5


def test_it_names_the_line_of_a_malformed_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text(APPROVAL.read_text().replace("45000", "quarante-cinq mille"))
    with pytest.raises(CommandError, match=r"Ligne \d+"):
        run("pb_tally", str(bad), "--rule", "greedy")
    with pytest.raises(CommandError, match="Impossible de lire"):
        run("pb_tally", str(tmp_path / "absent.pb"))


@pytest.mark.parametrize(
    ("old", "new"),
    [("budget;100000,50", "budget;none"), ("budget;100000,50", "budget;" + "9" * 5000)],
)
@pytest.mark.django_db
@pytest.mark.parametrize("command", ["pb_tally", "pb_import"])
def test_it_refuses_a_budget_that_is_not_a_usable_number(
    territory, command: str, old: str, new: str, tmp_path: Path
) -> None:
    text = APPROVAL.read_text()
    assert old in text
    bad = tmp_path / "bad.pb"
    bad.write_text(text.replace(old, new))
    line = text.splitlines().index(old) + 1
    with pytest.raises(CommandError, match=rf"Ligne {line} : .*budget"):
        run(command, str(bad))
    assert not Campaign.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", [APPROVAL, CUMULATIVE])
def test_it_imports_then_exports_a_campaign(territory, path: Path, tmp_path: Path) -> None:
    original = parse_pabulib(path)
    run("pb_import", str(path))
    campaign = Campaign.objects.get()
    assert campaign.proposals.count() == len(original.projects)
    assert Ballot.objects.filter(campaign=campaign).count() == original.num_voters
    target = tmp_path / "export.pb"
    call_command("pb_export", campaign.slug, "--output", str(target), stderr=StringIO())
    exported = parse_pabulib(target)
    # Same projects (ids as written), same ballots up to order: the same winners.
    assert [p.id for p in exported.projects] == sorted(
        (p.id for p in original.projects), key=lambda i: [p.id for p in original.projects].index(i)
    )
    for rule in ("greedy", "mes-completed"):
        assert set(tally(exported, rule=rule).selected) == set(tally(original, rule=rule).selected)


def test_it_refuses_a_file_with_several_elections(tmp_path: Path) -> None:
    text = APPROVAL.read_text()
    double = tmp_path / "double.pb"
    double.write_text(text + text)
    with pytest.raises(CommandError, match=r"Ligne \d+"):
        run("pb_tally", str(double), "--rule", "mes", "--json")
