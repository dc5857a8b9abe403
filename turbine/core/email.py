"""Sending email after the transaction commits, through the Celery task."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

from turbine.core.tasks import send_email


def send_after_commit(message: EmailMessage) -> None:
    """Queue ``message`` for sending once the current transaction commits (at once outside one).

    The task receives plain values, so the worker never depends on objects of this process;
    extra headers (``List-Unsubscribe``...) and text attachments travel with them."""
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (content for content, mime in message.alternatives if mime == "text/html"), None
        )
    payload: dict[str, Any] = {
        "subject": str(message.subject),
        "body": str(message.body),
        "to": list(message.to),
        "from_email": str(message.from_email),
        "html": str(html) if html else None,
    }
    if message.extra_headers:
        payload["headers"] = {str(k): str(v) for k, v in message.extra_headers.items()}
    if message.attachments:
        # Text attachments only (an event's .ics): (filename, content, mimetype) travel as is.
        payload["attachments"] = [
            [str(name), content.decode() if isinstance(content, bytes) else str(content), mime]
            for name, content, mime in message.attachments
        ]
    transaction.on_commit(lambda: send_email.delay(**payload))
