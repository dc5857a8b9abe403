"""Turbine's domain exception.

Services raise a ``TurbineError`` subclass with a French message meant for the person who acted;
HTML views show it as a form error or a message, API views turn it into a JSON 4xx.
"""

from __future__ import annotations


class TurbineError(Exception):
    """A business rule refused the operation. ``message`` is French and shown as is."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(TurbineError):
    status_code = 404


class PermissionDeniedError(TurbineError):
    status_code = 403


class ThrottledError(TurbineError):
    """Too many attempts in a short time (core/throttle.py)."""

    status_code = 429
