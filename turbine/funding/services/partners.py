"""Partners for a call for projects: an actor who wants to answer says which partners they look
for (a ``PartnerSearch``); others ask to be introduced through the directory's introductions
(``turbine.directory.introductions``): the partner search is registered there as a target kind
("partenaires-appel") and the call as a subject kind ("appel"), so requests, two-sided contact
sharing, emails, the "Mises en relation" page and the counts are the directory's.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.core.exceptions import NotFoundError, PermissionDeniedError
from turbine.directory import introductions
from turbine.funding import rules as funding_rules
from turbine.funding.models import Aid, PartnerSearch, live_q
from turbine.funding.services.catalogue import FundingError

TARGET_KIND = "partenaires-appel"
SUBJECT_KIND = "appel"


def _require_login(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour chercher des partenaires.")


@transaction.atomic
def partner_search_create(
    *, user: Any, aid_id: int, looking_for: str, organisation: str = ""
) -> PartnerSearch:
    _require_login(user)
    aid = Aid.objects.filter(live_q(), pk=aid_id).first()
    if aid is None:
        raise NotFoundError("Cette aide n'est plus en cours.")
    if not aid.is_call_for_projects:
        raise FundingError("On ne cherche des partenaires que pour un appel à projets ou un AMI.")
    looking_for = (looking_for or "").strip()
    if len(looking_for) < 10:
        raise FundingError(
            "Décrivez en quelques mots les partenaires que vous cherchez.", field="looking_for"
        )
    if len(looking_for) > 1000:
        raise FundingError("1 000 caractères au plus.", field="looking_for")
    try:
        with transaction.atomic():
            return PartnerSearch.objects.create(
                aid=aid,
                author=user,
                looking_for=looking_for,
                organisation=" ".join((organisation or "").split())[:200],
            )
    except IntegrityError:
        raise FundingError(
            "Vous cherchez déjà des partenaires pour cet appel : clôturez d'abord cette annonce."
        ) from None


@transaction.atomic
def partner_search_close(*, user: Any, search_id: int) -> PartnerSearch:
    _require_login(user)
    search = PartnerSearch.objects.select_for_update().filter(pk=search_id).first()
    if search is None:
        raise NotFoundError("Annonce introuvable.")
    if search.author_id != user.pk and not funding_rules.can_edit_catalogue(user):
        raise PermissionDeniedError("Seul son auteur peut clôturer cette annonce.")
    if search.closed_at is None:
        search.closed_at = timezone.now()
        search.save(update_fields=["closed_at"])
    return search


# --- Introductions, through the directory's mechanism ------------------------------------------


def _partner_search_target(object_id: str) -> introductions.Target | None:
    """An open partner search: its author answers the introduction requests."""
    if not object_id.isdigit():
        return None
    search = (
        PartnerSearch.objects.filter(pk=int(object_id), closed_at__isnull=True)
        .select_related("aid", "author")
        .first()
    )
    if search is None:
        return None
    who = search.organisation or str(search.author.public_name)
    return introductions.Target(
        f"{who} – partenaires pour « {search.aid.title} »",
        f"{search.aid.get_absolute_url()}#partenaires",
        search.author,
    )


def _call_subject(object_id: str, user: Any) -> tuple[str, str] | None:
    """The call for projects an introduction is about (any live call)."""
    if not object_id.isdigit():
        return None
    aid = Aid.objects.filter(live_q(), pk=int(object_id), is_call_for_projects=True).first()
    return (aid.title, aid.get_absolute_url()) if aid else None


introductions.register_target(
    kind=TARGET_KIND, label="Recherche de partenaires", resolve=_partner_search_target
)
introductions.register_subject(kind=SUBJECT_KIND, label="Appel à projets", describe=_call_subject)
