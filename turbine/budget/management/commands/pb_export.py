"""``manage.py pb_export CAMPAIGN [--envelope ID] [--output FILE]``: a campaign's anonymous
ballots in the Pabulib format (one envelope per file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.budget.models import Campaign
from turbine.budget.pabulib_io import envelope_export


class Command(BaseCommand):
    help = "Écrit les bulletins anonymes d'une campagne au format Pabulib."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="identifiant (slug) ou numéro de la campagne")
        parser.add_argument("--envelope", type=int, help="numéro de l'enveloppe")
        parser.add_argument("--output", "-o", help="fichier à écrire (sortie standard sinon)")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["campaign"]
        campaign = Campaign.objects.filter(slug=key).select_related("territory").first()
        if campaign is None and key.isdigit():
            campaign = Campaign.objects.filter(pk=int(key)).select_related("territory").first()
        if campaign is None:
            raise CommandError(f"Campagne introuvable : « {key} ».")
        envelopes = list(campaign.envelopes.all())
        if options["envelope"] is not None:
            envelopes = [e for e in envelopes if e.pk == options["envelope"]]
            if not envelopes:
                raise CommandError(f"Enveloppe {options['envelope']} introuvable dans la campagne.")
        elif len(envelopes) > 1:
            listing = ", ".join(f"{e.pk} ({e.name})" for e in envelopes)
            raise CommandError(
                f"La campagne a plusieurs enveloppes, choisissez avec --envelope : {listing}."
            )
        envelope = envelopes[0]
        envelope.campaign = campaign
        text = envelope_export(envelope=envelope)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Écrit : {options['output']}")
        else:
            self.stdout.write(text, ending="")
