from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from turbine.funding.services.alerts import alerts_send_due
from turbine.funding.services.catalogue import aids_expire


class Command(BaseCommand):
    help = (
        "Marque les aides échues et envoie les alertes dues (une par alerte et par jour ou "
        "semaine) : à lancer chaque jour par cron quand Turbine tourne sans celery beat. "
        "Relancer la commande n'envoie jamais deux fois le même message."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = aids_expire()
        counts = alerts_send_due()
        self.stdout.write(
            f"{expired} aide(s) échue(s) ; alertes : {counts.get('sent', 0)} envoyée(s), "
            f"{counts.get('empty', 0)} sans nouveauté, {counts.get('done', 0)} déjà traitée(s)."
        )
