"""Background tasks of the directory. Tasks take ids and call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def run_import(*, batch_id: int) -> str:
    from turbine.directory.imports import import_run

    return import_run(batch_id=batch_id).status
