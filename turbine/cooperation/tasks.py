"""Scheduled jobs of the cooperation app (thin: they call services)."""

from __future__ import annotations

from celery import shared_task

# services.panels sends compute_panel_draw: each imports the other as a module (budget/tasks.py).
from turbine.cooperation.services import meetings, panels


@shared_task
def send_event_reminders() -> int:
    """Every quarter of an hour: the reminders of events about to start, each sent once."""
    return meetings.reminders_send()


@shared_task
def compute_panel_draw(*, draw_id: int) -> str:
    """The lottery of a panel draw (LEXIMIN can take a while on large pools)."""
    return panels.draw_compute(draw_id=draw_id).status
