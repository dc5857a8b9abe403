"""Background jobs of steering (thin: they call the report module)."""

from __future__ import annotations

from celery import shared_task

from turbine.steering import report


@shared_task
def build_report_pdf(year: int) -> str:
    """Renders the yearly report's PDF and stores it; progress is kept in the cache."""
    return report.build_pdf(year)
