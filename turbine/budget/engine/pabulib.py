"""Reader and writer of the Pabulib ``.pb`` format.

A ``.pb`` file has three sections, in this order, each introduced by a line holding only its name
and followed by a header line: ``META`` (``key;value`` pairs, ``budget`` and ``vote_type`` being
mandatory), ``PROJECTS`` (``project_id;cost;...``) and ``VOTES`` (``voter_id;vote;...``, plus
``points`` for cumulative and scoring ballots).  Fields are ``;``-separated with the usual CSV
quoting (``"..."``, doubled quotes inside), lists inside a field are ``,``-separated.

Differences with pabutools 1.2.3's parser, all on purpose:

* every malformed input raises :class:`~turbine.budget.engine.errors.PabulibError` with a French
  message naming the line, instead of a ``KeyError``/``IndexError`` traceback;
* amounts written with a decimal comma (``budget;106165,64``, in four Warsaw files) are read
  exactly, including in the optional META limits (pabutools chokes on ``max_sum_cost``);
* a file holding several elections (several ``META`` sections) is rejected instead of having its
  elections silently merged;
* ids inside a ``vote`` field are stripped of surrounding spaces.

What is kept identical, because the tally must match pabutools: ids are the ``project_id`` cells
stripped of spaces, every vote row is a voter (repeated ``voter_id`` included), an approval ballot
is a set (a repeated id counts once), a cumulative ballot is a mapping (a repeated id keeps its last
points), a cumulative row without ``points`` is an empty ballot, ``choose-1`` is read as
``approval``.  ``min_length``/``max_length`` and the other META limits are kept as metadata only:
pabutools does not enforce them on ballots either.
"""

from __future__ import annotations

import csv
import gc
import io
import operator
import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

from turbine.budget.engine.election import (
    MAX_AMOUNT_CHARS,
    Amount,
    Ballot,
    Election,
    Project,
    parse_amount,
)
from turbine.budget.engine.errors import ElectionError, PabulibError

_SECTIONS = ("meta", "projects", "votes")
_SECTION_INITIALS = frozenset(" \tmMpPvV")  # how a section name line can start
_INT_META = ("min_length", "max_length", "num_projects", "num_votes")
_AMOUNT_META = (
    "budget",
    "min_sum_cost",
    "max_sum_cost",
    "min_points",
    "max_points",
    "min_sum_points",
    "max_sum_points",
)
_VOTE_TYPES = {
    "approval": "approval",
    "choose-1": "approval",
    "cumulative": "cumulative",
    "scoring": "scoring",
    "ordinal": "ordinal",
}


def parse_pabulib(source: str | os.PathLike[str]) -> Election:
    """Parse a Pabulib election given either as its text or as a path to a ``.pb`` file.

    A ``str`` holding a line break is taken as the file's content, any other ``str`` or a
    ``PathLike`` as a path.  Raises :class:`PabulibError` (French message with the line number)
    when the content is malformed, or when the file cannot be read.
    """
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        return parse_pabulib_text(source)
    return parse_pabulib_file(source)


def parse_pabulib_file(path: str | os.PathLike[str]) -> Election:
    """Read and parse a ``.pb`` file (UTF-8, with or without BOM)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PabulibError(f"Impossible de lire le fichier « {path} » ({exc.strerror}).") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PabulibError("Le fichier n'est pas encodé en UTF-8.", line) from exc
    return parse_pabulib_text(text)


def _rows(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, cells)``; a CSV error becomes a :class:`PabulibError`."""
    reader = csv.reader(lines, delimiter=";")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise PabulibError(f"Ligne illisible ({exc}).", reader.line_num) from exc
        yield reader.line_num, row


def parse_pabulib_text(text: str) -> Election:
    """Parse the content of a ``.pb`` file (see the module docstring for the accepted format)."""
    # A file makes one object per voter and none refers to itself: the cyclic garbage
    # collector's passes over them (and over everything else the process holds, a whole
    # Django site for pb_tally) are pure loss — up to half the time on 130,000 voters.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse_text(text)
    finally:
        if enabled:
            gc.enable()


def _parse_text(text: str) -> Election:
    if text.startswith("\ufeff"):
        text = text[1:]
    # splitlines() like pabutools; physical line numbers agree as long as the file holds no
    # exotic line separator (checked on the 60 shared Pabulib files).
    lines = text.splitlines()
    rows = _rows(lines)

    section: str | None = None
    seen: dict[str, int] = {}
    header: list[str] = []
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: list[Project] = []
    project_index: dict[str, int] = {}
    project_columns: list[str] = []
    vote_type: str | None = None
    ballots: list[Ballot] = []
    voter_ids: list[str] = []
    voter_rows: list[tuple[str, ...]] = []
    voter_columns: list[str] = []
    vote_col = points_col = id_col = -1
    other_cols: list[int] = []
    cache: dict[tuple[str, str], Ballot] = {}
    n_header = 0

    for lineno, row in rows:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if first in _SECTIONS and all(not c.strip() for c in row[1:]):
            if first in seen:
                if first == "meta":
                    raise PabulibError(
                        "Deuxième section META : ce fichier contient plusieurs élections "
                        "(une seule élection par fichier est acceptée).",
                        lineno,
                    )
                raise PabulibError(f"Section {first.upper()} en double.", lineno)
            expected = _SECTIONS[len(seen)]
            if first != expected:
                raise PabulibError(
                    f"Section {first.upper()} inattendue : la section {expected.upper()} "
                    "doit venir avant.",
                    lineno,
                )
            seen[first] = lineno
            section = first
            try:
                hline, header = next(rows)
            except StopIteration:
                raise PabulibError(
                    f"Ligne d'en-tête manquante après la section {first.upper()}.", lineno + 1
                ) from None
            header = [h.strip() for h in header]
            n_header = len(header)
            if section == "projects":
                if n_header < 2 or "cost" not in header:
                    raise PabulibError(
                        "En-tête PROJECTS invalide : les colonnes project_id et cost sont "
                        "attendues.",
                        hline,
                    )
                project_columns = header
                vote_type = _check_meta(meta, meta_lines, hline)
            elif section == "votes":
                if "vote" not in header:
                    raise PabulibError("En-tête VOTES invalide : colonne vote manquante.", hline)
                vote_col = header.index("vote")
                points_col = header.index("points") if "points" in header else -1
                id_col = header.index("voter_id") if "voter_id" in header else -1
                other_cols = [
                    i for i, h in enumerate(header) if h not in ("vote", "points", "voter_id")
                ]
                voter_columns = [header[i] for i in other_cols]
                # The common case, no quote (nor NUL) in the votes: the rows are the lines
                # split on ";", read by _read_votes (the same rules, much faster).
                rest = lines[hline:]
                joined = "\n".join(rest)
                if '"' not in joined and "\0" not in joined:
                    _read_votes(
                        rest, hline, n_header, vote_col, points_col, id_col, other_cols,
                        vote_type or "", project_index, ballots, voter_ids, voter_rows,
                    )  # fmt: skip
                    break
            continue
        if section is None:
            raise PabulibError("Contenu avant la section META.", lineno)
        if len(row) > n_header:
            raise PabulibError(
                f"{len(row)} champs alors que l'en-tête de la section {section.upper()} "
                f"en annonce {n_header}.",
                lineno,
            )
        if section == "meta":
            if len(row) < 2:
                raise PabulibError("Ligne META sans valeur (format attendu : clé;valeur).", lineno)
            key = row[0].strip()
            meta[key] = row[1].strip()
            meta_lines[key] = lineno
        elif section == "projects":
            values = {header[i]: row[i].strip() for i in range(len(row))}
            pid = row[0].strip()
            if not pid:
                raise PabulibError("Identifiant de projet vide.", lineno)
            if pid in project_index:
                raise PabulibError(f"Projet « {pid} » déclaré deux fois.", lineno)
            cost_text = values.get("cost", "")
            cost = parse_amount(cost_text)
            if cost is None:
                raise PabulibError(
                    f"Coût invalide pour le projet « {pid} » : « {cost_text} ».", lineno
                )
            if cost < 0:
                raise PabulibError(f"Coût négatif pour le projet « {pid} ».", lineno)
            extra = {k: v for k, v in values.items() if k not in (header[0], "cost", "name")}
            try:
                project = Project(pid, cost, values.get("name", ""), extra)
            except ElectionError as exc:
                raise PabulibError(str(exc), lineno) from exc
            project_index[pid] = len(projects)
            projects.append(project)
        else:  # votes
            n = len(row)
            vote = row[vote_col].strip() if vote_col < n else ""
            points = row[points_col].strip() if 0 <= points_col < n else ""
            key = (vote, points)
            ballot = cache.get(key)
            if ballot is None:
                ballot = _parse_vote(vote, points, vote_type or "", project_index, lineno)
                cache[key] = ballot
            ballots.append(ballot)
            voter_ids.append(row[id_col].strip() if 0 <= id_col < n else "")
            voter_rows.append(tuple(row[i].strip() if i < n else "" for i in other_cols))

    end = len(lines)
    for name in _SECTIONS:
        if name not in seen:
            raise PabulibError(f"Section {name.upper()} manquante.", end)
    assert vote_type is not None  # set when the PROJECTS header was read
    budget = parse_amount(meta["budget"])
    assert budget is not None  # checked by _check_meta
    return Election(
        projects,
        ballots,
        budget,
        vote_type,
        meta=meta,
        voter_ids=voter_ids,
        voter_columns=voter_columns,
        voter_rows=voter_rows,
        project_columns=project_columns,
        _trusted=True,
    )


def _read_votes(
    lines: list[str],
    offset: int,
    n_header: int,
    vote_col: int,
    points_col: int,
    id_col: int,
    other_cols: list[int],
    vote_type: str,
    project_index: dict[str, int],
    ballots: list[Ballot],
    voter_ids: list[str],
    voter_rows: list[tuple[str, ...]],
) -> None:
    """The VOTES rows of ``lines`` (the lines after the VOTES header, none holding a quote or
    a NUL, so that a row is its line split on ``;``), read as the main loop of
    :func:`parse_pabulib_text` reads them; ``offset`` is the number of lines before them."""
    cache: dict[tuple[str, str], Ballot] = {}
    if len(other_cols) > 1:
        pick = operator.itemgetter(*other_cols)

        def others(row: list[str]) -> tuple[str, ...]:
            return tuple(map(str.strip, pick(row)))

    elif other_cols:
        only = other_cols[0]

        def others(row: list[str]) -> tuple[str, ...]:
            return (row[only].strip(),)

    else:

        def others(row: list[str]) -> tuple[str, ...]:
            return ()

    add_ballot, add_id, add_row = ballots.append, voter_ids.append, voter_rows.append
    for index, line in enumerate(lines, start=offset + 1):
        row = line.split(";")
        n = len(row)
        head = row[0]
        if n == 1 and not head.strip():
            continue
        if head[:1] in _SECTION_INITIALS and head.strip().lower() in _SECTIONS:
            first = head.strip().lower()
            if all(not c.strip() for c in row[1:]):
                if first == "meta":
                    raise PabulibError(
                        "Deuxième section META : ce fichier contient plusieurs élections "
                        "(une seule élection par fichier est acceptée).",
                        index,
                    )
                raise PabulibError(f"Section {first.upper()} en double.", index)
        if n > n_header:
            raise PabulibError(
                f"{n} champs alors que l'en-tête de la section VOTES en annonce {n_header}.",
                index,
            )
        vote = row[vote_col].strip() if vote_col < n else ""
        points = row[points_col].strip() if 0 <= points_col < n else ""
        key = (vote, points)
        ballot = cache.get(key)
        if ballot is None:
            ballot = _parse_vote(vote, points, vote_type, project_index, index)
            cache[key] = ballot
        add_ballot(ballot)
        add_id(row[id_col].strip() if 0 <= id_col < n else "")
        if n == n_header:
            add_row(others(row))
        else:
            add_row(tuple(row[i].strip() if i < n else "" for i in other_cols))


def _check_meta(meta: dict[str, str], meta_lines: dict[str, int], projects_line: int) -> str:
    """Validate the META section once it is complete; return the normalised vote type."""
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(
                f"Clé « {key} » manquante dans la section META (constaté en arrivant à la "
                "section PROJECTS).",
                projects_line,
            )
    if meta["budget"].lower() == "none":
        raise PabulibError(
            "Le budget doit être un nombre (« none » n'est pas accepté pour « budget »).",
            meta_lines["budget"],
        )
    for key in _AMOUNT_META:
        if key in meta and meta[key].lower() != "none":
            value = parse_amount(meta[key])
            if value is None:
                raise PabulibError(
                    f"Valeur numérique invalide pour « {key} » : « {meta[key]} ».",
                    meta_lines[key],
                )
            if key == "budget" and value < 0:
                raise PabulibError("Le budget ne peut pas être négatif.", meta_lines[key])
    for key in _INT_META:
        if (
            key in meta
            and meta[key].lower() != "none"
            and not (meta[key].isdigit() and len(meta[key]) <= MAX_AMOUNT_CHARS)
        ):
            raise PabulibError(
                f"Nombre entier attendu pour « {key} » : « {meta[key]} ».", meta_lines[key]
            )
    vote_type = _VOTE_TYPES.get(meta["vote_type"].lower())
    if vote_type is None:
        raise PabulibError(
            f"Type de vote « {meta['vote_type']} » non pris en charge (attendu : approval, "
            "choose-1, cumulative, scoring ou ordinal).",
            meta_lines["vote_type"],
        )
    return vote_type


def _parse_vote(
    vote: str, points: str, vote_type: str, project_index: dict[str, int], lineno: int
) -> Ballot:
    """Parse the ``vote`` (and ``points``) cells of one VOTES row into a canonical ballot."""
    if vote.lower() == "none":
        vote = ""
    ids = [t.strip() for t in vote.split(",")] if vote else []
    for pid in ids:
        if pid and pid not in project_index:
            raise PabulibError(f"Vote pour un projet inconnu : « {pid} ».", lineno)
    if vote_type in ("approval", "ordinal"):
        return tuple(dict.fromkeys(pid for pid in ids if pid))
    # Cumulative / scoring: pabutools reads a row without points as an empty ballot.
    if not points or points.lower() == "none":
        return ()
    texts = points.split(",")
    if len(texts) != len(ids):
        raise PabulibError(
            f"{len(ids)} projets dans « vote » mais {len(texts)} valeurs dans « points ».", lineno
        )
    result: dict[str, Amount] = {}
    for pid, text in zip(ids, texts, strict=True):
        if not pid:
            raise PabulibError("Identifiant de projet vide dans « vote ».", lineno)
        value = parse_amount(text)
        if value is None:
            raise PabulibError(f"Points invalides : « {text.strip()} ».", lineno)
        if value < 0 and vote_type == "cumulative":
            raise PabulibError(f"Points négatifs : « {text.strip()} ».", lineno)
        result[pid] = value
    return tuple(result.items())


def format_amount(value: Amount) -> str:
    """Write an exact amount as a Pabulib decimal (point separator).

    Raises :class:`ElectionError` when the amount has no finite decimal expansion (e.g. 1/3),
    which the format cannot represent.
    """
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    digits = 0
    for p in (2, 5):
        k = 0
        while den % p == 0:
            den //= p
            k += 1
        digits = max(digits, k)
    if den != 1:
        raise ElectionError(f"Le montant {value} n'a pas d'écriture décimale finie.")
    scaled = abs(value.numerator) * (10**digits // value.denominator)
    sign = "-" if value < 0 else ""
    text = str(scaled).rjust(digits + 1, "0")
    return f"{sign}{text[:-digits]}.{text[-digits:]}"


def write_pabulib(election: Election, path: str | os.PathLike[str] | None = None) -> str:
    """Serialise ``election`` in the Pabulib format; also write it to ``path`` when given.

    ``budget``, ``vote_type``, ``num_projects`` and ``num_votes`` in META are refreshed from the
    election; amounts use a decimal point.  Reading the result with :func:`parse_pabulib` gives an
    equal election (same projects, costs, budget, ballots and metadata).
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    meta = dict(election.meta)
    meta["num_projects"] = str(len(election.projects))
    meta["num_votes"] = str(len(election.ballots))
    meta["budget"] = format_amount(election.budget)
    if _VOTE_TYPES.get(meta.get("vote_type", "").lower()) != election.ballot_type:
        meta["vote_type"] = election.ballot_type
    out.write("META\n")
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])

    columns = list(election.project_columns or ["project_id", "cost", "name"])
    for p in election.projects:
        for key in p.extra:
            if key not in columns:
                columns.append(key)
    out.write("PROJECTS\n")
    writer.writerow(columns)
    for p in election.projects:
        cells = []
        for i, col in enumerate(columns):
            if i == 0:
                cells.append(p.id)
            elif col == "cost":
                cells.append(format_amount(p.cost))
            elif col == "name":
                cells.append(p.name)
            else:
                cells.append(p.extra.get(col, ""))
        writer.writerow(cells)

    with_points = election.ballot_type in ("cumulative", "scoring")
    out.write("VOTES\n")
    header = ["voter_id", "vote"] + (["points"] if with_points else [])
    writer.writerow(header + list(election.voter_columns))
    ids = election.voter_ids
    rows = election.voter_rows
    for i, ballot in enumerate(election.ballots):
        voter_id = ids[i] if ids is not None and ids[i] else str(i + 1)
        if with_points:
            pairs = ballot
            cells = [
                voter_id,
                ",".join(pid for pid, _ in pairs),  # type: ignore[misc]
                ",".join(format_amount(v) for _, v in pairs),  # type: ignore[misc]
            ]
        else:
            cells = [voter_id, ",".join(ballot)]  # type: ignore[arg-type]
        if rows is not None:
            cells.extend(rows[i])
        writer.writerow(cells)
    text = out.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
