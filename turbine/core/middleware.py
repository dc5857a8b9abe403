"""Refusals of malformed API input before django-ninja reads it.

Every API error is JSON with a French ``detail``; these refusals happen where ninja cannot
answer them itself: a NUL character (PostgreSQL refuses it in text, a 500 without this check),
a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), more parameters than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (400).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"
NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _refusal(detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
    )


class ApiInputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> JsonResponse | None:
        # Only a JSON body is read here: a multipart upload stays streamed to its handlers.
        is_json = request.content_type == "application/json"
        try:
            query = request.GET
            body = request.body if is_json else b""
        except RequestDataTooBig:
            return _refusal("Requête trop volumineuse.", 413)
        except TooManyFieldsSent:
            return _refusal("Requête invalide : trop de paramètres.", 400)
        if NUL in request.path_info or any(
            _has_nul(key) or _has_nul(values) for key, values in query.lists()
        ):
            return _refusal("Requête invalide : le caractère nul n'est pas accepté.", 422)
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                return None  # ninja answers an invalid JSON body itself (422)
            if _has_nul(data):
                return _refusal("Requête invalide : le caractère nul n'est pas accepté.", 422)
        return None
