"""Scheduled jobs of the funding catalogue (thin: they call services)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_alert_digests() -> dict[str, int]:
    """Daily: one digest per alert and period (daily or weekly), idempotent."""
    from turbine.funding.alert_services import alerts_send_due
    from turbine.funding.services import aids_expire

    aids_expire()
    return alerts_send_due()


@shared_task
def expire_aids() -> int:
    """Daily: mark aids past their deadline as expired (queries never rely on it)."""
    from turbine.funding.services import aids_expire

    return aids_expire()
