"""Periodic tasks of the portal."""

from __future__ import annotations

from celery import shared_task

from turbine.portal import services


@shared_task
def send_place_digests() -> int:
    """The monthly digest of the places officials and agents follow (idempotent per month)."""
    return services.send_monthly_digests()
