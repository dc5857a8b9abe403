"""``manage.py publish_results [CAMPAIGN]``: publish a campaign's results now (once its vote is
closed), or, without argument, those of every campaign whose results date has come (what the
scheduled task does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.budget.models import Campaign
from turbine.budget.services import campaign_results_publish, results_publish_due
from turbine.core.exceptions import TurbineError


class Command(BaseCommand):
    help = (
        "Publie les résultats d'une campagne de budget participatif (dépouillement définitif) ; "
        "sans argument, ceux de toutes les campagnes dont la date de publication est arrivée."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "campaign", nargs="?", help="identifiant (slug) ou numéro de la campagne"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["campaign"]
        if key is None:
            published = results_publish_due()
            if not published:
                self.stdout.write("Aucune campagne n'attend la publication de ses résultats.")
            for campaign in published:
                self.stdout.write(f"Résultats publiés : {campaign.title}.")
            return
        campaign = Campaign.objects.filter(slug=key).first()
        if campaign is None and key.isdigit():
            campaign = Campaign.objects.filter(pk=int(key)).first()
        if campaign is None:
            raise CommandError(f"Campagne introuvable : « {key} ».")
        try:
            campaign_results_publish(campaign_id=campaign.pk)
        except TurbineError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Résultats publiés : {campaign.title}.")
