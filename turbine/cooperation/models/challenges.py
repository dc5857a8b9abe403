"""Common challenges of the transition (« rendre cyclable le territoire »): proposed by actors or
citizens, chosen by an approval vote, with a measurable target; pledges of a quantity by people
or organisations, possibly conditional, and the progress they report with evidence."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ChallengeStatus(models.TextChoices):
    PROPOSED = "proposition", _("Proposition soumise au vote")
    CHOSEN = "retenu", _("Défi retenu")
    SET_ASIDE = "non-retenu", _("Non retenu")


class ChallengeQuerySet(models.QuerySet):
    def public(self) -> ChallengeQuerySet:
        return self.filter(is_hidden=False)


class Challenge(models.Model):
    title = models.CharField(_("intitulé du défi"), max_length=200)
    description = models.TextField(_("description"), max_length=10_000)
    status = models.CharField(
        max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_for = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("au nom de l'organisation"),
    )
    # The measurable target.
    indicator = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40)
    baseline = models.DecimalField(
        _("valeur de départ"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    target = models.DecimalField(
        _("valeur visée"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    deadline = models.DateField(_("échéance"))
    scope = models.CharField(_("périmètre"), max_length=200)
    is_demo = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    chosen_at = models.DateTimeField(null=True, blank=True)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("défi commun")
        verbose_name_plural = _("défis communs")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gt=models.F("baseline")), name="target_gt_baseline"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:challenge_detail", args=[self.pk])


class ChallengeApproval(models.Model):
    """An approval of a proposal: a person approves as many proposals as they wish, once each."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="approval_once"),
        ]

    def __str__(self) -> str:
        return f"approbation {self.pk}"


class Pledge(models.Model):
    """« 20 arceaux vélo » by a person or an organisation, by a date; with ``threshold`` it
    holds only once that many other pledges have joined (as PledgeBank did)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="pledges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_pledges"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenge_pledges",
        verbose_name=_("au nom de l'organisation"),
    )
    quantity = models.DecimalField(
        _("quantité promise"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    description = models.CharField(_("engagement"), max_length=300)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    due_date = models.DateField(_("date d'échéance"))
    threshold = models.PositiveSmallIntegerField(
        _("seulement si d'autres s'engagent aussi (nombre)"), null=True, blank=True
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description


class PledgeReport(models.Model):
    """Progress on a pledge: the quantity done since the previous report, with evidence."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reports")
    value = models.DecimalField(
        _("quantité réalisée"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    date = models.DateField(_("date"))
    evidence_url = models.URLField(_("lien vers une preuve"), blank=True, max_length=500)
    # A document as evidence: a photo (re-encoded, never stored as uploaded) or a PDF (type read
    # from its first bytes), under a random name, served as an attachment.
    evidence_file = models.FileField(
        _("document de preuve"), upload_to="cooperation/reports/", blank=True
    )
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)
    note = models.CharField(_("précisions"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.value} le {self.date}"
