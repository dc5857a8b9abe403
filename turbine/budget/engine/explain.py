"""Plain-French explanations and fairness figures of a :class:`TallyResult`."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from turbine.budget.engine.compiled import compiled_for
from turbine.budget.engine.election import Amount, Election
from turbine.budget.engine.tally import TallyResult


def format_money(value: Amount | Fraction) -> str:
    """French money formatting with two decimals and thin spaces: ``12 345,67``."""
    cents = round(Fraction(value) * 100)
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}"


def _voters(n: int) -> str:
    return f"{n} votant{'s' if n > 1 else ''}"


def explain_project(result: TallyResult, project_id: str) -> str:
    """One or two French sentences saying why ``project_id`` was or was not funded.

    Raises ``KeyError`` for an unknown project id.
    """
    o = result.projects[project_id]
    label = f"Le projet « {o.name or o.project_id} » ({format_money(o.cost)})"
    if o.selected and o.phase == "free":
        return (
            f"{label} est financé d'office : il ne coûte rien et {_voters(o.supporters)} "
            "l'ont soutenu."
        )
    if o.selected and o.phase == "mes":
        text = (
            f"{label} est financé au tour {o.mes_round} de la méthode des parts égales : "
            f"{_voters(o.payers or 0)} sur {o.supporters} soutiens en ont partagé le coût"
        )
        if o.exhausted:
            text += f", dont {_voters(o.exhausted)} en y mettant tout ce qui leur restait"
        text += "."
        if result.rule == "mes-completed" and o.per_voter_budget is not None:
            text += (
                f" Part de départ de chaque votant : {format_money(o.per_voter_budget)}"
                f" ({o.increment} augmentation{'s' if (o.increment or 0) > 1 else ''} "
                "d'une unité)."
            )
        return text
    if o.selected and o.phase == "greedy":
        where = (
            "par la règle gloutonne"
            if result.rule == "greedy"
            else "lors du complément glouton, après la méthode des parts égales"
        )
        return (
            f"{label} est financé {where} : {_position(o.greedy_rank)} {_ratio(result)}, il "
            f"tenait dans les {format_money(o.budget_left_before or 0)} restants."
        )
    parts = [f"{label} n'est pas financé."]
    if o.supporters == 0:
        parts.append("Personne ne l'a soutenu.")
    if o.supporters_money_left is not None:
        parts.append(
            f"À l'arrêt de la méthode des parts égales, ses {o.supporters} soutiens "
            f"n'avaient plus que {format_money(o.supporters_money_left)} à eux tous, moins "
            "que son coût."
        )
    if o.budget_left_before is not None:
        parts.append(
            f"Au moment de l'examiner ({_position(o.greedy_rank)} {_ratio(result)}), il ne "
            f"restait que {format_money(o.budget_left_before)} au budget."
        )
    return " ".join(parts)


def _ratio(result: TallyResult) -> str:
    if result.ballot_type == "approval":
        return "par nombre de soutiens rapporté au coût"
    return "par nombre de points rapporté au coût"


def _position(rank: int | None) -> str:
    if rank is None:
        return "classé"
    return "classé 1er" if rank == 1 else f"classé {rank}e"


@dataclass(frozen=True, slots=True)
class FairnessFigures:
    """Simple fairness figures of an outcome.

    ``voters_with_funded_project`` counts the voters who supported (approved, or gave points
    to) at least one funded project; ``share_*`` are exact fractions in [0, 1].
    """

    num_voters: int
    voters_with_funded_project: int
    share_voters_with_funded_project: Fraction
    budget: Amount
    spent: Amount
    share_spent: Fraction


def fairness(election: Election, result: TallyResult) -> FairnessFigures:
    """Fairness figures of ``result`` (a tally of ``election``)."""
    compiled = compiled_for(election)
    position = {pid: j for j, pid in enumerate(compiled.ids)}
    reached = np.zeros(len(compiled.group_weights), dtype=bool)
    for pid in result.selected:
        reached[compiled.sup_g[position[pid]]] = True
    happy = int(compiled.group_weights[reached].sum())
    n = compiled.n_voters
    budget = election.budget
    return FairnessFigures(
        num_voters=n,
        voters_with_funded_project=happy,
        share_voters_with_funded_project=Fraction(happy, n) if n else Fraction(0),
        budget=budget,
        spent=result.total_cost,
        share_spent=Fraction(result.total_cost) / budget if budget else Fraction(0),
    )
