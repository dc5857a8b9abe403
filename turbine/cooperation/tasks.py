"""Scheduled jobs of the cooperation app (thin: they call services)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_event_reminders() -> int:
    """Every quarter of an hour: the reminders of events about to start, each sent once."""
    from turbine.cooperation.services.meetings import reminders_send

    return reminders_send()


@shared_task
def compute_panel_draw(*, draw_id: int) -> str:
    """The lottery of a panel draw (LEXIMIN can take a while on large pools)."""
    from turbine.cooperation.services.panels import draw_compute

    return draw_compute(draw_id=draw_id).status
