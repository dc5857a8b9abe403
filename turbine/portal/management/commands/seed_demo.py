from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.core import demo
from turbine.territory.selectors import get_current_territory


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (une seule fois : relancer la commande ne "
        "charge rien deux fois). Refusé en production sans --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="autoriser en production")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError("Données de démonstration refusées en production (--force).")
        if get_current_territory() is None:
            raise CommandError("Importez d'abord le territoire : python manage.py import_territory")
        for name, summary in demo.seed():
            self.stdout.write(f"{name} : {summary}")
