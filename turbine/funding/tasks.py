"""Scheduled jobs of the funding catalogue (thin: they call services)."""

from __future__ import annotations

import os

from celery import shared_task
from django.conf import settings

from turbine.funding.aides_territoires import import_from_api
from turbine.funding.services.alerts import alerts_send_due
from turbine.funding.services.catalogue import aids_expire


@shared_task
def send_alert_digests() -> dict[str, int]:
    """Daily: one digest per alert and period (daily or weekly), idempotent."""
    aids_expire()
    return alerts_send_due()


@shared_task
def expire_aids() -> int:
    """Daily: mark aids past their deadline as expired (queries never rely on it)."""
    return aids_expire()


@shared_task
def import_aides_territoires(query: str = "", max_pages: int = 1000) -> dict[str, int]:
    """Weekly: import from Aides-territoires when a token is configured (does nothing without).
    Upserts, keeps the staff's edits, deletes nothing: safe to run again."""

    token = getattr(settings, "AIDES_TERRITOIRES_TOKEN", "") or os.environ.get(
        "AIDES_TERRITOIRES_TOKEN", ""
    )
    if not token:
        return {"skipped": 1}
    report = import_from_api(token=token, query=query, max_pages=max_pages)
    return {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "unpublished": report.unpublished,
        "errors": len(report.errors),
        "unmapped": sum(sum(c.values()) for c in report.unmapped.values()),
    }
