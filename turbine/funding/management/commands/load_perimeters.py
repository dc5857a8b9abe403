from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from turbine.funding.services.catalogue import perimeters_load


class Command(BaseCommand):
    help = (
        "Charge les périmètres des aides (Union européenne, France, régions, départements, EPCI "
        "et les 34 969 communes actuelles) depuis l'extrait Etalab livré avec Turbine. "
        "Relancer la commande met à jour sans rien dupliquer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--departement", action="append", default=[], help="limiter les communes (tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = perimeters_load(departments=options["departement"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} périmètres chargés en {time.perf_counter() - started:.1f} s."
            )
        )
