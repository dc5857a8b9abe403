"""The BLT ballot format (OpenSTV, OpaVote, the Scottish councils' published ballots)::

    4 2            candidates, seats
    -4             optional: withdrawn candidates, negative
    3 1 3 0        weight, preferences (numbered from 1), 0
    ...
    0              end of the ballots
    "Adam"         one name a line, quoted
    ...
    "Title"

Errors are :class:`BltError` with a French message naming the line.
"""

from __future__ import annotations

import re

from turbine.steering.engine.stv import CountError, Election

MAX_CANDIDATES = 1000


class BltError(ValueError):
    """A malformed BLT file (French message naming the line)."""


def _ints(text: str, number: int) -> list[int]:
    try:
        return [int(part) for part in text.split()]
    except ValueError:
        raise BltError(
            f"Ligne {number} : des nombres entiers sont attendus, lu « {text[:60]} »."
        ) from None


def parse_blt(text: str) -> Election:
    if "\x00" in text:
        raise BltError("Le fichier contient un caractère nul : ce n'est pas un fichier BLT.")
    lines = [(i + 1, line.strip()) for i, line in enumerate(text.splitlines())]
    lines = [(i, line) for i, line in lines if line and not line.startswith("#")]
    if not lines:
        raise BltError("Ligne 1 : le fichier est vide.")
    number, head = lines[0]
    header = _ints(head, number)
    if len(header) != 2 or header[0] < 1 or header[1] < 1:
        raise BltError(
            f"Ligne {number} : la première ligne doit donner le nombre de candidats et de sièges."
        )
    n, seats = header
    if n > MAX_CANDIDATES:
        raise BltError(
            f"Ligne {number} : plus de {MAX_CANDIDATES} candidats, ce n'est pas pris en charge."
        )
    if seats > n:
        raise BltError(f"Ligne {number} : plus de sièges ({seats}) que de candidats ({n}).")
    index = 1
    withdrawn: set[int] = set()
    if index < len(lines) and lines[index][1].startswith("-"):
        number, line = lines[index]
        for value in _ints(line, number):
            if value >= 0 or -value > n:
                raise BltError(f"Ligne {number} : candidat retiré inconnu ({value}).")
            withdrawn.add(-value - 1)
        index += 1
    ballots: list[tuple[int, tuple[int, ...]]] = []
    while True:
        if index >= len(lines):
            raise BltError(f"Ligne {lines[-1][0]} : la fin des bulletins (une ligne « 0 ») manque.")
        number, line = lines[index]
        index += 1
        if line.startswith("("):
            line = re.sub(r"^\([^)]*\)\s*", "", line)  # an optional ballot id
        if "=" in line:
            raise BltError(
                f"Ligne {number} : les égalités de rang (« = ») ne sont pas prises en charge."
            )
        values = _ints(line, number)
        if values == [0]:
            break
        if len(values) < 2 or values[-1] != 0:
            raise BltError(f"Ligne {number} : un bulletin doit finir par 0.")
        weight, prefs = values[0], values[1:-1]
        if weight < 0:
            raise BltError(f"Ligne {number} : le poids du bulletin ne peut pas être négatif.")
        for c in prefs:
            if not 1 <= c <= n:
                raise BltError(f"Ligne {number} : candidat {c} inconnu (il y en a {n}).")
        if len(set(prefs)) != len(prefs):
            raise BltError(f"Ligne {number} : le même candidat est classé deux fois.")
        ballots.append((weight, tuple(c - 1 for c in prefs)))
    names = []
    for _ in range(n):
        if index >= len(lines):
            raise BltError(
                f"Ligne {lines[-1][0]} : il manque des noms de candidats ({len(names)} sur {n})."
            )
        number, line = lines[index]
        index += 1
        if not (len(line) >= 2 and line[0] == '"' and line[-1] == '"'):
            raise BltError(f"Ligne {number} : un nom de candidat entre guillemets est attendu.")
        names.append(line[1:-1])
    title = ""
    if index < len(lines):
        title = lines[index][1].strip('"')
    try:
        return Election(
            candidates=names,
            seats=seats,
            ballots=ballots,
            withdrawn=frozenset(withdrawn),
            title=title,
        )
    except CountError as exc:
        raise BltError(str(exc)) from None


def write_blt(election: Election) -> str:
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(" ".join(str(-(c + 1)) for c in sorted(election.withdrawn)))
    for weight, prefs in election.ballots:
        out.append(" ".join([str(weight), *(str(c + 1) for c in prefs), "0"]))
    out.append("0")
    out += ['"' + name.replace('"', "'") + '"' for name in election.candidates]
    out.append('"' + election.title.replace('"', "'") + '"')
    return "\n".join(out) + "\n"
