"""``manage.py sortition CATEGORIES.csv RESPONDENTS.csv --size K``
``[--algorithm leximin|maximin|legacy] [--seed S] [--json]``:
computes the selection probabilities and draws a panel."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.cooperation.sortition import (
    ALGORITHMS,
    CsvError,
    SortitionError,
    parse_categories,
    parse_respondents,
    select,
)


class Command(BaseCommand):
    help = (
        "Tire au sort un panel par strates (LEXIMIN, MAXIMIN ou LEGACY) et affiche les "
        "probabilités de sélection."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("categories", help="quotas : category,feature,min,max")
        parser.add_argument("respondents", help="répondants : une ligne par personne")
        parser.add_argument("--size", type=int, required=True, help="taille du panel")
        parser.add_argument("--algorithm", choices=list(ALGORITHMS), default="leximin")
        parser.add_argument("--seed", help="graine publiée du tirage (tirée au hasard sinon)")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"] if options["seed"] is not None else str(secrets.randbelow(10**9))
        categories, respondents = Path(options["categories"]), Path(options["respondents"])
        try:
            quotas = self._read(categories, lambda: parse_categories(categories))
            people = self._read(respondents, lambda: parse_respondents(respondents, quotas))
            result = select(
                quotas, people, size=options["size"], algorithm=options["algorithm"], seed=seed
            )
        except SortitionError as error:
            raise CommandError(error.message) from None
        probabilities = [float(p) for p in result.probabilities]
        figures = result.figures
        panel = [person + 1 for person in result.panel]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "algorithm": options["algorithm"],
                        "seed": seed,
                        "probabilities": probabilities,
                        "min_probability": figures.minimum,
                        "median_probability": figures.median,
                        "max_probability": figures.maximum,
                        "gini": figures.gini,
                        "seconds": round(result.seconds, 6),
                        "panel": panel,
                    },
                    ensure_ascii=False,
                )
            )
            return
        for row, probability in enumerate(probabilities, start=1):
            self.stdout.write(f"{row}\t{probability:.6f}")
        self.stdout.write(
            f"Probabilité minimale : {figures.minimum:.6f} ; médiane : {figures.median:.6f} ; "
            f"maximale : {figures.maximum:.6f} ; coefficient de Gini : {figures.gini:.4f}"
        )
        self.stdout.write(
            f"Méthode {options['algorithm']}, {len(people)} répondants, calculé en "
            f"{result.seconds:.2f} s ; loterie de {len(result.lottery.tickets)} panels "
            f"(écart maximal aux probabilités exactes : {result.lottery.deviation:.4f})."
        )
        self.stdout.write(
            f"Panel tiré avec la graine « {seed} » (lignes des répondants) : "
            + ", ".join(map(str, panel))
        )

    @staticmethod
    def _read(path: Path, parse: Any) -> Any:
        try:
            return parse()
        except CsvError as error:
            raise CommandError(f"{path} : {error.message}") from None
        except SortitionError as error:
            raise CommandError(f"{path} : {error.message}") from None
