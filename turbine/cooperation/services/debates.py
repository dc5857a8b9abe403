"""Every write on debates: questions, arguments and replies, the moderator's synthesis."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.cooperation.debates_registry import index_debates
from turbine.cooperation.models import Argument, Debate, Side
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.core.models import Theme

MAX_ARGUMENTS_PER_PERSON = 30


def _reindex(debate_id: int) -> None:
    transaction.on_commit(lambda: index_debates(ids=[debate_id]))


def debate_create(
    *, actor: User, question: str, context: str = "", themes: tuple[Theme, ...] = ()
) -> Debate:
    if not actor.has_perm("cooperation.moderate_debate"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine ouvre un débat.")
    question = question.strip()
    if len(question) < 10:
        raise TurbineError(
            "Formulez la question en une phrase d'au moins 10 caractères.", field="question"
        )
    with transaction.atomic():
        debate = Debate.objects.create(
            question=question[:300], context=context.strip()[:10_000], created_by=actor
        )
        debate.themes.set(themes)
        _reindex(debate.pk)
    return debate


def argument_add(
    *, user: User, debate_id: int, text: str, side: str = "", parent_id: int | None = None
) -> Argument:
    """A signed-in person adds an argument (with a side) or replies to one (without)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDeniedError("Connectez-vous pour participer au débat.")
    text = text.strip()
    if not text:
        raise TurbineError("Écrivez votre argument.", field="text")
    if len(text) > 2000:
        raise TurbineError("Un argument tient en 2 000 caractères au plus.", field="text")
    with transaction.atomic():
        debate = Debate.objects.public().select_for_update().filter(pk=debate_id).first()
        if debate is None:
            raise NotFoundError("Ce débat n'existe pas.")
        if not debate.is_open:
            raise TurbineError("Ce débat est clos : il n'accepte plus de contributions.")
        parent = None
        if parent_id is not None:
            parent = Argument.objects.filter(
                pk=parent_id, debate=debate, parent__isnull=True, is_hidden=False
            ).first()
            if parent is None:
                raise NotFoundError("L'argument auquel vous répondez n'existe pas.")
            side = ""
        elif side not in Side.values:
            raise TurbineError("Choisissez « pour » ou « contre ».", field="side")
        # Counted under the debate's lock: a burst of posts cannot pass the limit.
        if Argument.objects.filter(debate=debate, author=user).count() >= MAX_ARGUMENTS_PER_PERSON:
            raise TurbineError(
                f"Vous avez déjà contribué {MAX_ARGUMENTS_PER_PERSON} fois à ce débat."
            )
        return Argument.objects.create(
            debate=debate, parent=parent, side=side, text=text, author=user
        )


def debate_write_synthesis(
    *,
    actor: User,
    debate_id: int,
    agreements: str,
    disagreements: str,
    open_questions: str,
    close: bool = False,
) -> Debate:
    """The moderator's synthesis of agreements, disagreements and open questions (Markdown)."""
    if not actor.has_perm("cooperation.moderate_debate"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine rédige la synthèse.")
    with transaction.atomic():
        debate = Debate.objects.select_for_update().filter(pk=debate_id).first()
        if debate is None:
            raise NotFoundError("Ce débat n'existe pas.")
        debate.agreements = agreements.strip()[:10_000]
        debate.disagreements = disagreements.strip()[:10_000]
        debate.open_questions = open_questions.strip()[:10_000]
        debate.synthesis_by = actor
        debate.synthesis_at = timezone.now()
        if close:
            debate.is_open = False
        debate.save(
            update_fields=[
                "agreements",
                "disagreements",
                "open_questions",
                "synthesis_by",
                "synthesis_at",
                "is_open",
            ]
        )
        _reindex(debate.pk)
    return debate
