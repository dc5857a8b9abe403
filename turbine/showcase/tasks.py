"""Scheduled jobs of the showcase (thin: they call services)."""

from __future__ import annotations

from celery import shared_task

from turbine.showcase.services.visits import visit_reminders_send


@shared_task
def send_visit_reminders() -> list[int]:
    """Every hour: reminders 48 hours before a confirmed visit, and the request for feedback
    after it, each sent once."""
    reminders, feedbacks = visit_reminders_send()
    return [reminders, feedbacks]
