"""Scheduled jobs of the label app (thin: they call services)."""

from __future__ import annotations

from celery import shared_task

from turbine.label.services.committee import send_label_reminders


@shared_task
def send_label_expiry_reminders() -> int:
    """Every morning: renewal reminders 90 days before a label expires, and a notice once it
    has; each sent once."""
    return send_label_reminders()
