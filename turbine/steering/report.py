"""The yearly public report of effects, gathered from the data: objectives and indicators
against their trajectories, projects completed, aids obtained, participation, the great works.
Every figure comes with the table behind it (shown beside the chart, downloadable as CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Sum
from django.template.loader import render_to_string

from turbine.budget.models import Campaign
from turbine.funding.models import ProjectFunding
from turbine.projects.models import Stage
from turbine.projects.selectors import public_projects
from turbine.steering import charts, selectors
from turbine.steering.engine import trajectory
from turbine.steering.models import Indicator, Mandate

FIGURES = ["indicateurs", "projets", "aides", "participation", "chantiers"]
PDF_STATES = {
    "en-attente": "en attente de production",
    "en-cours": "en cours de production",
    "pret": "prêt",
    "echec": "la production a échoué",
}


@dataclass
class IndicatorLine:
    indicator: Indicator
    year: int | None
    value: float | None
    standing: trajectory.Standing | None
    chart: charts.LineChart
    series: list[tuple[int, float, float | None]]  # year, value, trajectory


@dataclass
class YearlyReport:
    year: int
    indicators: list[IndicatorLine]
    completed: list[Any]
    aids: list[tuple[str, Decimal, int]]
    aids_total: Decimal
    participation: list[tuple[str, int]]
    mandate: Mandate | None
    aids_chart: charts.BarChart


def yearly_report(year: int) -> YearlyReport:
    lines = []
    for axis in selectors.objective_list():
        for objective in axis.objectives.all():
            for indicator in objective.indicators.all():
                values = [v for v in indicator.territory_values if v.year <= year]
                last = values[-1] if values else None
                points = selectors.points_of(indicator)
                standing = (
                    trajectory.standing(
                        points,
                        year=last.year,
                        measured=last.value,
                        higher_is_better=indicator.higher_is_better,
                    )
                    if last
                    else None
                )
                lines.append(
                    IndicatorLine(
                        indicator=indicator,
                        year=last.year if last else None,
                        value=last.value if last else None,
                        standing=standing,
                        chart=charts.line_chart(
                            trajectory=points,
                            measured=[(v.year, v.value, v.nature == "estimee") for v in values],
                        ),
                        series=[
                            (v.year, v.value, trajectory.expected_value(points, v.year))
                            for v in values
                        ],
                    )
                )
    completed = list(
        public_projects().filter(stage=Stage.DONE).order_by("title").only("id", "title")[:200]
    )
    aids = [
        (row["source"], row["total"] or Decimal(0), row["projects"])
        for row in ProjectFunding.objects.filter(project__in=public_projects())
        .values("source")
        .annotate(total=Sum("amount"), projects=Count("project", distinct=True))
        .order_by("-total", "source")[:15]
    ]
    aids_total = sum((a[1] for a in aids), Decimal(0))
    participation = [
        (c.title, c.voters)
        for c in Campaign.objects.filter(year=year)
        .annotate(voters=Count("voter_records__user", distinct=True))
        .order_by("title")
    ]
    mandate = (
        selectors.mandate_list()
        .filter(start__year__lte=year, end__year__gte=year)
        .order_by("start")
        .first()
    )
    return YearlyReport(
        year=year,
        indicators=lines,
        completed=completed,
        aids=aids,
        aids_total=aids_total,
        participation=participation,
        mandate=mandate,
        aids_chart=charts.bar_chart(
            [
                (name, float(total), f"{int(total):,} €".replace(",", "\u202f"))
                for name, total, _ in aids
            ]
        ),
    )


def figure_table(data: YearlyReport, figure: str) -> list[list[Any]] | None:
    """The rows behind one figure of the report, header first."""
    if figure == "indicateurs":
        rows: list[list[Any]] = [
            [
                "indicateur",
                "unite",
                "annee",
                "valeur",
                "trajectoire",
                "ecart",
                "a_l_heure",
                "retard_annees",
            ]
        ]
        for line in data.indicators:
            s = line.standing
            rows.append(
                [
                    line.indicator.name,
                    line.indicator.unit,
                    line.year,
                    line.value,
                    round(s.expected, 4) if s else None,
                    round(s.gap, 4) if s else None,
                    ("oui" if s.on_track else "non") if s else None,
                    s.years_late if s else None,
                ]
            )
        return rows
    if figure == "projets":
        return [["projet", "titre"]] + [[p.pk, p.title] for p in data.completed]
    if figure == "aides":
        return [["source", "montant_eur", "projets"]] + [
            [name, f"{total:.2f}", count] for name, total, count in data.aids
        ]
    if figure == "participation":
        return [["campagne", "votants"]] + [list(row) for row in data.participation]
    if figure == "chantiers":
        rows = [["chantier", "pilote", "budget_eur", "etapes_atteintes", "etapes"]]
        if data.mandate:
            for work in data.mandate.great_works.all():
                milestones = list(work.milestones.all())
                rows.append(
                    [
                        work.project.title,
                        work.owner,
                        work.budget,
                        sum(1 for m in milestones if m.done),
                        len(milestones),
                    ]
                )
        return rows
    return None


ACTIONS = {
    "premier-decompte": "Premier décompte des premières préférences",
    "excedent": "Transfert de l'excédent de « {name} » (valeur de transfert {tv})",
    "elimination": "Élimination de « {name} », le moins soutenu (bulletins au choix suivant)",
}


def results_tables(results: dict[str, Any]) -> dict[str, Any]:
    """The published count, shaped for the page: one French sentence and one row of totals a
    round, the Schulze ranking and its pairwise table."""
    names = {c["number"]: c["title"] for c in results["candidates"]}
    rounds = []
    for r in results["rounds"]:
        name = names.get(r["candidate"], "")
        tv = str(r["transfer_value"]).replace(".", ",") if r["transfer_value"] is not None else ""
        sentence = ACTIONS[r["action"]].format(name=name, tv=tv)
        if r["elected"]:
            sentence += ". Élu(s) : " + ", ".join(f"« {names[n]} »" for n in r["elected"])
        rounds.append({**r, "sentence": sentence + "."})
    numbers = [c["number"] for c in results["candidates"]]
    pairwise = [
        {
            "name": names[i],
            "cells": [results["pairwise"][i - 1][j - 1] if i != j else None for j in numbers],
        }
        for i in numbers
    ]
    return {
        "names": names,
        "numbers": numbers,
        "columns": [(n, names[n]) for n in numbers],
        "elected": [names[n] for n in results["elected"]],
        "ranking": [names[n] for n in results["ranking"]],
        "quota": results["quota"],
        "valid": results["valid_ballots"],
        "rounds": rounds,
        "pairwise": pairwise,
        "tie_breaks": results["tie_breaks"],
    }


def pdf_path(year: int) -> str:
    return f"steering/rapports/rapport-{year}.pdf"


def pdf_progress_key(year: int) -> str:
    return f"steering:report-pdf:{year}"


def pdf_status(year: int) -> dict[str, Any]:
    """``state`` (a key of :data:`PDF_STATES`, or ``None`` if never asked) and ``progress``."""
    status = cache.get(pdf_progress_key(year))
    if status is None and default_storage.exists(pdf_path(year)):
        status = {"state": "pret", "progress": 100}
    status = status or {"state": None, "progress": 0}
    status["label"] = PDF_STATES.get(status["state"] or "", "")
    status["exists"] = default_storage.exists(pdf_path(year))
    return status


def mark_queued(year: int) -> None:
    _progress(year, "en-attente", 0)


def _progress(year: int, state: str, progress: int) -> None:
    cache.set(pdf_progress_key(year), {"state": state, "progress": progress}, timeout=24 * 3600)


def render_pdf(year: int) -> bytes:
    """The report as PDF: the same data and static SVG charts as the page, laid out for print."""
    from weasyprint import HTML  # noqa: PLC0415 - a heavy import (Pango), only where a PDF is made

    data = yearly_report(year)
    html = render_to_string("steering/report_pdf.html", {"r": data})
    return HTML(string=html).write_pdf()


def build_pdf(year: int) -> str:
    """Builds and stores the year's PDF, with its progress in the cache (idempotent: the file
    is replaced whole). Run by the Celery task ``build_report_pdf``."""
    _progress(year, "en-cours", 10)
    try:
        data = yearly_report(year)
        _progress(year, "en-cours", 40)
        html = render_to_string("steering/report_pdf.html", {"r": data})
        _progress(year, "en-cours", 60)
        from weasyprint import HTML  # noqa: PLC0415 - see render_pdf

        pdf = HTML(string=html).write_pdf()
    except Exception:
        _progress(year, "echec", 0)
        raise
    path = pdf_path(year)
    if default_storage.exists(path):
        default_storage.delete(path)
    saved = default_storage.save(path, ContentFile(pdf))
    _progress(year, "pret", 100)
    return saved
