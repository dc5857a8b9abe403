"""``manage.py pb_import FILE.pb``: create a campaign (results phase) from a Pabulib file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.budget.engine import BudgetRulesError
from turbine.budget.pabulib_io import campaign_import
from turbine.core.exceptions import TurbineError
from turbine.territory.selectors import get_current_territory


class Command(BaseCommand):
    help = "Crée une campagne avec ses projets et ses bulletins à partir d'un fichier Pabulib."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier .pb")

    def handle(self, *args: Any, **options: Any) -> None:
        territory = get_current_territory()
        if territory is None:
            raise CommandError("Aucun territoire importé : lancez d'abord territory_import.")
        try:
            campaign = campaign_import(path=options["file"], territory=territory)
        except BudgetRulesError as error:
            raise CommandError(f"{options['file']} : {error}") from None
        except TurbineError as error:
            raise CommandError(f"{options['file']} : {error.message}") from None
        self.stdout.write(
            f"Campagne « {campaign.title} » créée ({campaign.slug}) : "
            f"{campaign.proposals.count()} projets, {campaign.ballots.count()} bulletins."
        )
