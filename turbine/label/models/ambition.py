"""The ambition charter of local authorities: commitments with measurable targets, adopted by
deliberation, and the yearly review of where each stands."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AmbitionCharter(models.Model):
    """The ambition charter adopted by one commune or one agglomeration."""

    commune = models.OneToOneField(
        "territory.Commune",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ambition_charter",
        verbose_name=_("commune"),
    )
    agglomeration = models.OneToOneField(
        "territory.Agglomeration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ambition_charter",
        verbose_name=_("agglomération"),
    )
    deliberation_date = models.DateField(_("date de la délibération"))
    deliberation_reference = models.CharField(
        _("référence de la délibération"), max_length=100, blank=True
    )
    summary = models.TextField(_("ambition en quelques mots"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deliberation_date", "id"]
        verbose_name = _("charte d'ambition")
        verbose_name_plural = _("chartes d'ambition")
        constraints = [
            models.CheckConstraint(
                condition=(Q(commune__isnull=False) & Q(agglomeration__isnull=True))
                | (Q(commune__isnull=True) & Q(agglomeration__isnull=False)),
                name="ambition_charter_one_authority",
            )
        ]

    def __str__(self) -> str:
        return str(self.authority_name)

    def get_absolute_url(self) -> str:
        return reverse("label:ambition_detail", args=[self.pk])

    @property
    def authority_name(self) -> str:
        if self.commune:
            return self.commune.name
        assert self.agglomeration is not None  # the check constraint: one of the two
        return self.agglomeration.name


class AmbitionCommitment(models.Model):
    """A commitment with a measurable target: reach ``target_value`` ``unit`` of ``indicator``
    by ``target_year``."""

    charter = models.ForeignKey(
        AmbitionCharter, on_delete=models.CASCADE, related_name="commitments"
    )
    title = models.CharField(_("engagement"), max_length=200)
    indicator = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40)
    baseline_value = models.DecimalField(
        _("valeur de départ"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("année de départ"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    target_value = models.DecimalField(_("valeur visée"), max_digits=14, decimal_places=2)
    target_year = models.PositiveSmallIntegerField(
        _("année visée"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return self.title


class CommitmentStatus(models.TextChoices):
    REACHED = "atteint", _("Atteint")
    ON_TRACK = "en-bonne-voie", _("En bonne voie")
    LATE = "en-retard", _("En retard")
    ABANDONED = "abandonne", _("Abandonné")


class AmbitionReview(models.Model):
    """The yearly review of an ambition charter."""

    charter = models.ForeignKey(AmbitionCharter, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    reviewed_on = models.DateField(_("date du bilan"))
    summary = models.TextField(_("synthèse"), blank=True, max_length=10_000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("bilan annuel")
        verbose_name_plural = _("bilans annuels")
        constraints = [
            models.UniqueConstraint(fields=["charter", "year"], name="ambition_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.charter} {self.year}"


class CommitmentStatusEntry(models.Model):
    """Where one commitment stands in one yearly review."""

    review = models.ForeignKey(AmbitionReview, on_delete=models.CASCADE, related_name="entries")
    commitment = models.ForeignKey(
        AmbitionCommitment, on_delete=models.CASCADE, related_name="entries"
    )
    status = models.CharField(_("état"), max_length=20, choices=CommitmentStatus.choices)
    measured_value = models.DecimalField(
        _("valeur mesurée"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("raison"), blank=True, max_length=2000)

    class Meta:
        ordering = ["commitment__position", "commitment_id"]
        verbose_name = _("état d'un engagement")
        verbose_name_plural = _("états des engagements")
        constraints = [
            models.UniqueConstraint(fields=["review", "commitment"], name="commitment_entry_once"),
            models.CheckConstraint(
                condition=~Q(status="abandonne") | ~Q(reason=""),
                name="commitment_abandoned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.status}"
