"""``manage.py pb_tally FILE.pb --rule greedy|mes|mes-completed [--json]``: tally a Pabulib file."""

from __future__ import annotations

import json
import time
from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.budget.engine import RULES, BudgetRulesError, parse_pabulib, tally


def _number(value: Fraction | int) -> int | float:
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else float(value)


class Command(BaseCommand):
    help = "Dépouille un fichier Pabulib (.pb) et affiche les projets sélectionnés."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier .pb")
        parser.add_argument("--rule", choices=RULES, default="mes-completed", help="règle")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = time.perf_counter()
            election = parse_pabulib(options["file"])
            parse_seconds = time.perf_counter() - start
            start = time.perf_counter()
            result = tally(election, rule=options["rule"])
            seconds = time.perf_counter() - start
        except BudgetRulesError as error:
            raise CommandError(f"{options['file']} : {error}") from None
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "rule": result.rule,
                        "selected": list(result.selected),
                        "total_cost": _number(result.total_cost),
                        "seconds": round(seconds, 6),
                        "parse_seconds": round(parse_seconds, 6),
                    },
                    ensure_ascii=False,
                )
            )
            return
        for project_id in result.selected:
            self.stdout.write(project_id)
        self.stderr.write(
            f"{len(result.selected)} projets sélectionnés par {result.rule}, coût total "
            f"{_number(result.total_cost)}, en {seconds:.3f} s."
        )
