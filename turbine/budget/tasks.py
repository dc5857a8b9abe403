"""Scheduled jobs of the participatory budget (thin: they call services)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

# The services send some of these tasks: each module imports the other as a module, whose
# attributes are read when a task runs, not at import.
from turbine.budget import services


@shared_task
def publish_due_results() -> int:
    """Hourly: publish the results of every campaign whose results date has come (tally, store,
    mark the winners); idempotent, a published campaign is never tallied again."""
    return len(services.results_publish_due())


@shared_task
def flush_ballots(campaign_id: int) -> int:
    """Sent when a vote commits: moves the campaign's pending ballots into the ballot box once
    there are enough of them to make a batch (idempotent)."""
    return services.ballots_flush(
        campaign_id=campaign_id, minimum=settings.BUDGET_BALLOT_BATCH_SIZE
    )


@shared_task
def flush_and_seal_ballots() -> list[int]:
    """Every ten minutes: the same for every open vote, and the seal of every closed one."""
    return list(services.ballots_flush_due())
