"""The one HTTP client of Turbine (the address geocoder, the Aides-territoires import): the
standard library's ``urllib``, JSON in and out, a timeout always, HTTPS or a local address only.

Callers keep their own seam (a module-level function the tests replace), so no test reaches
the network.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

USER_AGENT = "Turbine (https://github.com/pole-artois/turbine)"


class HttpError(Exception):
    """The remote service could not be reached or did not answer with JSON."""


class HttpTimeout(HttpError):
    """The remote service did not answer in time."""


def fetch_json(
    url: str,
    *,
    method: str = "GET",
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Any:
    """Decoded JSON of one call; ``HttpTimeout`` or ``HttpError`` otherwise."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("https", "http"):
        raise HttpError(f"Adresse refusée : {scheme or 'sans schéma'}.")
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.load(response)
    except TimeoutError as error:
        raise HttpTimeout(str(error)) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise HttpTimeout(str(error)) from None
        raise HttpError(str(error)) from None
    except (OSError, ValueError) as error:  # connection reset, unreadable JSON
        raise HttpError(str(error)) from None
