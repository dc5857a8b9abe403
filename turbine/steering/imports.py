"""CSV import of indicator values: strict parsing, every error with its line, nothing saved
here (the preview shows the rows; ``services.indicator_values_import`` saves them on
confirmation).

Columns (header required, comma or semicolon separated, UTF-8)::

    indicateur;annee;valeur;nature;source;territoire

``indicateur`` is the indicator's number; ``valeur`` accepts a decimal comma; ``nature`` is
« mesure » or « estimee » (empty: mesure); ``territoire`` is empty for the whole territory,
else the agglomeration's SIREN or the commune's INSEE code, as the indicator's scope says.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any

from turbine.steering.models import FIRST_YEAR, HORIZON, Indicator, Scope, ValueNature
from turbine.territory.models import Agglomeration, Commune

COLUMNS = ["indicateur", "annee", "valeur", "nature", "source", "territoire"]
MAX_BYTES = 2_000_000
MAX_ROWS = 50_000
MAX_ERRORS = 50
MAX_ABS = 1e12


@dataclass
class ParsedValues:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def parse_values(data: bytes) -> ParsedValues:
    result = ParsedValues()
    if len(data) > MAX_BYTES:
        result.errors.append("Le fichier dépasse 2 Mo : découpez-le.")
        return result
    if b"\x00" in data:
        result.errors.append("Le fichier contient un caractère nul : ce n'est pas un CSV texte.")
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append("Le fichier doit être encodé en UTF-8.")
        return result
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        result.errors.append("Ligne 1 : le fichier est vide.")
        return result
    if header != COLUMNS:
        result.errors.append(
            "Ligne 1 : les colonnes doivent être, dans cet ordre : " + ";".join(COLUMNS) + "."
        )
        return result
    indicators = {i.pk: i for i in Indicator.objects.all()}
    sirens = set(Agglomeration.objects.values_list("siren", flat=True))
    communes: set[str] | None = None
    seen: dict[tuple[int, str, int], int] = {}

    def error(line: int, message: str) -> None:
        if len(result.errors) < MAX_ERRORS:
            result.errors.append(f"Ligne {line} : {message}")

    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(result.rows) >= MAX_ROWS:
                error(line, f"plus de {MAX_ROWS} lignes, découpez le fichier.")
                break
            if len(record) != len(COLUMNS):
                error(line, f"{len(COLUMNS)} colonnes attendues, {len(record)} lues.")
                continue
            raw_indicator, raw_year, raw_value, nature, source, area = (c.strip() for c in record)
            if not raw_indicator.isdigit() or int(raw_indicator) not in indicators:
                error(line, f"indicateur « {raw_indicator[:20]} » inconnu.")
                continue
            indicator = indicators[int(raw_indicator)]
            if not (raw_year.isdigit() and FIRST_YEAR <= int(raw_year) <= HORIZON):
                error(line, f"l'année doit être comprise entre {FIRST_YEAR} et {HORIZON}.")
                continue
            try:
                value = float(raw_value.replace("\u202f", "").replace(" ", "").replace(",", "."))
            except ValueError:
                error(line, f"la valeur « {raw_value[:20]} » n'est pas un nombre.")
                continue
            if not math.isfinite(value):
                error(line, "la valeur doit être un nombre fini (NaN et infini refusés).")
                continue
            if abs(value) > MAX_ABS:
                error(line, "la valeur est trop grande (mille milliards au plus).")
                continue
            nature = nature.lower() or ValueNature.MEASURED
            if nature not in ValueNature.values:
                error(line, "la nature doit être « mesure » ou « estimee ».")
                continue
            if len(source) > 300:
                error(line, "la source ne doit pas dépasser 300 caractères.")
                continue
            if area:
                if indicator.scope == Scope.AGGLOMERATION and area not in sirens:
                    error(line, f"« {area[:12]} » n'est pas le SIREN d'une agglomération.")
                    continue
                if indicator.scope == Scope.COMMUNE:
                    if communes is None:
                        communes = set(Commune.objects.values_list("code", flat=True))
                    if area not in communes:
                        error(line, f"« {area[:12]} » n'est pas le code INSEE d'une commune.")
                        continue
                if indicator.scope == Scope.TERRITORY:
                    error(
                        line,
                        "indicateur du territoire entier : laissez « territoire » vide.",
                    )
                    continue
            key = (indicator.pk, area, int(raw_year))
            if key in seen:
                error(line, f"même indicateur, année et territoire qu'à la ligne {seen[key]}.")
                continue
            seen[key] = line
            result.rows.append(
                {
                    "line": line,
                    "indicator": indicator.pk,
                    "indicator_name": indicator.name,
                    "year": int(raw_year),
                    "value": value,
                    "nature": nature,
                    "source": source,
                    "area_code": area,
                }
            )
    except csv.Error as exc:
        error(reader.line_num, f"CSV mal formé ({exc}).")
    if not result.rows and not result.errors:
        result.errors.append("Ligne 2 : aucune valeur dans le fichier.")
    return result
