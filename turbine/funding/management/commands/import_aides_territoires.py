from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.core import http
from turbine.core.exceptions import TurbineError
from turbine.funding import aides_territoires


class Command(BaseCommand):
    help = (
        "Importe les aides d'Aides-territoires : par l'API quand un jeton est configuré "
        "(réglage AIDES_TERRITOIRES_TOKEN ou variable d'environnement du même nom), ou depuis un "
        "fichier JSON de même forme (--file). Met à jour sur l'identifiant Aides-territoires, ne "
        "remplace jamais un champ modifié par l'équipe, ne supprime rien, et liste les valeurs "
        "qu'il ne sait pas traduire."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="fichier JSON (liste d'aides ou page)")
        parser.add_argument(
            "--query",
            default="",
            help="filtres de l'API, par exemple « perimeter=70973-hauts-de-france »",
        )
        parser.add_argument(
            "--complete",
            action="store_true",
            help="le fichier est la réponse entière à la requête : dépublie les aides absentes",
        )
        parser.add_argument("--max-pages", type=int, default=1000, help="pages de 100 aides")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["file"]:
                report = aides_territoires.import_aids(
                    aides_territoires.aids_from_file(options["file"]),
                    complete=options["complete"],
                )
            else:
                token = getattr(settings, "AIDES_TERRITOIRES_TOKEN", "") or os.environ.get(
                    "AIDES_TERRITOIRES_TOKEN", ""
                )
                if not token:
                    raise CommandError(
                        "Aucun jeton Aides-territoires : définissez AIDES_TERRITOIRES_TOKEN "
                        "ou passez --file."
                    )
                report = aides_territoires.import_from_api(
                    token=token, query=options["query"], max_pages=options["max_pages"]
                )
        except TurbineError as exc:
            raise CommandError(exc.message) from None
        except (http.HttpError, OSError) as exc:
            raise CommandError(f"Aides-territoires injoignable : {exc}.") from None
        first, *rest = report.lines()
        self.stdout.write(first)
        for line in rest:
            style = self.style.ERROR if line in report.errors else self.style.WARNING
            self.stdout.write(style(line))
