"""``manage.py visit_reminders``: the visits' reminders and feedback requests, each sent once
(the same job as the scheduled task, for deployments without a broker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from turbine.showcase.services.visits import visit_reminders_send


class Command(BaseCommand):
    help = "Envoie les rappels de visite (48 h avant) et les demandes d'avis après la visite."

    def handle(self, *args: Any, **options: Any) -> None:
        reminders, feedbacks = visit_reminders_send()
        self.stdout.write(f"{reminders} rappel(s), {feedbacks} demande(s) d'avis envoyés.")
