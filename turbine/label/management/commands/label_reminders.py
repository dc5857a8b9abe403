from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from turbine.label.services.committee import send_label_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels de renouvellement (90 jours avant la fin de validité) et les avis "
        "d'expiration des labels ; chacun une seule fois."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_label_reminders()
        self.stdout.write(f"{sent} courriel(s) de rappel envoyé(s).")
