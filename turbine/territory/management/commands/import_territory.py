from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.core.templatetags.humanize_fr import nombre
from turbine.territory.services import (
    BUNDLED_DATA,
    PMA_EPCI,
    PMA_NAME,
    TerritoryImportError,
    territory_import,
)


class Command(BaseCommand):
    help = (
        "Construit un territoire à partir des données administratives d'Etalab : "
        "ses agglomérations (EPCI) et leurs communes. Sans argument : le Pôle métropolitain "
        "de l'Artois, à partir des données livrées avec Turbine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", default=PMA_NAME, help="nom du territoire")
        parser.add_argument("--slug", default=None, help="identifiant (déduit du nom par défaut)")
        parser.add_argument(
            "--epci", nargs="+", default=list(PMA_EPCI), metavar="CODE", help="SIREN des EPCI"
        )
        parser.add_argument(
            "--data",
            type=Path,
            default=BUNDLED_DATA,
            metavar="DIR",
            help="dossier contenant epci.json et communes.json d'Etalab",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = territory_import(
                name=options["name"],
                slug=options["slug"],
                epci_codes=options["epci"],
                data_dir=options["data"],
            )
        except TerritoryImportError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.territory.name} ({report.territory.slug}) : "
                f"{report.agglomerations} agglomération(s), {report.communes} communes, "
                f"{nombre(report.population)} habitants."
            )
        )
