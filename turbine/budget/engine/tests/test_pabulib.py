"""Parser and writer of the Pabulib format."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from turbine.budget.engine import (
    Election,
    ElectionError,
    PabulibError,
    Project,
    RuleError,
    parse_pabulib,
    tally,
    write_pabulib,
)
from turbine.budget.engine.tests.conftest import FIXTURES, SHARED

GOOD = """META
key;value
budget;1000
vote_type;approval
PROJECTS
project_id;cost;name
1;600;Un
2;400,5;Deux
VOTES
voter_id;vote
1;1,2
2;2
"""


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_it_parses_a_small_election() -> None:
    election = parse_pabulib(GOOD)
    assert [p.id for p in election.projects] == ["1", "2"]
    assert election.project("2").cost == Fraction(8010, 20)
    assert election.budget == 1000
    assert election.ballots == [("1", "2"), ("2",)]
    assert election.voter_ids == ["1", "2"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (_broken("PROJECTS\n", ""), 5, "champs"),  # PROJECTS header read as META data
        (_broken("VOTES\nvoter_id;vote\n1;1,2\n2;2\n", ""), 8, "VOTES manquante"),
        (_broken("META\nkey;value\n", ""), 1, "avant la section META"),
        (_broken("1;600;Un", "1;6OO;Un"), 7, "Coût invalide"),
        (_broken("budget;1000", "budget;mille"), 3, "budget"),
        (_broken("2;2\n", "2;3\n"), 12, "projet inconnu"),
        (_broken("vote_type;approval\n", ""), 5, "vote_type"),
        (_broken("vote_type;approval", "vote_type;borda"), 4, "non pris en charge"),
        (_broken("2;400,5;Deux", "1;400;Deux"), 8, "déclaré deux fois"),
        (_broken("2;2\n", "2;2;x\n"), 12, "champs"),
        (GOOD + "META\nkey;value\n", 13, "plusieurs élections"),
        (_broken("budget;1000", "budget;none"), 3, "budget"),
        (_broken("budget;1000", "budget;" + "9" * 5000), 3, "budget"),
        (
            _broken("vote_type;approval", "vote_type;approval\nmax_sum_cost;" + "1" * 4400),
            5,
            "max_sum_cost",
        ),
        (
            _broken("vote_type;approval", "vote_type;approval\nnum_votes;" + "1" * 4400),
            5,
            "num_votes",
        ),
        (_broken("1;600;Un", "1;" + "6" * 4400 + ";Un"), 7, "Coût invalide"),
        (_broken("2;400,5;Deux", "2;400," + "5" * 4400 + ";Deux"), 8, "Coût invalide"),
    ],
)
def test_it_reports_malformed_files_in_french_with_the_line(
    text: str, line: int, words: str
) -> None:
    with pytest.raises(PabulibError) as info:
        parse_pabulib(text)
    assert info.value.line == line
    assert str(info.value).startswith(f"Ligne {line} : ")
    assert words in str(info.value)


def test_it_rejects_a_file_with_several_elections() -> None:
    path = SHARED / "poland_krakow_2021_whole_city.pb"
    if not path.exists():
        pytest.skip("données Pabulib partagées absentes")
    with pytest.raises(PabulibError, match="plusieurs élections") as info:
        parse_pabulib(path)
    assert info.value.line is not None and info.value.line > 1


def test_it_reports_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PabulibError, match="Impossible de lire"):
        parse_pabulib(tmp_path / "absent.pb")
    bad = tmp_path / "latin1.pb"
    bad.write_bytes(GOOD.replace("Deux", "D\xe9ux").encode("latin-1"))
    with pytest.raises(PabulibError, match="UTF-8") as info:
        parse_pabulib(bad)
    assert info.value.line == 8


def test_it_reads_cumulative_points_and_quirks() -> None:
    election = parse_pabulib(FIXTURES / "cumulative_ville.pb")
    assert election.ballot_type == "cumulative"
    assert election.ballots[0] == (("10", 5), ("11", 5))
    assert election.ballots[9] == ()  # points "none": empty ballot, as pabutools
    with pytest.raises(PabulibError, match="2 projets dans « vote » mais 1 valeurs") as info:
        parse_pabulib(
            (FIXTURES / "cumulative_ville.pb").read_text().replace("1;10,11;5,5;F", "1;10,11;5;F")
        )
    assert info.value.line == 24


def test_it_reads_decimal_commas_exactly() -> None:
    election = parse_pabulib(FIXTURES / "approval_quartier.pb")
    assert election.budget == Fraction("100000.50")
    assert election.project("P02").cost == Fraction("30000.25")
    for name, budget in [
        ("poland_warszawa_2018_grochow-kinowa.pb", "214386.40"),
        ("poland_warszawa_2018_ursus-polnocny.pb", None),
        ("poland_warszawa_2019_grochow-poludniowy.pb", None),
        ("poland_warszawa_2019_przyczolek-grochowski.pb", None),
    ]:
        path = SHARED / name
        if not path.exists():
            pytest.skip("données Pabulib partagées absentes")
        election = parse_pabulib(path)
        raw = election.meta["budget"]
        assert "," in raw or "," in election.meta.get("max_sum_cost", "")
        assert election.budget == Fraction(raw.replace(",", "."))
        if budget is not None:
            assert election.budget == Fraction(budget)


def test_it_keeps_project_ids_as_written() -> None:
    text = GOOD.replace("1;600;Un", "01;600;Un").replace("1;1,2", "1;01,2")
    election = parse_pabulib(text)
    assert [p.id for p in election.projects] == ["01", "2"]
    assert election.ballots[0] == ("01", "2")


def test_it_round_trips_through_the_writer(tmp_path: Path) -> None:
    for path in sorted(FIXTURES.glob("*.pb")):
        election = parse_pabulib(path)
        text = write_pabulib(election, tmp_path / path.name)
        again = parse_pabulib(tmp_path / path.name)
        assert parse_pabulib(text).ballots == election.ballots
        assert again.projects == election.projects
        assert again.ballots == election.ballots
        assert again.budget == election.budget
        assert again.voter_ids == election.voter_ids
        assert again.voter_rows == election.voter_rows
        assert {k: v for k, v in again.meta.items() if k != "budget"} == {
            k: v for k, v in election.meta.items() if k not in ("budget",)
        } | {"num_votes": str(len(election.ballots)), "num_projects": str(len(election.projects))}
        for rule in ("greedy", "mes"):
            assert tally(again, rule).selected == tally(election, rule).selected


def test_it_builds_elections_from_python_data() -> None:
    election = Election(
        projects=[Project("p1", 30_000, "Jardin"), Project("p2", 0.1, "Bancs")],
        ballots=[["p1"], ["p1", "p2", "p1"], []],
        budget="40000,5",
    )
    assert election.ballots == [("p1",), ("p1", "p2"), ()]
    assert election.project("p2").cost == Fraction(1, 10)
    assert election.budget == Fraction("40000.5")
    cumulative = Election(
        projects=[Project("a", 10), Project("b", 20)],
        ballots=[{"a": 3, "b": 7}, [("b", 10)]],
        budget=25,
        ballot_type="cumulative",
    )
    assert cumulative.ballots == [(("a", 3), ("b", 7)), (("b", 10),)]
    assert tally(cumulative, "greedy").selected == ("b",)
    text = write_pabulib(cumulative)
    assert parse_pabulib(text).ballots == cumulative.ballots


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"ballots": [["zz"]]}, "projet inconnu"),
        ({"budget": -1}, "négatif"),
        ({"ballot_type": "borda"}, "Type de bulletin inconnu"),
        ({"projects": [Project("a", 1), Project("a", 2)]}, "en double"),
    ],
)
def test_it_validates_python_data_in_french(kwargs: dict, words: str) -> None:
    base = {"projects": [Project("a", 1)], "ballots": [["a"]], "budget": 1}
    with pytest.raises(ElectionError, match=words):
        Election(**(base | kwargs))


def test_it_reads_ordinal_files_but_refuses_to_tally_them() -> None:
    text = GOOD.replace("vote_type;approval", "vote_type;ordinal")
    election = parse_pabulib(text)
    assert election.ballots[0] == ("1", "2")
    with pytest.raises(RuleError, match="ordinaux"):
        tally(election, "mes")
    with pytest.raises(RuleError, match="Règle inconnue"):
        tally(parse_pabulib(GOOD), "phragmen")


def test_it_parses_every_shared_file() -> None:
    if not SHARED.exists():
        pytest.skip("données Pabulib partagées absentes")
    for path in sorted(SHARED.glob("*.pb")):
        if path.name == "poland_krakow_2021_whole_city.pb":
            continue
        election = parse_pabulib(path)
        assert election.projects and election.ballots


VOTES_WITH_METADATA = """META
key;value
budget;1000
vote_type;cumulative
PROJECTS
project_id;cost;name
1;600;Un
2;400;Deux
VOTES
voter_id;vote;points;age;district
 a ; 1 , 2 ;2,1;33;Nord

b;2;3;41
c;;;;Sud
"""


@pytest.mark.parametrize("errors", [False, True])
def test_it_reads_votes_the_same_with_or_without_quotes(errors: bool) -> None:
    # Votes without any quote are split on ";" directly; one quote sends them through csv:
    # both readings give the same election, and the same errors on the same lines.
    plain = VOTES_WITH_METADATA
    quoted = plain.replace("33;Nord", '33;"Nord"')
    if errors:
        for text in (plain, quoted):
            for extra, words in (("d;1;1;1;1;1\n", "6 champs"), ("META\n", "plusieurs")):
                with pytest.raises(PabulibError, match=words) as info:
                    parse_pabulib(text + extra)
                assert info.value.line == 15
        return
    one, two = parse_pabulib(plain), parse_pabulib(quoted)
    assert one.ballots == two.ballots == [(("1", 2), ("2", 1)), (("2", 3),), ()]
    assert one.voter_ids == two.voter_ids == ["a", "b", "c"]
    assert one.voter_rows == two.voter_rows == [("33", "Nord"), ("41", ""), ("", "Sud")]
