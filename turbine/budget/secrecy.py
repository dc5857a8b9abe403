"""The campaign's ballot key, kept outside the database, and what is computed with it.

Each campaign gets 32 random bytes the first time someone votes in it, written to a file under
``settings.BUDGET_BALLOT_KEY_DIR`` (``$TURBINE_VAR_DIR/ballot-keys`` by default, mode 0600, one
sub-directory per database so that two databases never share keys). The key is not in the
database and not derived from ``SECRET_KEY``: a database dump, the admin or the API give no way
to compute it. It is overwritten and deleted when the vote closes (``campaign_ballots_seal``):
from then on nobody can link a ballot to anyone, the application included.

The directory must be persistent and shared by every process that serves votes (web, worker),
like the media directory. Losing it during a vote loses the pending ballots and the voters'
ability to change their vote: the services then refuse votes with a French message rather than
counting anyone twice (see :class:`BallotKeyMissingError`).

From the key are derived, with distinct labels:

* ``token``: the ballot's ``token_hash`` = HMAC(envelope, person, version). The version is the
  voter record's ``changes``: each change gives the new ballot a new token, so that the token
  is not a pseudonym that follows a voter across changes.
* ``tag``: the pending ballot's lookup key = HMAC(envelope, person), another key, so that a
  pending row (written in the voter's transaction) cannot be matched with the ballot row it
  becomes.
* ``address``: the digest of a normalised verified address, for "one address, one vote".
* ``seal``: the AES-GCM key of pending ballots.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection

from turbine.core.emails import normalise_address
from turbine.core.exceptions import TurbineError

KEY_BYTES = 32
# Pending ballots are padded to a multiple of this size, so that their length does not say how
# many projects were chosen.
PAD_TO = 1024


class BallotKeyMissingError(TurbineError):
    """The campaign's key file is gone while ballots depend on it."""


def _key_path(campaign_id: int) -> Path:
    database = str(connection.settings_dict.get("NAME") or "")
    scope = hashlib.sha256(f"{connection.vendor}:{database}".encode()).hexdigest()[:16]
    return Path(settings.BUDGET_BALLOT_KEY_DIR) / scope / f"campagne-{campaign_id}.key"


def campaign_key(*, campaign_id: int, create: bool) -> bytes:
    """The campaign's key; created (atomically, once even between processes) when ``create``.

    Raises :class:`BallotKeyMissingError` when the file is missing and ``create`` is false."""
    path = _key_path(campaign_id)
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise BallotKeyMissingError(
                "Le vote ne peut pas être enregistré : la clé secrète du scrutin est "
                "introuvable sur le serveur. Contactez l'équipe de la Turbine."
            ) from None
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{secrets.token_hex(8)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, secrets.token_bytes(KEY_BYTES))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, path)  # fails if another process created it first: theirs wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
        key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise BallotKeyMissingError(
            "La clé secrète du scrutin est illisible sur le serveur. Contactez l'équipe de la "
            "Turbine."
        )
    return key


def campaign_key_exists(*, campaign_id: int) -> bool:
    return _key_path(campaign_id).exists()


def campaign_key_discard(*, campaign_id: int) -> None:
    """Overwrite then delete the campaign's key (idempotent)."""
    path = _key_path(campaign_id)
    try:
        with path.open("r+b") as handle:
            handle.write(b"\0" * KEY_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    except FileNotFoundError:
        return


def _subkey(key: bytes, label: str) -> bytes:
    return hmac.new(key, f"turbine.budget.{label}".encode(), hashlib.sha256).digest()


def _person(user: Any) -> str:
    # The date the account was created, with its id: an id that SQLite reuses after a deletion
    # never gives the new account the deleted one's ballot.
    joined = user.date_joined.isoformat() if user.date_joined else ""
    return f"{user.pk}:{joined}"


def ballot_token(*, key: bytes, envelope_id: int, user: Any, version: int) -> str:
    message = f"{envelope_id}:{_person(user)}:{version}".encode()
    return hmac.new(_subkey(key, "token"), message, hashlib.sha256).hexdigest()


def pending_tag(*, key: bytes, envelope_id: int, user: Any) -> str:
    message = f"{envelope_id}:{_person(user)}".encode()
    return hmac.new(_subkey(key, "tag"), message, hashlib.sha256).hexdigest()


def address_digest(*, key: bytes, envelope_id: int, address: str) -> str:
    message = f"{envelope_id}:{normalise_address(address)}".encode()
    return hmac.new(_subkey(key, "address"), message, hashlib.sha256).hexdigest()


def seal(*, key: bytes, campaign_id: int, payload: dict[str, Any]) -> str:
    """``payload`` as JSON, padded, encrypted and authenticated (AES-256-GCM, random nonce)."""
    raw = json.dumps(payload, separators=(",", ":")).encode()
    padded = raw.ljust((len(raw) // PAD_TO + 1) * PAD_TO)
    nonce = secrets.token_bytes(12)
    box = AESGCM(_subkey(key, "seal")).encrypt(nonce, padded, str(campaign_id).encode())
    return base64.b64encode(nonce + box).decode()


def unseal(*, key: bytes, campaign_id: int, sealed: str) -> dict[str, Any]:
    data = base64.b64decode(sealed)
    raw = AESGCM(_subkey(key, "seal")).decrypt(data[:12], data[12:], str(campaign_id).encode())
    return json.loads(raw)
