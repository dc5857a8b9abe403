from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Lance une fois, sur place, les tâches planifiées (CELERY_BEAT_SCHEDULE) : à appeler par "
        "cron quand Turbine tourne sans courtier ni celery beat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", metavar="NOM", help="entrées à lancer (toutes)")
        parser.add_argument("--list", action="store_true", help="lister les entrées")

    def handle(self, *args: Any, **options: Any) -> None:
        schedule = settings.CELERY_BEAT_SCHEDULE
        if options["list"]:
            for name, entry in schedule.items():
                self.stdout.write(f"{name} : {entry['task']}")
            return
        unknown = [n for n in options["names"] if n not in schedule]
        if unknown:
            raise CommandError(f"Entrée(s) inconnue(s) : {', '.join(unknown)}.")
        for name in options["names"] or list(schedule):
            entry = schedule[name]
            # Task names are their dotted paths (shared_task's default).
            task = import_string(entry["task"])
            result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            self.stdout.write(f"{name} : {result.result!r}")
