from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from turbine.core import search


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (tous les types de contenu, ou ceux indiqués)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*", metavar="TYPE", help="ex. commune agglomeration")

    def handle(self, *args: Any, **options: Any) -> None:
        known = {k.key for k in search.registered_kinds()}
        unknown = [k for k in options["kinds"] if k not in known]
        if unknown:
            raise CommandError(
                f"Type(s) inconnu(s) : {', '.join(unknown)}. "
                f"Types indexés : {', '.join(sorted(known))}."
            )
        for kind, count in search.reindex(options["kinds"] or None).items():
            self.stdout.write(f"{kind} : {count} document(s) indexé(s)")
