from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        parser.add_argument("--max-pages", type=int, default=1000, help="pages de 100 aides")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["file"]:
                report = aides_territoires.import_aids(
                    aides_territoires.aids_from_file(options["file"])
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
        except OSError as exc:
            raise CommandError(f"Aides-territoires injoignable : {exc}.") from None
        self.stdout.write(
            f"{report.created} aide(s) créée(s) (dont {report.drafts} en brouillon faute de "
            f"périmètre), {report.updated} mise(s) à jour, {report.unchanged} inchangée(s) ; "
            f"{report.kept_staff_fields} champ(s) modifié(s) par l'équipe conservé(s)."
        )
        for kind, counter in sorted(report.unmapped.items()):
            values = ", ".join(f"« {label} » ×{n}" for label, n in counter.most_common())
            self.stdout.write(self.style.WARNING(f"Valeurs non traduites ({kind}) : {values}"))
        for error in report.errors:
            self.stdout.write(self.style.ERROR(error))
