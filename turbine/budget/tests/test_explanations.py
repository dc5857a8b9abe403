"""The explanations a citizen reads on the results page: plain French, amounts in euros."""

from __future__ import annotations

from turbine.budget.engine import Election, Project, parse_pabulib, tally
from turbine.budget.engine.tests.conftest import FIXTURES
from turbine.budget.explanations import euros, explain_all, explain_outcome, method_sentence

JARGON = ("augmentation", "unité", "incrément", "rho", "affordab", "glouton", "au tour")


def _plain(text: str) -> None:
    assert text and text[0].isupper() and text.endswith(".")
    for word in JARGON:
        assert word not in text.lower(), (word, text)


def test_it_writes_amounts_in_euros() -> None:
    assert euros(12345) == "12\u202f345\u00a0€"
    assert euros(1300025 / 100) == "13\u202f000,25\u00a0€"
    assert euros(0) == "0\u00a0€"


def test_it_introduces_each_method_in_one_plain_sentence() -> None:
    for rule in ("greedy", "mes", "mes-completed"):
        sentence = method_sentence(rule)
        _plain(sentence)
        assert sentence.count(".") == 1
    assert "même part du budget" in method_sentence("mes-completed")


def test_it_explains_every_project_without_jargon() -> None:
    election = parse_pabulib(FIXTURES / "approval_quartier.pb")
    for rule in ("greedy", "mes", "mes-completed"):
        for text in explain_all(tally(election, rule)).values():
            _plain(text)
    mes = tally(election, "mes")
    funded = explain_outcome(mes, "P03")
    assert funded.startswith(
        "Financé à l'étape 2 : ses 10 soutiens se sont partagé son coût (12\u202f000\u00a0€)"
    )
    assert "5 d'entre eux y ont mis tout ce qui leur restait." in funded
    unfunded = explain_outcome(mes, "P02")
    assert "à eux tous, moins que son coût (" in unfunded and "€)" in unfunded
    completed = tally(election, "mes-completed")
    assert "Financé pour compléter" in explain_outcome(completed, "P07")
    share = explain_outcome(completed, "P01")
    assert "la part de chaque votant a été portée de " in share and "\u00a0€ à " in share
    greedy = tally(election, "greedy")
    assert "il ne restait que 13\u202f000,25\u00a0€ au budget" in explain_outcome(greedy, "P04")


def test_it_explains_free_projects_and_points_ballots() -> None:
    result = tally(parse_pabulib(FIXTURES / "cumulative_ville.pb"), "mes-completed")
    assert explain_outcome(result, "15").startswith("Ce projet ne coûte rien")
    for text in explain_all(result).values():
        _plain(text)
    greedy = tally(parse_pabulib(FIXTURES / "cumulative_ville.pb"), "greedy")
    assert any("points pour chaque euro" in t for t in explain_all(greedy).values())


def test_it_says_when_nobody_supported_a_project() -> None:
    election = Election([Project("a", 10, "A"), Project("b", 5, "B")], [["a"]], 12)
    text = explain_outcome(tally(election, "mes"), "b")
    assert text.startswith("Personne ne l'a soutenu.")
