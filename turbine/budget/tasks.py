"""Scheduled jobs of the participatory budget (thin: they call services)."""

from __future__ import annotations

from celery import shared_task

from turbine.budget.services import results_publish_due


@shared_task
def publish_due_results() -> int:
    """Hourly: publish the results of every campaign whose results date has come (tally, store,
    mark the winners); idempotent, a published campaign is never tallied again."""
    return len(results_publish_due())
