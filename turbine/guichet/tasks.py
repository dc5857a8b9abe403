"""Scheduled jobs of the guichet (thin: they call services)."""

from __future__ import annotations

from celery import shared_task

from turbine.guichet.services import reminders_send_due, requests_found_refresh_stale


@shared_task
def send_due_reminders() -> int:
    """Daily: email the advisor of every request whose reminder ("relancer dans 30 jours") is
    due; idempotent (each reminder is claimed once)."""
    return reminders_send_due()


@shared_task
def refresh_stale_found() -> int:
    """After the aid catalogue changed (an import, a staff edit) and nightly: recompute the
    stored results of the open requests computed before the change. Idempotent."""
    return requests_found_refresh_stale()


def catalogue_changed() -> None:
    """Listener registered with the funding catalogue (see ``apps.py``)."""
    refresh_stale_found.delay()
