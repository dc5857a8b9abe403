"""Background tasks of the directory. Tasks take ids and call a service."""

from __future__ import annotations

from celery import shared_task

# imports sends this task: each module imports the other as a module (see budget/tasks.py).
from turbine.directory import imports


@shared_task
def run_import(*, batch_id: int) -> str:
    return imports.import_run(batch_id=batch_id).status
