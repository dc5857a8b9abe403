"""Portraits (curated by staff, public only with the consent of the person portrayed) and
stories (written by staff or proposed by actors, published after staff review)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core import images
from turbine.core.exceptions import NotFoundError, TurbineError
from turbine.directory.models import Family, MembershipStatus, Organisation
from turbine.showcase.models import (
    Consent,
    PolicyLevel,
    Portrait,
    PortraitStatus,
    Story,
    StoryScope,
    StoryStatus,
)
from turbine.showcase.search_showcase import STORY, reindex_after_commit
from turbine.showcase.services._common import (
    MAX_LINKS,
    clean_text,
    communes_checked,
    projects_checked,
    require,
    send_text_email,
    themes_checked,
)
from turbine.steering.models import Indicator, Objective


def _organisation_of(actor: User, organisation_id: int | None) -> Organisation | None:
    """The organisation on whose behalf ``actor`` writes: staff may name any, others only one
    they are an active member of."""
    if organisation_id is None:
        return None
    organisation = Organisation.objects.filter(pk=organisation_id, is_hidden=False).first()
    if organisation is None:
        raise TurbineError("Cette organisation n'existe pas.", field="organisation")
    if (
        not actor.has_perm("showcase.manage_portraits")
        and not actor.memberships.filter(
            organisation=organisation, status=MembershipStatus.ACTIVE
        ).exists()
    ):
        raise TurbineError(
            "Vous ne pouvez écrire qu'au nom d'une organisation dont vous êtes membre.",
            field="organisation",
        )
    return organisation


# --- Portraits ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortraitData:
    name: str
    role: str
    family: str
    know_how: str
    tips: str = ""
    can_teach: str = ""
    person_email: str = ""
    organisation_id: int | None = None
    commune_code: str = ""
    theme_slugs: list[str] = field(default_factory=list)
    project_ids: list[int] = field(default_factory=list)


def _apply_portrait(portrait: Portrait, data: PortraitData) -> None:
    portrait.name = clean_text(data.name, field="name", max_length=120)
    portrait.role = clean_text(data.role, field="role", max_length=200)
    if data.family not in Family.values:
        raise TurbineError("Choisissez une famille d'acteurs.", field="family")
    portrait.family = data.family
    portrait.know_how = clean_text(data.know_how, field="know_how", max_length=5000)
    portrait.tips = clean_text(data.tips, field="tips", max_length=5000, required=False)
    portrait.can_teach = clean_text(
        data.can_teach, field="can_teach", max_length=3000, required=False
    )
    portrait.organisation = (
        Organisation.objects.filter(pk=data.organisation_id, is_hidden=False).first()
        if data.organisation_id
        else None
    )
    if data.organisation_id and portrait.organisation is None:
        raise TurbineError("Cette organisation n'existe pas.", field="organisation")
    portrait.commune = communes_checked([data.commune_code])[0] if data.commune_code else None


def portrait_create(*, actor: User, data: PortraitData) -> Portrait:
    """Staff write a portrait. When the person has an account (``person_email``), they are asked
    for their consent by email and decide themselves; otherwise staff record the consent."""
    require(actor.has_perm("showcase.manage_portraits"))
    person = None
    if data.person_email:
        person = User.objects.filter(
            email__iexact=data.person_email.strip(), is_active=True
        ).first()
        if person is None:
            raise TurbineError("Aucun compte n'a cette adresse.", field="person_email")
    with transaction.atomic():
        portrait = Portrait(person=person, created_by=actor)
        _apply_portrait(portrait, data)
        portrait.save()
        portrait.themes.set(themes_checked(data.theme_slugs))
        portrait.projects.set(projects_checked(data.project_ids))
        if person is not None:
            send_text_email(
                to=[person.email],
                subject="Votre accord pour un portrait dans la vitrine",
                template="portrait_consent",
                context={"portrait": portrait},
            )
    return portrait


def portrait_update(*, actor: User, portrait_id: int, data: PortraitData) -> Portrait:
    require(actor.has_perm("showcase.manage_portraits"))
    with transaction.atomic():
        portrait = Portrait.objects.select_for_update().filter(pk=portrait_id).first()
        if portrait is None:
            raise NotFoundError("Portrait introuvable.")
        _apply_portrait(portrait, data)
        portrait.save()
        portrait.themes.set(themes_checked(data.theme_slugs))
        portrait.projects.set(projects_checked(data.project_ids))
    return portrait


def portrait_decide_consent(*, user: User, portrait_id: int, agree: bool) -> Portrait:
    """The person portrayed gives or withdraws their consent; withdrawing takes the portrait
    out of the showcase at once."""
    portrait = Portrait.objects.filter(pk=portrait_id).first()
    if portrait is None:
        raise NotFoundError("Portrait introuvable.")
    require(
        user.has_perm("showcase.consent_portrait", portrait),
        "Seule la personne portraiturée peut donner ou retirer son accord.",
    )
    Portrait.objects.filter(pk=portrait.pk).update(
        consent=Consent.GIVEN if agree else Consent.WITHDRAWN,
        consent_at=timezone.now(),
        consent_record="" if agree else "Accord retiré par la personne",
        updated_at=timezone.now(),
    )
    portrait.refresh_from_db()
    return portrait


def portrait_record_consent(*, actor: User, portrait_id: int, record: str) -> Portrait:
    """Staff record the consent of a person without an account, with its trace."""
    require(actor.has_perm("showcase.manage_portraits"))
    record = clean_text(record, field="consent_record", max_length=300)
    portrait = Portrait.objects.filter(pk=portrait_id).first()
    if portrait is None:
        raise NotFoundError("Portrait introuvable.")
    if portrait.person_id is not None:
        raise TurbineError(
            "Cette personne a un compte : c'est à elle de donner son accord.",
            field="consent_record",
        )
    Portrait.objects.filter(pk=portrait.pk).update(
        consent=Consent.GIVEN, consent_record=record, consent_at=timezone.now()
    )
    portrait.refresh_from_db()
    return portrait


def portrait_publish(*, actor: User, portrait_id: int, publish: bool = True) -> Portrait:
    """Publish (only with consent) or take the portrait out of the showcase."""
    require(actor.has_perm("showcase.manage_portraits"))
    now = timezone.now()
    if publish:
        # Conditional UPDATE: the consent may be withdrawn between the page and this click.
        done = Portrait.objects.filter(pk=portrait_id, consent=Consent.GIVEN).update(
            status=PortraitStatus.PUBLISHED, published_at=now, updated_at=now
        )
        if not done:
            if not Portrait.objects.filter(pk=portrait_id).exists():
                raise NotFoundError("Portrait introuvable.")
            raise TurbineError(
                "Ce portrait ne peut être publié qu'avec l'accord de la personne portraiturée."
            )
    else:
        done = Portrait.objects.filter(pk=portrait_id).update(
            status=PortraitStatus.ARCHIVED, updated_at=now
        )
        if not done:
            raise NotFoundError("Portrait introuvable.")
    return Portrait.objects.get(pk=portrait_id)


def portrait_feature(*, actor: User, portrait_id: int, featured: bool) -> None:
    require(actor.has_perm("showcase.manage_portraits"))
    if not Portrait.objects.filter(pk=portrait_id).update(is_featured=featured):
        raise NotFoundError("Portrait introuvable.")


# --- Stories --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryData:
    title: str
    summary: str
    body: str
    scope: str = StoryScope.LOCAL
    objective: str = ""
    indicator_note: str = ""
    policy_level: str = ""
    policy: str = ""
    project_ids: list[int] = field(default_factory=list)
    portrait_ids: list[int] = field(default_factory=list)
    commune_codes: list[str] = field(default_factory=list)
    theme_slugs: list[str] = field(default_factory=list)
    objective_ids: list[int] = field(default_factory=list)
    indicator_ids: list[int] = field(default_factory=list)
    organisation_id: int | None = None
    image: Any = None
    image_alt: str = ""


def _apply_story(story: Story, data: StoryData, *, actor: User) -> None:
    story.title = clean_text(data.title, field="title", max_length=200)
    story.summary = clean_text(data.summary, field="summary", max_length=400)
    story.body = clean_text(data.body, field="body", max_length=30_000)
    if data.scope not in StoryScope.values:
        raise TurbineError("Choisissez l'échelle du récit.", field="scope")
    story.scope = data.scope
    story.objective = clean_text(data.objective, field="objective", max_length=300, required=False)
    story.indicator_note = clean_text(
        data.indicator_note, field="indicator_note", max_length=300, required=False
    )
    story.policy = clean_text(data.policy, field="policy", max_length=300, required=False)
    if data.policy_level and data.policy_level not in PolicyLevel.values:
        raise TurbineError("Niveau de politique inconnu.", field="policy_level")
    story.policy_level = data.policy_level
    if story.scope == StoryScope.GLOBAL and not (story.policy and story.policy_level):
        raise TurbineError(
            "Un récit global dit quelle politique il sert, et à quel niveau.", field="policy"
        )
    story.organisation = _organisation_of(actor, data.organisation_id)
    alt = clean_text(data.image_alt, field="image_alt", max_length=300, required=False)
    if data.image is not None:
        if not alt:
            raise TurbineError("Décrivez l'image pour qui ne la voit pas.", field="image_alt")
        content = images.reencode(data.image, max_side=1600, fmt="JPEG", field="image").content
        story.image.save("recit.jpg", content, save=False)
    elif story.image and not alt:
        raise TurbineError("Décrivez l'image pour qui ne la voit pas.", field="image_alt")
    story.image_alt = alt


def _story_links(story: Story, data: StoryData) -> None:
    story.projects.set(projects_checked(data.project_ids))
    portrait_ids = list(dict.fromkeys(data.portrait_ids))[:MAX_LINKS]
    portraits = list(Portrait.objects.public().filter(pk__in=portrait_ids))
    if len(portraits) != len(portrait_ids):
        raise TurbineError(
            "Une des personnes choisies n'a pas de portrait public.", field="portraits"
        )
    story.portraits.set(portraits)
    story.communes.set(communes_checked(data.commune_codes))
    story.themes.set(themes_checked(data.theme_slugs))
    objective_ids = list(dict.fromkeys(data.objective_ids))[:MAX_LINKS]
    objectives = list(Objective.objects.filter(pk__in=objective_ids))
    if len(objectives) != len(objective_ids):
        raise TurbineError("Un des objectifs choisis n'existe pas.", field="steering_objectives")
    story.steering_objectives.set(objectives)
    indicator_ids = list(dict.fromkeys(data.indicator_ids))[:MAX_LINKS]
    indicators = list(Indicator.objects.filter(pk__in=indicator_ids))
    if len(indicators) != len(indicator_ids):
        raise TurbineError("Un des indicateurs choisis n'existe pas.", field="steering_indicators")
    story.steering_indicators.set(indicators)


def story_create(*, actor: User, data: StoryData, submit: bool = False) -> Story:
    """An actor writes a story (draft, or submitted for review); staff's stories are published
    when ``submit`` is true, as their review is their own."""
    require(actor.has_perm("showcase.propose_story"), "Connectez-vous pour proposer un récit.")
    with transaction.atomic():
        story = Story(author=actor)
        _apply_story(story, data, actor=actor)
        now = timezone.now()
        if submit and actor.has_perm("showcase.review_story"):
            story.status, story.published_at, story.reviewed_by = StoryStatus.PUBLISHED, now, actor
        elif submit:
            story.status, story.submitted_at = StoryStatus.SUBMITTED, now
        story.save()
        _story_links(story, data)
        reindex_after_commit(kind=STORY, ids=[story.pk])
    return story


def get_story_for_edit(*, user: User, story_id: int) -> Story:
    story = Story.objects.filter(pk=story_id).first()
    if story is None:
        raise NotFoundError("Récit introuvable.")
    require(user.has_perm("showcase.edit_story", story))
    if story.status == StoryStatus.PUBLISHED and not user.has_perm("showcase.review_story"):
        raise TurbineError("Un récit publié ne se modifie plus que par l'équipe de la Turbine.")
    return story


def story_update(*, actor: User, story_id: int, data: StoryData, submit: bool = False) -> Story:
    with transaction.atomic():
        story = get_story_for_edit(user=actor, story_id=story_id)
        story = Story.objects.select_for_update().get(pk=story.pk)
        _apply_story(story, data, actor=actor)
        if submit and story.status in (StoryStatus.DRAFT, StoryStatus.REJECTED):
            story.status, story.submitted_at = StoryStatus.SUBMITTED, timezone.now()
        story.save()
        _story_links(story, data)
        reindex_after_commit(kind=STORY, ids=[story.pk])
    return story


def story_review(*, actor: User, story_id: int, publish: bool, note: str = "") -> Story:
    """Staff publish a submitted story, or send it back with a note for its author."""
    require(actor.has_perm("showcase.review_story"))
    note = clean_text(note, field="review_note", max_length=2000, required=not publish)
    now = timezone.now()
    with transaction.atomic():
        story = Story.objects.select_for_update().filter(pk=story_id).first()
        if story is None:
            raise NotFoundError("Récit introuvable.")
        if story.status not in (StoryStatus.SUBMITTED, StoryStatus.DRAFT):
            raise TurbineError("Ce récit n'attend pas de relecture.")
        story.status = StoryStatus.PUBLISHED if publish else StoryStatus.REJECTED
        story.review_note, story.reviewed_by = note, actor
        if publish:
            story.published_at = now
        story.save(update_fields=["status", "review_note", "reviewed_by", "published_at"])
        reindex_after_commit(kind=STORY, ids=[story.pk])
        if story.author is not None and story.author_id != actor.pk:
            send_text_email(
                to=[story.author.email],
                subject="Votre récit est publié" if publish else "Votre récit n'est pas retenu",
                template="story_reviewed",
                context={"story": story},
            )
    return story
