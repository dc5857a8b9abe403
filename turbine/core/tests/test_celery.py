"""The Celery path: in process without a broker, and a real worker against Redis when
TEST_REDIS_URL is set (CI sets it)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from celery import Celery
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from turbine.core.email import send_after_commit


def test_it_runs_tasks_in_process_without_a_broker(db, django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives("Sujet", "Corps", "turbine@example.org", ["a@example.org"])
    message.attach_alternative("<p>Corps</p>", "text/html")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_after_commit(message)
    assert mail.outbox == []  # nothing is sent before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0][0] == "<p>Corps</p>"


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL not set")
def test_it_runs_tasks_on_a_real_worker_through_redis(tmp_path):
    """Starts `celery worker` as its own process against Redis, sends it the ping and email
    tasks by name from a separate client, and reads their results back through Redis."""
    url = os.environ["TEST_REDIS_URL"]
    env = {
        **os.environ,
        "REDIS_URL": url,
        "CELERY_RESULT_BACKEND": url,
        "TURBINE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "turbine.celery",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = Celery(broker=url, backend=url)
    # The test is no task, but an earlier test of this worker process may have left Celery's
    # "inside a task" flag set (eager runs): waiting on a result is what this test is about.
    wait = {"disable_sync_subtasks": False}
    try:
        assert client.send_task("turbine.core.tasks.ping").get(timeout=60, **wait) == "pong"
        sent = client.send_task(
            "turbine.core.tasks.send_email",
            kwargs={
                "subject": "Vérifiez votre adresse",
                "body": "Bonjour",
                "to": ["worker@example.org"],
                "from_email": "turbine@example.org",
            },
        )
        assert sent.get(timeout=30, **wait) == 1
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode()
    assert "turbine.core.tasks.send_email" in output
