"""A stronger check of "one person, one vote" than the address: a list of voters imported by
staff (addresses in a CSV file), each sent a one-time code by email, which the voter enters
before voting (``Campaign.voter_check == "liste"``).

The code is the proof of being on the list: it is used once, by one account, and stays used
even if that account is deleted. Codes are stored as hashes; wrong codes are throttled per
account. Which list entry an account claimed is in the voter register's side of the database
(like the voter record), never next to a ballot.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from turbine.accounts.models import User
from turbine.budget.models import Campaign, EligibleVoter, VoterCheck, VoterRecord
from turbine.budget.services.proposals import BudgetError, _log
from turbine.core.email import send_after_commit
from turbine.core.emails import normalise_address
from turbine.core.exceptions import PermissionDeniedError

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from an email
CODE_LENGTH = 10
MAX_ROWS = 200_000
MAX_BYTES = 10 * 1024 * 1024
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60  # seconds
HEADERS = {"email", "e-mail", "courriel", "adresse", "adresse électronique", "mail"}


@dataclass(frozen=True)
class ImportSummary:
    added: int
    already: int


def _require_manager(actor: User) -> None:
    if not actor.has_perm("budget.manage_campaign"):
        raise PermissionDeniedError("La liste des votants est gérée par l'équipe de la Turbine.")


def _code_hash(campaign_id: int, code: str) -> str:
    return hashlib.sha256(f"turbine.budget.code:{campaign_id}:{code}".encode()).hexdigest()


def _clean_code(raw: str) -> str:
    return "".join(c for c in raw.upper() if c.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def voter_check_set(*, actor: User, campaign_id: int, voter_check: str) -> Campaign:
    """Choose how voters are checked; frozen once someone has voted (audit-logged)."""
    _require_manager(actor)
    if voter_check not in VoterCheck.values:
        raise BudgetError("Choisissez un contrôle des votants de la liste.", field="voter_check")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.voter_check == voter_check:
            return campaign
        if VoterRecord.objects.filter(campaign=campaign).exists():
            raise BudgetError(
                "Des personnes ont déjà voté : le contrôle des votants ne change plus.",
                field="voter_check",
            )
        campaign.voter_check = voter_check
        campaign.save(update_fields=["voter_check"])
        _log(campaign=campaign, actor=actor, action="voter_check_set", voter_check=voter_check)
    return campaign


def _parse(text: str) -> list[tuple[str, str]]:
    """(address as written, normalised) for each line; French errors naming the lines."""
    if "\x00" in text:
        raise BudgetError("Le fichier contient un caractère nul : ce n'est pas un fichier CSV.")
    if len(text.encode()) > MAX_BYTES:
        raise BudgetError("Le fichier dépasse 10 Mo : découpez-le en plusieurs imports.")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows: list[tuple[str, str]] = []
    errors: list[str] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    column = 0
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise BudgetError(f"Le fichier dépasse {MAX_ROWS:,} lignes.".replace(",", "\u202f"))
            cells = [c.strip() for c in row]
            if not any(cells):
                continue
            if number == 1 and any(c.lower() in HEADERS for c in cells):
                column = next(i for i, c in enumerate(cells) if c.lower() in HEADERS)
                continue
            address = cells[column] if column < len(cells) else ""
            try:
                if len(address) > 254:
                    raise ValidationError("too long")
                validate_email(address)
            except ValidationError:
                errors.append(f"ligne {number} : « {address[:60]} » n'est pas une adresse valide")
                continue
            rows.append((address, normalise_address(address)))
    except csv.Error as error:
        raise BudgetError(f"Fichier CSV illisible (ligne {reader.line_num}) : {error}.") from None
    if errors:
        more = f" (et {len(errors) - 5} autres)" if len(errors) > 5 else ""
        raise BudgetError("Rien n'a été importé : " + " ; ".join(errors[:5]) + more + ".")
    if not rows:
        raise BudgetError("Le fichier ne contient aucune adresse.")
    return rows


def _send_code(campaign: Campaign, voter: EligibleVoter) -> None:
    code = _new_code()
    voter.code_hash = _code_hash(campaign.pk, code)
    voter.code_sent = True
    context = {"campaign": campaign, "code": _display(code), "site_url": settings.SITE_URL}
    subject = render_to_string("budget/email/voter_code_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=f"[Turbine] {subject}",
        body=render_to_string("budget/email/voter_code.txt", context),
        to=[voter.address],
    )
    message.attach_alternative(
        render_to_string("budget/email/voter_code.html", context), "text/html"
    )
    send_after_commit(message)


def voter_list_import(*, actor: User, campaign_id: int, text: str) -> ImportSummary:
    """Add the addresses of a CSV file (one a line, or a column named « courriel », « email »
    or « adresse ») to the campaign's list of voters and send each new one its code.

    Addresses count once in their normalised form; those already listed are left as they are.
    All or nothing: one bad line and nothing is imported."""
    _require_manager(actor)
    rows = _parse(text)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        known = set(
            EligibleVoter.objects.filter(campaign=campaign).values_list("normalised", flat=True)
        )
        new: dict[str, EligibleVoter] = {}
        for address, normalised in rows:
            if normalised not in known and normalised not in new:
                new[normalised] = EligibleVoter(
                    campaign=campaign, address=address, normalised=normalised
                )
        for voter in new.values():
            _send_code(campaign, voter)
        EligibleVoter.objects.bulk_create(new.values(), batch_size=1000)
        summary = ImportSummary(added=len(new), already=len(rows) - len(new))
        _log(
            campaign=campaign,
            actor=actor,
            action="voter_list_import",
            added=summary.added,
            already=summary.already,
        )
    return summary


def voter_codes_resend(*, actor: User, campaign_id: int) -> int:
    """Send a new code (the old one stops working) to every listed person who has not used
    theirs; returns how many were sent (audit-logged)."""
    _require_manager(actor)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        voters = list(EligibleVoter.objects.filter(campaign=campaign, claimed=False))
        for voter in voters:
            _send_code(campaign, voter)
        EligibleVoter.objects.bulk_update(voters, ["code_hash", "code_sent"], batch_size=1000)
        _log(campaign=campaign, actor=actor, action="voter_codes_resend", sent=len(voters))
    return len(voters)


def voter_code_claim(*, user: User, campaign: Campaign, code: str) -> None:
    """Validate ``user``'s one-time code for the campaign (once; then they may vote)."""
    if campaign.voter_check != VoterCheck.LIST:
        raise BudgetError("Cette campagne ne demande pas de code.")
    if EligibleVoter.objects.filter(campaign=campaign, claimed_by=user).exists():
        raise BudgetError("Vous avez déjà validé votre code : vous pouvez voter.")
    throttle = f"budget:code-failures:{campaign.pk}:{user.pk}"
    if cache.get(throttle, 0) >= MAX_FAILURES:
        raise BudgetError("Trop de codes erronés : réessayez dans un quart d'heure.", field="code")
    cleaned = _clean_code(code or "")
    claimed = 0
    if len(cleaned) == CODE_LENGTH:
        try:
            with transaction.atomic():
                # Conditional UPDATE: two accounts entering the same code at once, one wins.
                claimed = EligibleVoter.objects.filter(
                    campaign=campaign, code_hash=_code_hash(campaign.pk, cleaned), claimed=False
                ).update(claimed=True, claimed_by=user)
        except IntegrityError:  # the same account validating two codes at once
            raise BudgetError("Vous avez déjà validé votre code : vous pouvez voter.") from None
    if not claimed:
        try:
            cache.incr(throttle)
        except ValueError:
            cache.set(throttle, 1, FAILURE_WINDOW)
        raise BudgetError(
            "Ce code n'est pas valable (ou il a déjà servi). Vérifiez-le dans le courriel reçu.",
            field="code",
        )
