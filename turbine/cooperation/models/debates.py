"""Debates that explore disagreement: a question, arguments for and against with replies, and a
moderator's synthesis kept with the debate."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DebateQuerySet(models.QuerySet["Debate"]):
    def public(self) -> DebateQuerySet:
        return self.filter(is_hidden=False)


class Debate(models.Model):
    question = models.CharField(_("question débattue"), max_length=300)
    context = models.TextField(_("contexte"), blank=True, max_length=10_000)
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="debates", verbose_name=_("thèmes")
    )
    is_open = models.BooleanField(_("ouvert aux contributions"), default=True)
    # The moderator's synthesis (Markdown), kept with the debate.
    agreements = models.TextField(_("points d'accord"), blank=True, max_length=10_000)
    disagreements = models.TextField(_("points de désaccord"), blank=True, max_length=10_000)
    open_questions = models.TextField(_("questions ouvertes"), blank=True, max_length=10_000)
    synthesis_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    synthesis_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DebateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("débat")
        verbose_name_plural = _("débats")

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("cooperation:debate_detail", args=[self.pk])

    @property
    def has_synthesis(self) -> bool:
        return bool(self.agreements or self.disagreements or self.open_questions)


class Side(models.TextChoices):
    FOR = "pour", _("Pour")
    AGAINST = "contre", _("Contre")


class Argument(models.Model):
    """An argument for or against, or (with a parent) a reply to one. Arguments carry no score
    and no author role: every voice weighs the same."""

    debate = models.ForeignKey(Debate, on_delete=models.CASCADE, related_name="arguments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    side = models.CharField(_("position"), max_length=6, choices=Side.choices, blank=True)
    text = models.TextField(_("argument"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="debate_arguments",
    )
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")
        constraints = [
            # A top-level argument takes a side; a reply takes none (it answers its parent).
            models.CheckConstraint(
                condition=(Q(parent__isnull=True) & ~Q(side=""))
                | (Q(parent__isnull=False) & Q(side="")),
                name="argument_side_or_reply",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]
