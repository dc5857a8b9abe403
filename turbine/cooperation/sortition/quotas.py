"""Quotas and pools in the Sortition Foundation's CSV formats, and the pool grouped by profile.

Categories file: a header ``category,feature,min,max`` (``name`` is accepted for ``feature``,
other columns are ignored), then one row per value of a category with its minimum and maximum
number of panel members. Respondents file: one row per person, one column per category (other
columns such as an identifier or a name are ignored), each cell one of the category's values.

People with the same value in every category are interchangeable for the draw: LEXIMIN gives them
the same probability (its vector of probabilities is unique and symmetric), so the solvers work on
*profiles* (:class:`Pool`), groups of identical people, which keeps the programs small for large
pools.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from turbine.cooperation.sortition.errors import CsvError, SortitionError


@dataclass(frozen=True)
class Quota:
    category: str
    feature: str
    min: int
    max: int


@dataclass
class Quotas:
    """Quotas by category, in the file's order: ``categories[category][feature] = Quota``."""

    categories: dict[str, dict[str, Quota]] = field(default_factory=dict)

    def all(self) -> list[Quota]:
        return [quota for features in self.categories.values() for quota in features.values()]


@dataclass
class Pool:
    """The respondents grouped by profile.

    ``profiles[t]`` is the tuple of feature values of profile ``t`` (in ``quotas`` category
    order), ``members[t]`` the 0-based respondent indices that have it, ``sizes[t]`` their count;
    ``incidence`` is the (quota × profile) 0/1 matrix, quotas in :meth:`Quotas.all` order.
    """

    quotas: Quotas
    people: list[tuple[str, ...]]
    profiles: list[tuple[str, ...]]
    members: list[list[int]]
    sizes: np.ndarray
    incidence: np.ndarray
    person_profile: np.ndarray

    @property
    def size(self) -> int:
        return len(self.people)

    def person_probabilities(self, profile_probabilities: np.ndarray) -> np.ndarray:
        return np.asarray(profile_probabilities, dtype=float)[self.person_profile]


def _text(source: str | Path) -> str:
    if isinstance(source, Path):
        try:
            return source.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise SortitionError(f"fichier illisible : {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise SortitionError("le fichier n'est pas en UTF-8.") from None
    return source.removeprefix("\ufeff")


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty rows with their line number in the file (1-based)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, [cell.strip() for cell in row]))
    except csv.Error as error:
        raise CsvError(f"CSV mal formé ({error}).", line=reader.line_num) from None
    return rows


def _count(value: str, *, column: str, line: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CsvError(
            f"la colonne « {column} » doit être un nombre entier, pas « {value} ».", line=line
        ) from None
    if number < 0:
        raise CsvError(f"la colonne « {column} » ne peut pas être négative ({number}).", line=line)
    return number


def parse_categories(source: str | Path) -> Quotas:
    """Quotas from a ``category,feature,min,max`` file (a :class:`Path`) or its text."""
    rows = _rows(_text(source))
    if not rows:
        raise CsvError("le fichier des catégories est vide.", line=1)
    header_line, header = rows[0]
    names = [cell.lower() for cell in header]
    if "feature" not in names and "name" in names:
        names[names.index("name")] = "feature"
    missing = [name for name in ("category", "feature", "min", "max") if name not in names]
    if missing:
        raise CsvError(
            "l'en-tête doit contenir les colonnes category, feature, min et max ; il manque "
            + ", ".join(missing)
            + ".",
            line=header_line,
        )
    column = {name: names.index(name) for name in ("category", "feature", "min", "max")}
    quotas = Quotas()
    for line, row in rows[1:]:
        if len(row) < len(header):
            raise CsvError(
                f"{len(row)} colonnes au lieu des {len(header)} de l'en-tête.", line=line
            )
        category, feature = row[column["category"]], row[column["feature"]]
        if not category or not feature:
            raise CsvError("la catégorie et la valeur doivent être renseignées.", line=line)
        low = _count(row[column["min"]], column="min", line=line)
        high = _count(row[column["max"]], column="max", line=line)
        if low > high:
            raise CsvError(
                f"le minimum ({low}) dépasse le maximum ({high}) pour « {category} » = "
                f"« {feature} ».",
                line=line,
            )
        features = quotas.categories.setdefault(category, {})
        if feature in features:
            raise CsvError(
                f"la valeur « {feature} » de la catégorie « {category} » est déjà définie.",
                line=line,
            )
        features[feature] = Quota(category, feature, low, high)
    if not quotas.categories:
        raise CsvError("aucune catégorie après l'en-tête.", line=header_line)
    return quotas


def parse_respondents(source: str | Path, quotas: Quotas) -> list[tuple[str, ...]]:
    """Each respondent's values, in ``quotas`` category order, in the file's row order."""
    rows = _rows(_text(source))
    if not rows:
        raise CsvError("le fichier des répondants est vide.", line=1)
    header_line, header = rows[0]
    lowered = [cell.lower() for cell in header]
    columns = []
    for category in quotas.categories:
        if category.lower() not in lowered:
            raise CsvError(
                f"l'en-tête n'a pas de colonne « {category} » (catégorie des quotas).",
                line=header_line,
            )
        columns.append(lowered.index(category.lower()))
    people = []
    for line, row in rows[1:]:
        if len(row) < len(header):
            raise CsvError(
                f"{len(row)} colonnes au lieu des {len(header)} de l'en-tête.", line=line
            )
        values = []
        for category, index in zip(quotas.categories, columns, strict=True):
            value = row[index]
            if value not in quotas.categories[category]:
                known = ", ".join(f"« {name} »" for name in quotas.categories[category])
                raise CsvError(
                    f"« {value} » n'est pas une valeur de la catégorie « {category} » "
                    f"(valeurs possibles : {known}).",
                    line=line,
                )
            values.append(value)
        people.append(tuple(values))
    if not people:
        raise CsvError("aucun répondant après l'en-tête.", line=header_line)
    return people


def build_pool(quotas: Quotas, people: list[tuple[str, ...]]) -> Pool:
    """Groups ``people`` (values in ``quotas`` category order) by profile."""
    index: dict[tuple[str, ...], int] = {}
    members: list[list[int]] = []
    person_profile = np.empty(len(people), dtype=np.int64)
    for person, values in enumerate(people):
        profile = index.setdefault(values, len(index))
        if profile == len(members):
            members.append([])
        members[profile].append(person)
        person_profile[person] = profile
    profiles = list(index)
    rows = quotas.all()
    position = {(quota.category, quota.feature): row for row, quota in enumerate(rows)}
    incidence = np.zeros((len(rows), len(profiles)))
    for t, profile in enumerate(profiles):
        for category, value in zip(quotas.categories, profile, strict=True):
            incidence[position[category, value], t] = 1.0
    return Pool(
        quotas=quotas,
        people=people,
        profiles=profiles,
        members=members,
        sizes=np.array([len(group) for group in members], dtype=np.int64),
        incidence=incidence,
        person_profile=person_profile,
    )
