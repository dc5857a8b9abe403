"""Every write on panel reviews: staff open a review of a project (or a question), each member
of the drawn panel contributes once (equal weight), the facilitator writes and publishes the
reasoned opinion, the project's holder answers publicly."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.models import (
    MemberStatus,
    Panel,
    PanelReview,
    Rating,
    ReviewContribution,
    ReviewStatus,
)
from turbine.cooperation.selectors.panels import can_answer, member_of
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError


def _text(value: str, *, field: str, max_length: int, label: str, required: bool = False) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise TurbineError(f"Écrivez {label}.", field=field)
    if len(value) > max_length:
        raise TurbineError(
            f"{label.capitalize()} tient en {max_length} caractères au plus.", field=field
        )
    return value


def review_open(
    *, actor: User, panel_id: int, project_id: int | None = None, question: str = ""
) -> PanelReview:
    if not actor.has_perm("cooperation.manage_panel"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine ouvre un avis du panel.")
    question = _text(question, field="question", max_length=300, label="la question")
    with transaction.atomic():
        panel = Panel.objects.select_for_update().filter(pk=panel_id).first()
        if panel is None:
            raise NotFoundError("Ce panel n'existe pas.")
        project = None
        if project_id is not None:
            project = panel.projects.filter(pk=project_id).first()
            if project is None:
                raise TurbineError(
                    "Ce projet n'est pas parmi ceux que le panel examine.", field="project"
                )
        elif not question:
            raise TurbineError("Choisissez un projet ou écrivez une question.", field="question")
        if (
            project is not None
            and PanelReview.objects.filter(panel=panel, project=project).exists()
        ):
            raise TurbineError("Le panel a déjà un avis sur ce projet.", field="project")
        return PanelReview.objects.create(panel=panel, project=project, question=question)


def contribution_add(
    *,
    user: User,
    review_id: int,
    ambition_rating: int,
    daily_life_rating: int,
    comment: str,
    question: str = "",
    recommendation: str = "",
) -> ReviewContribution:
    """A member who accepted their place contributes once to an open review."""
    if ambition_rating not in Rating.values or daily_life_rating not in Rating.values:
        raise TurbineError("Choisissez une appréciation pour chaque question.")
    comment = _text(comment, field="comment", max_length=4000, label="votre avis", required=True)
    question = _text(question, field="question", max_length=2000, label="votre question")
    recommendation = _text(
        recommendation, field="recommendation", max_length=2000, label="votre recommandation"
    )
    with transaction.atomic():
        review = (
            PanelReview.objects.select_for_update(of=("self",))
            .select_related("panel")
            .filter(pk=review_id)
            .first()
        )
        if review is None:
            raise NotFoundError("Cet avis n'existe pas.")
        member = member_of(user=user, panel=review.panel)
        if member is None or member.status != MemberStatus.ACCEPTED:
            raise PermissionDeniedError("Seuls les membres du panel contribuent à son avis.")
        if review.status != ReviewStatus.OPEN:
            raise TurbineError("L'avis est publié : les contributions sont closes.")
        try:
            with transaction.atomic():
                return ReviewContribution.objects.create(
                    review=review,
                    member=member,
                    ambition_rating=ambition_rating,
                    daily_life_rating=daily_life_rating,
                    comment=comment,
                    question=question,
                    recommendation=recommendation,
                )
        except IntegrityError:
            raise TurbineError("Vous avez déjà contribué à cet avis.") from None


def review_write(
    *,
    actor: User,
    review_id: int,
    ambition: str,
    daily_life: str,
    questions_to_holder: str,
    recommendations: str,
    publish: bool = False,
) -> PanelReview:
    """The facilitator's synthesis of the members' contributions; ``publish`` makes it public
    (it then appears on the project's page)."""
    if not actor.has_perm("cooperation.manage_panel"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine rédige l'avis du panel.")
    fields = {
        "ambition": _text(ambition, field="ambition", max_length=10_000, label="l'ambition"),
        "daily_life": _text(
            daily_life, field="daily_life", max_length=10_000, label="la vie quotidienne"
        ),
        "questions_to_holder": _text(
            questions_to_holder,
            field="questions_to_holder",
            max_length=10_000,
            label="les questions",
        ),
        "recommendations": _text(
            recommendations, field="recommendations", max_length=10_000, label="les recommandations"
        ),
    }
    with transaction.atomic():
        review = PanelReview.objects.select_for_update().filter(pk=review_id).first()
        if review is None:
            raise NotFoundError("Cet avis n'existe pas.")
        if publish and not (fields["ambition"] and fields["daily_life"]):
            raise TurbineError(
                "Avant de publier, écrivez l'avis sur l'ambition et sur la vie quotidienne."
            )
        for name, value in fields.items():
            setattr(review, name, value)
        update = [*fields]
        if publish and review.status != ReviewStatus.PUBLISHED:
            review.status = ReviewStatus.PUBLISHED
            review.published_at = timezone.now()
            update += ["status", "published_at"]
        review.save(update_fields=update)
    return review


def review_answer(*, user: User, review_id: int, answer: str) -> PanelReview:
    """The project's holder answers the published review, publicly."""
    answer = _text(answer, field="answer", max_length=10_000, label="votre réponse", required=True)
    with transaction.atomic():
        review = (
            PanelReview.objects.select_for_update(of=("self",))
            .select_related("project")
            .filter(pk=review_id)
            .first()
        )
        if review is None:
            raise NotFoundError("Cet avis n'existe pas.")
        if not can_answer(user=user, review=review):
            raise PermissionDeniedError("Seul le porteur du projet répond à l'avis du panel.")
        if review.status != ReviewStatus.PUBLISHED:
            raise TurbineError("L'avis n'est pas encore publié.")
        review.answer = answer
        review.answered_by = user
        review.answered_at = timezone.now()
        review.save(update_fields=["answer", "answered_by", "answered_at"])
    return review
