"""Every write on working groups and peer teaching.

A working group must cross networks: each member brings one network of the directory (one of
their organisations' or their profile's), and the group works (message thread, documents,
meetings) only while its members come from at least ``MIN_NETWORKS`` networks. Joining and
leaving lock the group row and recount its networks, so the count never drifts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from turbine.accounts.models import User
from turbine.cooperation.models import (
    MIN_NETWORKS,
    Event,
    GroupDocument,
    GroupMember,
    GroupMessage,
    KnowHowOffer,
    KnowHowRequest,
    WorkingGroup,
    WorkTheme,
)
from turbine.cooperation.uploads import check_document, stored_name
from turbine.core.email import send_after_commit
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.directory.models import MembershipStatus, Network
from turbine.projects.models import Project

MAX_DOCUMENTS = 100
MAX_NOTIFIED = 300


def networks_of(user: User) -> list[Network]:
    """The networks a person may bring: those of their organisations (active memberships) and
    of their directory profile."""
    if not getattr(user, "is_authenticated", False):
        return []
    via_organisations = Network.objects.filter(
        organisations__memberships__user=user,
        organisations__memberships__status=MembershipStatus.ACTIVE,
    ).values("pk")
    via_profile = Network.objects.filter(people__user=user).values("pk")
    return list(
        Network.objects.filter(Q(pk__in=via_organisations) | Q(pk__in=via_profile)).order_by("name")
    )


def _network_for(user: User, network_id: int | None) -> Network:
    available = {n.pk: n for n in networks_of(user)}
    if not available:
        raise TurbineError(
            "Pour rejoindre un groupe, rattachez-vous d'abord à un réseau de l'annuaire "
            "(par une organisation ou votre profil).",
            field="network",
        )
    if network_id not in available:
        raise TurbineError("Choisissez un réseau auquel vous êtes rattaché·e.", field="network")
    return available[network_id]


def _recount(group: WorkingGroup) -> None:
    """Must be called inside a transaction holding the lock on ``group``."""
    group.network_count = (
        GroupMember.objects.filter(group=group).values("network").distinct().count()
    )
    group.save(update_fields=["network_count"])


def work_theme_create(
    *, actor: User, title: str, description: str = "", themes: tuple[Theme, ...] = ()
) -> WorkTheme:
    if not actor.has_perm("cooperation.manage_work_themes"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine propose les thématiques.")
    title = title.strip()
    if not title:
        raise TurbineError("Donnez un titre à la thématique.", field="title")
    if WorkTheme.objects.filter(title__iexact=title).exists():
        raise TurbineError("Cette thématique existe déjà.", field="title")
    with transaction.atomic():
        theme = WorkTheme.objects.create(title=title[:200], description=description.strip())
        theme.themes.set(themes)
    return theme


def group_create(
    *,
    actor: User,
    work_theme_id: int,
    name: str,
    description: str,
    network_id: int | None,
) -> WorkingGroup:
    """A signed-in person starts a group on a theme, bringing one of their networks; the group
    works once a member of another network joins."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour créer un groupe.")
    theme = WorkTheme.objects.filter(pk=work_theme_id).first()
    if theme is None:
        raise TurbineError("Choisissez une thématique de travail.", field="work_theme")
    network = _network_for(actor, network_id)
    name = name.strip()
    if not name:
        raise TurbineError("Donnez un nom au groupe.", field="name")
    with transaction.atomic():
        group = WorkingGroup.objects.create(
            work_theme=theme,
            name=name[:200],
            description=description.strip()[:10_000],
            created_by=actor,
        )
        GroupMember.objects.create(group=group, user=actor, network=network)
        _recount(group)
    return group


def _lock_group(group_id: int) -> WorkingGroup:
    group = WorkingGroup.objects.public().select_for_update().filter(pk=group_id).first()
    if group is None:
        raise NotFoundError("Ce groupe n'existe pas.")
    return group


def group_join(*, user: User, group_id: int, network_id: int | None) -> GroupMember:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour rejoindre un groupe.")
    network = _network_for(user, network_id)
    with transaction.atomic():
        # Locked: the network count is recomputed from the members under this lock.
        group = _lock_group(group_id)
        if GroupMember.objects.filter(group=group, user=user).exists():
            raise TurbineError("Vous êtes déjà membre de ce groupe.")
        try:
            with transaction.atomic():
                member = GroupMember.objects.create(group=group, user=user, network=network)
        except IntegrityError:
            raise TurbineError("Vous êtes déjà membre de ce groupe.") from None
        _recount(group)
    return member


def group_leave(*, user: User, group_id: int) -> WorkingGroup:
    with transaction.atomic():
        group = _lock_group(group_id)
        deleted, _ = GroupMember.objects.filter(group=group, user=user).delete()
        if not deleted:
            raise TurbineError("Vous n'êtes pas membre de ce groupe.")
        _recount(group)
    return group


def group_set_notify(*, user: User, group_id: int, notify: bool) -> None:
    changed = GroupMember.objects.filter(group_id=group_id, user=user).update(notify=notify)
    if not changed:
        raise TurbineError("Vous n'êtes pas membre de ce groupe.")


def _working_member(user: User, group_id: int) -> tuple[WorkingGroup, GroupMember]:
    group = WorkingGroup.objects.public().filter(pk=group_id).first()
    if group is None:
        raise NotFoundError("Ce groupe n'existe pas.")
    member = (
        GroupMember.objects.filter(group=group, user=user).first()
        if user.is_authenticated
        else None
    )
    if member is None:
        raise PermissionDeniedError("Seuls les membres du groupe peuvent faire cela.")
    if not group.crosses_networks:
        raise TurbineError(
            f"Le groupe se met au travail quand ses membres viennent d'au moins {MIN_NETWORKS} "
            "réseaux : invitez une personne d'un autre réseau."
        )
    return group, member


def message_post(*, user: User, group_id: int, body: str) -> GroupMessage:
    """A member writes in the thread; the other members who want it get it by email."""
    body = body.strip()
    if not body:
        raise TurbineError("Écrivez votre message.", field="body")
    if len(body) > 5000:
        raise TurbineError("Un message tient en 5 000 caractères au plus.", field="body")
    group, _ = _working_member(user, group_id)
    with transaction.atomic():
        message = GroupMessage.objects.create(group=group, author=user, body=body)
        recipients = list(
            GroupMember.objects.filter(group=group, notify=True)
            .exclude(user=user)
            .select_related("user")
            .order_by("id")[:MAX_NOTIFIED]
        )
        context = {
            "group": group,
            "message": message,
            "author": user.display_name or "Une personne du groupe",
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("cooperation/groups/email/message_subject.txt", context)
        text = render_to_string("cooperation/groups/email/message.txt", context)
        html = render_to_string("cooperation/groups/email/message.html", context)
        for member in recipients:
            email = EmailMultiAlternatives(
                subject=f"[Turbine] {subject.strip()}", body=text, to=[member.user.email]
            )
            email.attach_alternative(html, "text/html")
            send_after_commit(email)
    return message


def document_add(*, user: User, group_id: int, title: str, upload: UploadedFile) -> GroupDocument:
    title = title.strip()
    if not title:
        raise TurbineError("Donnez un titre au document.", field="title")
    checked = check_document(upload)
    group, _ = _working_member(user, group_id)
    with transaction.atomic():
        WorkingGroup.objects.select_for_update().filter(pk=group.pk).first()
        if group.documents.count() >= MAX_DOCUMENTS:
            raise TurbineError(f"Un groupe garde au plus {MAX_DOCUMENTS} documents.")
        document = GroupDocument(
            group=group,
            title=title[:200],
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user,
        )
        upload.seek(0)
        document.file.save(stored_name(checked), ContentFile(upload.read()), save=False)
        document.save()
    return document


def can_hold_group_meetings(*, user: User, group: WorkingGroup) -> bool:
    return (
        group.crosses_networks
        and getattr(user, "is_authenticated", False)
        and GroupMember.objects.filter(group=group, user=user).exists()
    )


# --- Peer teaching --------------------------------------------------------------------------


def offer_create(
    *,
    user: User,
    title: str,
    description: str,
    project_id: int | None = None,
    themes: tuple[Theme, ...] = (),
) -> KnowHowOffer:
    """Someone who has done something offers to teach it, linked to one of their projects."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour proposer un savoir-faire.")
    title, description = title.strip(), description.strip()
    if not title:
        raise TurbineError("Dites quel savoir-faire vous proposez.", field="title")
    if not description:
        raise TurbineError("Décrivez ce que vous transmettez.", field="description")
    project = None
    if project_id is not None:
        project = Project.objects.filter(pk=project_id).first()
        holds = project is not None and (
            project.holder_user_id == user.pk
            or (
                project.holder_organisation is not None
                and project.holder_organisation.memberships.filter(
                    user=user, status=MembershipStatus.ACTIVE
                ).exists()
            )
        )
        if not holds:
            raise TurbineError("Choisissez un projet que vous portez.", field="project")
    with transaction.atomic():
        offer = KnowHowOffer.objects.create(
            title=title[:200], description=description[:10_000], offered_by=user, project=project
        )
        offer.themes.set(themes)
    return offer


def offer_request(*, user: User, offer_id: int, message: str = "") -> KnowHowRequest:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour demander à participer.")
    offer = KnowHowOffer.objects.filter(pk=offer_id, is_hidden=False).first()
    if offer is None:
        raise NotFoundError("Ce savoir-faire n'existe pas.")
    if offer.offered_by_id == user.pk:
        raise TurbineError("C'est votre propre proposition.")
    try:
        with transaction.atomic():
            return KnowHowRequest.objects.create(
                offer=offer, user=user, message=message.strip()[:500]
            )
    except IntegrityError:
        raise TurbineError("Vous avez déjà demandé à participer.") from None


def notify_offer_session(*, event_id: int) -> int:
    """Tells everyone who asked to attend a know-how offer that a session is scheduled; called
    in the transaction that created the event (emails leave after commit)."""
    event = Event.objects.select_related("know_how_offer", "commune").get(pk=event_id)
    offer = event.know_how_offer
    if offer is None:
        return 0
    requests = list(offer.requests.select_related("user").order_by("id")[:MAX_NOTIFIED])
    context = {"offer": offer, "event": event, "site_url": settings.SITE_URL}
    subject = render_to_string("cooperation/groups/email/session_subject.txt", context)
    text = render_to_string("cooperation/groups/email/session.txt", context)
    html = render_to_string("cooperation/groups/email/session.html", context)
    for request in requests:
        email = EmailMultiAlternatives(
            subject=f"[Turbine] {subject.strip()}", body=text, to=[request.user.email]
        )
        email.attach_alternative(html, "text/html")
        send_after_commit(email)
    return len(requests)
