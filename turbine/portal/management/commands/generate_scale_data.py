from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.core import scale, search
from turbine.territory.selectors import get_current_territory


class Command(BaseCommand):
    help = (
        "Génère des données synthétiques déterministes à l'échelle --factor N (1 : le contenu "
        "probable du territoire, 10 : la cible de conception), pour les mesures de performance. "
        "Les données synthétiques d'un lancement précédent sont remplacées, jamais dupliquées ; "
        "l'index de recherche est ensuite reconstruit. Refusé en production sans --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--factor", type=int, default=1, help=f"facteur d'échelle, de 1 à {scale.MAX_FACTOR}"
        )
        parser.add_argument("--force", action="store_true", help="autoriser en production")

    def handle(self, *args: Any, **options: Any) -> None:
        factor = options["factor"]
        if settings.PRODUCTION and not options["force"]:
            raise CommandError("Données synthétiques refusées en production (--force).")
        if not 1 <= factor <= scale.MAX_FACTOR:
            raise CommandError(f"Le facteur doit être compris entre 1 et {scale.MAX_FACTOR}.")
        if get_current_territory() is None:
            raise CommandError("Importez d'abord le territoire : python manage.py import_territory")
        started = time.perf_counter()
        for name, summary in scale.generate(factor=factor):
            self.stdout.write(f"{name} : {summary}")
        indexed = sum(search.reindex().values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Facteur {factor} : données synthétiques générées et {indexed} documents "
                f"indexés en {time.perf_counter() - started:.1f} s."
            )
        )
