"""The label's scoring engine, without Django: the rules of Territoires en Transitions (ADEME's
open-source platform, MIT licence, ``apps/backend/src/referentiels/compute-score/``), written
again in Python.

- A leaf's status is fait, programmé, pas fait, détaillé (shares of the three that sum to 1)
  or non concerné; a leaf without status is non renseigné.
- Non concerné passes from a node to all its descendants, and a parent is non concerné when
  all its children are.
- Bottom-up, the potential of the non-concerned children of a concerned node is shared equally
  among its concerned children of positive potential (each one's subtree scaled by the same
  factor), so the parent's potential is the sum of its concerned children's.
- Points: a concerned leaf gives its potential to fait / programmé / pas fait by its status (or
  all to non renseigné); parents sum their children; non-concerned nodes score zero.
- Shares are the points divided by the potential, rounded to three digits.

Arithmetic is exact (``Fraction``): rounding happens only in ``NodeScore.as_dict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

DONE = "fait"
PLANNED = "programme"
NOT_DONE = "pas-fait"
NOT_CONCERNED = "non-concerne"
DETAILED = "detaille"
STATUSES = (DONE, PLANNED, NOT_DONE, NOT_CONCERNED, DETAILED)
DIGITS = 3


class ScoringError(ValueError):
    """The referential or the statuses cannot be scored (French message)."""


@dataclass(frozen=True)
class Status:
    status: str
    # Only for DETAILED: shares of fait, programmé, pas fait, summing to 1.
    shares: tuple[Fraction, Fraction, Fraction] | None = None

    @classmethod
    def detailed(cls, done: object, planned: object, not_done: object) -> Status:
        shares = (Fraction(str(done)), Fraction(str(planned)), Fraction(str(not_done)))
        if any(s < 0 or s > 1 for s in shares) or sum(shares) != 1:
            raise ScoringError(
                "Les parts « fait », « programmé » et « pas fait » doivent être comprises entre "
                "0 et 100 % et totaliser 100 %."
            )
        return cls(DETAILED, shares)


@dataclass
class Node:
    key: str
    points: Fraction
    children: list[Node] = field(default_factory=list)


@dataclass
class NodeScore:
    key: str
    points: Fraction
    potential: Fraction
    done: Fraction
    planned: Fraction
    not_done: Fraction
    not_filled: Fraction
    concerned: bool

    def share(self, value: Fraction) -> Fraction:
        return value / self.potential if self.potential else Fraction(0)

    @property
    def done_share(self) -> Fraction:
        return self.share(self.done)

    def as_dict(self) -> dict[str, object]:
        return {
            "points": _round(self.points),
            "potentiel": _round(self.potential),
            "fait": _round(self.done),
            "programme": _round(self.planned),
            "pas_fait": _round(self.not_done),
            "non_renseigne": _round(self.not_filled),
            "part_fait": _round(self.share(self.done)),
            "part_programme": _round(self.share(self.planned)),
            "part_pas_fait": _round(self.share(self.not_done)),
            "part_non_renseigne": _round(self.share(self.not_filled)),
            "concerne": self.concerned,
        }


def _round(value: Fraction) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-DIGITS), rounding=ROUND_HALF_UP))


ROOT = ""


def build_tree(rows: Iterable[tuple[str, str | None, object]]) -> Node:
    """A tree from (key, parent key or None, points) rows, under a virtual root (key "")."""
    nodes: dict[str, Node] = {}
    parents: list[tuple[str, str | None]] = []
    for key, parent, points in rows:
        if key in nodes:
            raise ScoringError(f"Le numéro « {key} » apparaît deux fois.")
        value = Fraction(str(points))
        if value < 0:
            raise ScoringError(f"Les points de « {key} » ne peuvent pas être négatifs.")
        nodes[key] = Node(key, value)
        parents.append((key, parent))
    root = Node(ROOT, Fraction(0))
    for key, parent in parents:
        if parent is None:
            root.children.append(nodes[key])
        elif parent in nodes:
            nodes[parent].children.append(nodes[key])
        else:
            raise ScoringError(f"Le parent « {parent} » de « {key} » n'existe pas.")
    root.points = sum((child.points for child in root.children), Fraction(0))
    return root


def compute(root: Node, statuses: Mapping[str, Status]) -> dict[str, NodeScore]:
    """Scores of every node of ``root`` (the root's under key "") for these statuses."""
    concerned: dict[str, bool] = {}
    _mark_concerned(root, statuses, True, concerned)
    potential: dict[str, Fraction] = {}
    _initial_potential(root, potential)
    _redistribute(root, concerned, potential)
    scores: dict[str, NodeScore] = {}
    _score(root, statuses, concerned, potential, scores)
    return scores


def _mark_concerned(
    node: Node, statuses: Mapping[str, Status], parent_concerned: bool, out: dict[str, bool]
) -> bool:
    status = statuses.get(node.key)
    here = parent_concerned and not (status is not None and status.status == NOT_CONCERNED)
    children = [_mark_concerned(child, statuses, here, out) for child in node.children]
    if children and not any(children):
        here = False
    out[node.key] = here
    return here


def _initial_potential(node: Node, out: dict[str, Fraction]) -> None:
    out[node.key] = node.points
    for child in node.children:
        _initial_potential(child, out)


def _scale(node: Node, factor: Fraction, potential: dict[str, Fraction]) -> None:
    potential[node.key] *= factor
    for child in node.children:
        _scale(child, factor, potential)


def _redistribute(
    node: Node, concerned: Mapping[str, bool], potential: dict[str, Fraction]
) -> None:
    for child in node.children:
        _redistribute(child, concerned, potential)
    if not concerned[node.key] or not node.children:
        return
    receivers = [c for c in node.children if concerned[c.key] and potential[c.key] > 0]
    if receivers:
        freed = sum((potential[c.key] for c in node.children if not concerned[c.key]), Fraction(0))
        each = freed / len(receivers)
        for child in receivers:
            _scale(child, (potential[child.key] + each) / potential[child.key], potential)
    potential[node.key] = sum(
        (potential[c.key] for c in node.children if concerned[c.key]), Fraction(0)
    )


def _score(
    node: Node,
    statuses: Mapping[str, Status],
    concerned: Mapping[str, bool],
    potential: Mapping[str, Fraction],
    out: dict[str, NodeScore],
) -> NodeScore:
    zero = Fraction(0)
    for child in node.children:
        _score(child, statuses, concerned, potential, out)
    if not concerned[node.key]:
        score = NodeScore(node.key, node.points, zero, zero, zero, zero, zero, False)
    elif not node.children:
        pot = potential[node.key]
        status = statuses.get(node.key)
        done = planned = not_done = not_filled = zero
        if status is None:
            not_filled = pot
        elif status.status == DONE:
            done = pot
        elif status.status == PLANNED:
            planned = pot
        elif status.status == NOT_DONE:
            not_done = pot
        elif status.status == DETAILED and status.shares is not None:
            done, planned, not_done = (share * pot for share in status.shares)
        else:
            not_filled = pot
        score = NodeScore(node.key, node.points, pot, done, planned, not_done, not_filled, True)
    else:
        kids = [out[c.key] for c in node.children]
        score = NodeScore(
            node.key,
            node.points,
            potential[node.key],
            sum((k.done for k in kids), zero),
            sum((k.planned for k in kids), zero),
            sum((k.not_done for k in kids), zero),
            sum((k.not_filled for k in kids), zero),
            True,
        )
    out[node.key] = score
    return score


@dataclass(frozen=True)
class LevelRule:
    stars: int
    min_done_share: Fraction
    # Minimum done share required on chosen nodes, by key.
    requirements: Sequence[tuple[str, Fraction]] = ()


DEFAULT_LEVELS = (
    LevelRule(1, Fraction(0)),
    LevelRule(2, Fraction(35, 100)),
    LevelRule(3, Fraction(50, 100)),
    LevelRule(4, Fraction(65, 100)),
    LevelRule(5, Fraction(75, 100)),
)


def level_reached(scores: Mapping[str, NodeScore], levels: Iterable[LevelRule]) -> int | None:
    """The highest level whose fait threshold on the whole referential and whose requirements
    are met, or None when not even the first is."""
    root = scores[ROOT]
    reached = None
    for level in sorted(levels, key=lambda lv: lv.stars):
        if root.done_share < level.min_done_share:
            break
        if any(
            key not in scores or scores[key].done_share < minimum
            for key, minimum in level.requirements
        ):
            break
        reached = level.stars
    return reached
