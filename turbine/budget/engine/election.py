"""Plain data classes describing a participatory-budget election.

An :class:`Election` is what the Pabulib parser returns and what
:func:`~turbine.budget.engine.tally`
consumes.  The Django app can also build one directly from its database rows, without writing a
file::

    election = Election(
        projects=[Project("p1", 30_000, "Jardin partagé"), Project("p2", 12_000, "Bancs")],
        ballots=[["p1"], ["p1", "p2"], ["p2"]],
        budget=40_000,
        ballot_type="approval",
    )

Amounts (costs, budget, points) are kept exact: ``int`` when integral, otherwise
:class:`fractions.Fraction`.  Floats given by a caller are converted through their shortest decimal
representation (``0.1`` becomes ``1/10``), never through their binary value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

from turbine.budget.engine.errors import ElectionError

Amount: TypeAlias = int | Fraction
"""An exact amount: an ``int`` when integral, otherwise a ``Fraction``."""

BallotType: TypeAlias = Literal["approval", "cumulative", "scoring", "ordinal"]

BALLOT_TYPES: tuple[str, ...] = ("approval", "cumulative", "scoring", "ordinal")

ApprovalBallot: TypeAlias = tuple[str, ...]
"""Approved project ids, without duplicates, in the order given (also used for ordinal)."""

PointsBallot: TypeAlias = tuple[tuple[str, Amount], ...]
"""``(project id, points)`` pairs, one per project, in the order given."""

Ballot: TypeAlias = ApprovalBallot | PointsBallot

# A decimal number as written in Pabulib files: digits, optionally a decimal point *or* comma
# (four Warsaw files write "106165,64"), optionally signed.
MAX_AMOUNT_CHARS = 4_000
"""Longest number accepted (in characters): far beyond any real amount, below Python's limit."""

_NUMBER_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_amount(text: str) -> Amount | None:
    """Parse a decimal written with a point or a comma into an exact amount.

    Returns ``None`` when ``text`` is not such a number (the caller words the error, since only it
    knows the line number and the field).
    """
    text = text.strip()
    # Longer numbers are refused before conversion: Python refuses to convert integers of more
    # than 4,300 digits (``sys.get_int_max_str_digits()``), which would be a ``ValueError``.
    if len(text) > MAX_AMOUNT_CHARS or not _NUMBER_RE.match(text):
        return None
    value = Fraction(text.replace(",", "."))
    return value.numerator if value.denominator == 1 else value


def as_amount(value: object, what: str) -> Amount:
    """Convert a caller-supplied number (int, Fraction, Decimal, float, str) to an exact amount.

    Raises :class:`ElectionError` (French message naming ``what``) when it is not a finite number.
    """
    if isinstance(value, bool):
        raise ElectionError(f"{what} : valeur booléenne refusée, un nombre est attendu.")
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else value
    if isinstance(value, Decimal | float):
        if not (value == value) or value in (float("inf"), float("-inf")):
            raise ElectionError(f"{what} : nombre non fini refusé.")
        # str() gives the shortest decimal for floats, so 0.1 stays 1/10.
        return as_amount(
            parse_amount(str(value)) if isinstance(value, float) else Fraction(value), what
        )
    if isinstance(value, str):
        parsed = parse_amount(value)
        if parsed is None:
            raise ElectionError(f"{what} : « {value} » n'est pas un nombre.")
        return parsed
    try:  # e.g. gmpy2.mpq or numpy integers
        return as_amount(Fraction(value), what)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ElectionError(f"{what} : « {value!r} » n'est pas un nombre.") from exc


@dataclass(frozen=True, slots=True)
class Project:
    """A project put to the vote.

    ``id`` is the identifier exactly as written (Pabulib ``project_id``, stripped of surrounding
    spaces); it is what ballots refer to and what ties are broken on (lexicographic order of the
    strings, as pabutools does).  ``extra`` holds the other columns of the Pabulib ``PROJECTS``
    section, as raw strings, so that writing the election back loses nothing.
    """

    id: str
    cost: Amount
    name: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip() or self.id != self.id.strip():
            raise ElectionError(f"Identifiant de projet invalide : « {self.id!r} ».")
        if "," in self.id or ";" in self.id:
            raise ElectionError(
                f"Identifiant de projet invalide : « {self.id} » (virgule ou point-virgule)."
            )
        cost = as_amount(self.cost, f"Coût du projet {self.id}")
        if cost < 0:
            raise ElectionError(f"Coût négatif pour le projet {self.id}.")
        object.__setattr__(self, "cost", cost)


class Election:
    """An election: projects, ballots, budget limit and ballot type.

    Contract:

    * ``projects`` keeps the order given (the file order for a parsed file); ids are unique.
    * ``ballots`` is a list with one entry per voter, duplicates included (two voters casting the
      same ballot count twice, as in pabutools; a repeated ``voter_id`` is not merged either).
      Approval and ordinal ballots are tuples of project ids (a project repeated in one ballot is
      kept once); cumulative and scoring ballots are tuples of ``(project id, points)`` pairs (a
      project repeated in one ballot keeps its last points, as pabutools does).  Empty ballots are
      kept: they count in the number of voters, hence in each voter's share under MES.
    * ``budget`` is the exact budget limit.
    * ``meta`` holds the raw Pabulib ``META`` pairs (may be empty for elections built in code).
    * ``voter_ids`` / ``voter_columns`` / ``voter_rows`` keep the voters' metadata for writing the
      election back; they are optional.
    """

    __slots__ = (
        "projects",
        "ballots",
        "budget",
        "ballot_type",
        "meta",
        "voter_ids",
        "voter_columns",
        "voter_rows",
        "project_columns",
        "_by_id",
        "_compiled",
    )

    def __init__(
        self,
        projects: Iterable[Project],
        ballots: Iterable[Sequence[str] | Mapping[str, object]],
        budget: object,
        ballot_type: str = "approval",
        meta: Mapping[str, str] | None = None,
        voter_ids: Sequence[str] | None = None,
        voter_columns: Sequence[str] = (),
        voter_rows: Sequence[Sequence[str]] | None = None,
        project_columns: Sequence[str] | None = None,
        *,
        _trusted: bool = False,
    ) -> None:
        """Build and validate an election (French :class:`ElectionError` on invalid data).

        ``ballots`` entries are sequences of project ids for approval/ordinal elections, or
        mappings ``{project id: points}`` (or sequences of ``(id, points)`` pairs) for
        cumulative/scoring ones.  ``_trusted`` is for the parser only, which has already
        validated and normalised everything line by line.
        """
        self.projects: tuple[Project, ...] = tuple(projects)
        self.ballot_type: BallotType = ballot_type  # type: ignore[assignment]
        self.meta: dict[str, str] = dict(meta or {})
        self.voter_columns: tuple[str, ...] = tuple(voter_columns)
        if _trusted:  # the parser's own lists, of tuples
            self.voter_ids: list[str] | None = voter_ids  # type: ignore[assignment]
            self.voter_rows: list[tuple[str, ...]] | None = voter_rows  # type: ignore[assignment]
        else:
            self.voter_ids = list(voter_ids) if voter_ids is not None else None
            self.voter_rows = [tuple(r) for r in voter_rows] if voter_rows is not None else None
        self.project_columns: tuple[str, ...] | None = (
            tuple(project_columns) if project_columns is not None else None
        )
        self._by_id: dict[str, Project] = {p.id: p for p in self.projects}
        # The numeric form shared by the rules (compiled.compiled_for), built on first tally.
        self._compiled: tuple | None = None
        if _trusted:
            self.budget: Amount = budget  # type: ignore[assignment]
            self.ballots: list[Ballot] = ballots  # type: ignore[assignment]
            return
        if ballot_type not in BALLOT_TYPES:
            raise ElectionError(
                f"Type de bulletin inconnu : « {ballot_type} » (attendu : "
                + ", ".join(BALLOT_TYPES)
                + ")."
            )
        if len(self._by_id) != len(self.projects):
            seen: set[str] = set()
            for p in self.projects:
                if p.id in seen:
                    raise ElectionError(f"Projet en double : « {p.id} ».")
                seen.add(p.id)
        self.budget = as_amount(budget, "Budget")
        if self.budget < 0:
            raise ElectionError("Le budget ne peut pas être négatif.")
        self.ballots = [self._normalise_ballot(b, i) for i, b in enumerate(ballots)]
        if self.voter_ids is not None and len(self.voter_ids) != len(self.ballots):
            raise ElectionError("Il faut autant d'identifiants de votants que de bulletins.")
        if self.voter_rows is not None and len(self.voter_rows) != len(self.ballots):
            raise ElectionError("Il faut autant de lignes de métadonnées que de bulletins.")

    def _normalise_ballot(self, ballot: Sequence[str] | Mapping[str, object], index: int) -> Ballot:
        """Validate one caller-supplied ballot and return its canonical tuple form."""
        where = f"Bulletin n° {index + 1}"
        if self.ballot_type in ("approval", "ordinal"):
            if isinstance(ballot, Mapping | str):
                raise ElectionError(f"{where} : une liste d'identifiants de projets est attendue.")
            ids: dict[str, None] = {}
            for pid in ballot:
                if pid not in self._by_id:
                    raise ElectionError(f"{where} : projet inconnu « {pid} ».")
                ids[pid] = None
            return tuple(ids)
        items = ballot.items() if isinstance(ballot, Mapping) else ballot
        points: dict[str, Amount] = {}
        for item in items:
            try:
                pid, value = item  # type: ignore[misc]
            except (TypeError, ValueError) as exc:
                raise ElectionError(
                    f"{where} : des paires (projet, points) sont attendues."
                ) from exc
            if pid not in self._by_id:
                raise ElectionError(f"{where} : projet inconnu « {pid} ».")
            amount = as_amount(value, f"{where}, points du projet {pid}")
            if amount < 0 and self.ballot_type == "cumulative":
                raise ElectionError(f"{where} : points négatifs pour le projet {pid}.")
            points[pid] = amount
        return tuple(points.items())

    def project(self, project_id: str) -> Project:
        """Return the project with this id (``KeyError`` if unknown)."""
        return self._by_id[project_id]

    @property
    def num_voters(self) -> int:
        """Number of ballots, empty ones included."""
        return len(self.ballots)

    def __repr__(self) -> str:
        return (
            f"Election({self.ballot_type}, {len(self.projects)} projets, "
            f"{len(self.ballots)} bulletins, budget={self.budget})"
        )
