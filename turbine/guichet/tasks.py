"""Scheduled jobs of the guichet (thin: they call services)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_due_reminders() -> int:
    """Daily: email the advisor of every request whose reminder ("relancer dans 30 jours") is
    due; idempotent (each reminder is claimed once)."""
    from turbine.guichet.services import reminders_send_due

    return reminders_send_due()
