from __future__ import annotations

import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from turbine.funding.models import Aid, Perimeter, Scale
from turbine.funding.selectors import AidFilters, aid_search

PAGE = 20


class Command(BaseCommand):
    help = (
        "Mesure la recherche d'aides (tous les filtres et du texte) sur le catalogue en base, "
        "pour des communes tirées dans toute la France : médiane et 95e centile, requêtes SQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        communes = list(
            Perimeter.objects.filter(scale=Scale.COMMUNE)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not communes:
            raise CommandError("Aucun périmètre : lancez load_perimeters.")
        rng = random.Random("bench-aides")
        cases = {
            "commune seule": lambda c: AidFilters(commune=c),
            "tous les filtres et texte": lambda c: AidFilters(
                commune=c,
                q="rénovation écoles",
                beneficiary="commune",
                themes=("energie",),
                type="subvention",
                open=True,
                closing_within=365,
                call_for_projects=True,
            ),
            "texte seul": lambda c: AidFilters(q="pistes cyclables"),
        }
        self.stdout.write(
            f"{Aid.objects.count()} aides, {len(communes)} communes, {connection.vendor}"
        )
        for name, make in cases.items():
            timings, queries = [], 0
            for _ in range(options["runs"]):
                filters = make(rng.choice(communes))
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    results = aid_search(filters)
                    page = results[:PAGE]
                    timings.append((time.perf_counter() - started) * 1000)
                queries = max(queries, len(ctx.captured_queries))
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            self.stdout.write(
                f"{name} : médiane {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, "
                f"{queries} requêtes au plus, {len(page)} aides sur la page"
            )
