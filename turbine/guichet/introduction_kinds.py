"""Introductions to a mentor of the réseau des porteurs (directory's introduction registry): the
target is a mentor offer, the subject the newcomer's own request."""

from __future__ import annotations

from turbine.accounts.models import User
from turbine.directory import introductions
from turbine.guichet.models import MentorOffer, SupportRequest

MENTOR = "parrain"
REQUEST = "demande-guichet"


def _mentor_target(object_id: str) -> introductions.Target | None:
    if not object_id.isdigit():
        return None
    offer = (
        MentorOffer.objects.filter(pk=int(object_id), is_active=True)
        .select_related("user", "project")
        .first()
    )
    if offer is None:
        return None
    project = offer.project
    return introductions.Target(
        title=f"{offer.user.public_name} – {project.title}",
        url=project.get_absolute_url() if project.is_public else "",
        recipient=offer.user,
    )


def _own_request(object_id: str, user: User) -> tuple[str, str] | None:
    if not object_id.isdigit():
        return None
    support_request = (
        SupportRequest.objects.filter(pk=int(object_id), holder_id=user.pk)
        .select_related("project")
        .first()
    )
    if support_request is None:
        return None
    return support_request.project.title, support_request.get_absolute_url()


introductions.register_target(kind=MENTOR, label="Parrain ou marraine", resolve=_mentor_target)
introductions.register_subject(
    kind=REQUEST, label="Demande au guichet unique", describe=_own_request
)
