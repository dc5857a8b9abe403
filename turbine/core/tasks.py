"""Background tasks of the socle. Tasks take plain values, never model instances."""

from __future__ import annotations

from celery import shared_task
from django.contrib.sessions.models import Session
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[list[str]] | None = None,
) -> int:
    """Send one email. Retried on network errors; sending twice is the SMTP server's risk, the
    message carries nothing that must happen once."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


@shared_task
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def ping() -> str:
    """Answers "pong": lets /healthz and tests check that a worker consumes the queue."""
    return "pong"
