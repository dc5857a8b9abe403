"""Single transferable vote by the rules of the Scottish Local Government Elections Order 2007
(SSI 2007/42, schedule 1, rules 45 to 52): Droop quota, weighted inclusive Gregory method.

- Quota: ``floor(valid ballots / (seats + 1)) + 1``. A bloc of more than a quarter of the voters
  is sure of one of three seats, and a majority cannot take all three.
- A candidate whose votes reach the quota is elected. Surpluses are transferred one a stage,
  the largest first, before any exclusion. Every ballot the elected candidate holds is passed on
  (inclusive method) at ``surplus × its value ÷ the candidate's total``, truncated to five
  decimal places; the fractions lost to truncation are shown in the rounds.
- With no surplus left, the candidate with the fewest votes is excluded and their ballots pass on
  at the value they came with.
- When the continuing candidates are no more than the seats left, they are all elected.
- Ties (equal surpluses or equal lowest totals) are broken by the earliest stage at which the
  tied candidates had unequal votes (the greater surplus goes first, the lower total is
  excluded); if they were equal at every stage, by lot: a draw seeded by ``seed``, so that a
  recount gives the same result.

Values are exact integers in units of 0.00001 vote, so truncation is exact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SCALE = 100_000  # five decimal places


class CountError(ValueError):
    """Invalid election data (French message)."""


@dataclass(frozen=True)
class Election:
    """``ballots`` are (weight, preferences) with candidates numbered from 0."""

    candidates: list[str]
    seats: int
    ballots: list[tuple[int, tuple[int, ...]]]
    withdrawn: frozenset[int] = frozenset()
    title: str = ""

    def __post_init__(self) -> None:
        n = len(self.candidates)
        if n < 1:
            raise CountError("Il faut au moins un candidat.")
        if not 1 <= self.seats <= n:
            raise CountError(f"Le nombre de sièges doit être entre 1 et {n}.")
        for weight, prefs in self.ballots:
            if weight < 0:
                raise CountError("Le poids d'un bulletin ne peut pas être négatif.")
            if len(set(prefs)) != len(prefs) or any(not 0 <= c < n for c in prefs):
                raise CountError("Un bulletin classe un candidat inconnu ou deux fois le même.")


@dataclass
class Stage:
    number: int
    action: str  # "premier-decompte", "excedent", "elimination"
    candidate: int | None
    transfer_value: float | None
    totals: list[float]
    non_transferable: float
    lost_to_fractions: float
    elected: list[int] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)


@dataclass
class StvResult:
    elected: list[int]
    quota: float
    valid_ballots: int
    stages: list[Stage]
    tie_breaks: list[str]


def _units(value: int) -> float:
    return value / SCALE


def count(election: Election, *, seed: int = 2038) -> StvResult:
    n = len(election.candidates)
    seats = election.seats
    rng = random.Random(seed)
    excluded: set[int] = set(election.withdrawn)
    elected: list[int] = []
    # A pile: [preferences, position of the current preference, number of ballots, value].
    piles: dict[int, list[list]] = {c: [] for c in range(n)}
    totals = [0] * n
    valid = 0
    grouped: dict[tuple[int, ...], int] = {}
    for weight, prefs in election.ballots:
        if weight:
            grouped[prefs] = grouped.get(prefs, 0) + weight
    for prefs, weight in grouped.items():
        position = next((i for i, c in enumerate(prefs) if c not in excluded), None)
        if position is None:
            continue  # no valid preference: an invalid ballot, outside the count
        valid += weight
        piles[prefs[position]].append([prefs, position, weight, SCALE])
        totals[prefs[position]] += weight * SCALE
    quota = (valid // (seats + 1) + 1) * SCALE
    history: list[list[int]] = [totals.copy()]
    stages: list[Stage] = []
    tie_breaks: list[str] = []
    pending: list[int] = []  # elected, surplus not transferred yet
    non_transferable = 0
    lost = 0

    def continuing() -> list[int]:
        return [c for c in range(n) if c not in excluded and c not in elected]

    def break_tie(tied: list[int], *, want_highest: bool, what: str) -> int:
        for stage_number, past in enumerate(history, start=1):
            values = {c: past[c] for c in tied}
            best = max(values.values()) if want_highest else min(values.values())
            if len(set(values.values())) > 1:
                winners = [c for c in tied if values[c] == best]
                if len(winners) == 1:
                    tie_breaks.append(
                        f"{what} : égalité départagée par les voix à l'étape {stage_number}."
                    )
                    return winners[0]
                tied = winners
        chosen = rng.choice(sorted(tied))
        tie_breaks.append(
            f"{what} : égalité parfaite à toutes les étapes, départagée par tirage au sort."
        )
        return chosen

    def elect_reached(stage: Stage) -> None:
        reached = [c for c in continuing() if totals[c] >= quota]
        reached.sort(key=lambda c: (-totals[c], c))
        # Equal totals reaching the quota together: the earliest-stage rule orders them.
        ordered: list[int] = []
        while reached:
            top_value = totals[reached[0]]
            tied = [c for c in reached if totals[c] == top_value]
            first = (
                tied[0]
                if len(tied) == 1
                else break_tie(tied, want_highest=True, what="Ordre d'élection")
            )
            ordered.append(first)
            reached.remove(first)
        for c in ordered:
            elected.append(c)
            pending.append(c)
            stage.elected.append(c)

    def transfer(parcels: list[list], numerator: int, denominator: int) -> int:
        """Pass each parcel to its next continuing preference at ``value × numerator ÷
        denominator`` (truncated); returns the value exhausted."""
        exhausted = 0
        skip = set(elected) | excluded
        for prefs, position, weight, value in parcels:
            new_value = value * numerator // denominator
            nxt = next((i for i in range(position + 1, len(prefs)) if prefs[i] not in skip), None)
            if nxt is None:
                exhausted += weight * new_value
                continue
            if new_value == 0:
                continue
            receiver = prefs[nxt]
            piles[receiver].append([prefs, nxt, weight, new_value])
            totals[receiver] += weight * new_value
        return exhausted

    first = Stage(1, "premier-decompte", None, None, [], 0.0, 0.0)
    elect_reached(first)
    first.totals = [_units(t) for t in totals]
    stages.append(first)

    while len(elected) < seats:
        left = continuing()
        if len(left) <= seats - len(elected):
            last = stages[-1]
            for c in sorted(left, key=lambda c: (-totals[c], c)):
                elected.append(c)
                last.elected.append(c)
            break
        stage = Stage(len(stages) + 1, "", None, None, [], 0.0, 0.0)
        surpluses = {c: totals[c] - quota for c in pending if totals[c] > quota}
        if surpluses:
            biggest = max(surpluses.values())
            tied = [c for c in pending if surpluses.get(c) == biggest]
            c = (
                tied[0]
                if len(tied) == 1
                else break_tie(tied, want_highest=True, what="Excédents égaux")
            )
            pending.remove(c)
            surplus, total = surpluses[c], totals[c]
            parcels, piles[c] = piles[c], []
            before = sum(totals[x] for x in range(n) if x != c)
            exhausted = transfer(parcels, surplus, total)
            moved = sum(totals[x] for x in range(n) if x != c) - before
            totals[c] = quota
            non_transferable += exhausted
            lost += surplus - moved - exhausted
            stage.action, stage.candidate = "excedent", c
            stage.transfer_value = _units(surplus * SCALE // total)
        else:
            pending.clear()
            low = min(totals[x] for x in left)
            tied = [x for x in left if totals[x] == low]
            c = (
                tied[0]
                if len(tied) == 1
                else break_tie(tied, want_highest=False, what="Élimination")
            )
            excluded.add(c)
            parcels, piles[c] = piles[c], []
            non_transferable += transfer(parcels, 1, 1)
            totals[c] = 0
            stage.action, stage.candidate = "elimination", c
            stage.excluded.append(c)
        elect_reached(stage)
        stage.totals = [_units(t) for t in totals]
        stage.non_transferable = _units(non_transferable)
        stage.lost_to_fractions = _units(lost)
        history.append(totals.copy())
        stages.append(stage)

    return StvResult(
        elected=elected[:seats],
        quota=_units(quota),
        valid_ballots=valid,
        stages=stages,
        tie_breaks=tie_breaks,
    )
