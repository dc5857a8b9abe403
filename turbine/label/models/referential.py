"""The label's referential: a tree axe > critère > sous-critère with points on each node, the
evidence expected and a category per leaf, and the levels (stars) granted on the fait share."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Referential(models.Model):
    """A version of the referential. Applications are assessed against the one they started on;
    new applications use the current one (``is_current``)."""

    name = models.CharField(_("nom"), max_length=200)
    version = models.CharField(_("version"), max_length=20)
    description = models.TextField(_("présentation"), blank=True, max_length=10_000)
    is_current = models.BooleanField(_("référentiel en vigueur"), default=False)
    validity_years = models.PositiveSmallIntegerField(
        _("durée de validité du label (ans)"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    commitments = models.TextField(
        _("engagements du label (Markdown)"), blank=True, max_length=20_000
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_current", "-created_at"]
        verbose_name = _("référentiel")
        verbose_name_plural = _("référentiels")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="referential_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


class NodeKind(models.TextChoices):
    AXIS = "axe", _("Axe")
    CRITERION = "critere", _("Critère")
    SUBCRITERION = "sous-critere", _("Sous-critère")


class Category(models.TextChoices):
    BASES = "bases", _("Bases")
    IMPLEMENTATION = "mise-en-oeuvre", _("Mise en œuvre")
    EFFECTS = "effets", _("Effets")


class ReferentialNode(models.Model):
    """A node of the tree; ``identifier`` is its dotted number (« 2.3.1 »)."""

    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("niveau"), max_length=20, choices=NodeKind.choices)
    identifier = models.CharField(_("numéro"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    points = models.DecimalField(
        _("points"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10_000))],
    )
    evidence_expected = models.TextField(_("preuves attendues"), blank=True, max_length=2000)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["referential_id", "position", "id"]
        verbose_name = _("nœud du référentiel")
        verbose_name_plural = _("nœuds du référentiel")
        constraints = [
            models.UniqueConstraint(
                fields=["referential", "identifier"], name="referential_node_identifier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.title}"

    @property
    def depth(self) -> int:
        return self.identifier.count(".")


class Level(models.Model):
    """A level of the label: granted when the fait share of the potential reaches
    ``min_fait_share`` (0 to 1) and every requirement is met."""

    referential = models.ForeignKey(Referential, on_delete=models.CASCADE, related_name="levels")
    stars = models.PositiveSmallIntegerField(
        _("étoiles"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField(_("nom"), max_length=100)
    min_fait_share = models.DecimalField(
        _("part « fait » minimale"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        ordering = ["referential_id", "stars"]
        verbose_name = _("niveau du label")
        verbose_name_plural = _("niveaux du label")
        constraints = [
            models.UniqueConstraint(fields=["referential", "stars"], name="level_stars_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.stars}★)"


class LevelRequirement(models.Model):
    """A minimum fait share on one node, required for a level."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="requirements")
    node = models.ForeignKey(ReferentialNode, on_delete=models.CASCADE, related_name="+")
    min_fait_share = models.DecimalField(
        _("part « fait » minimale"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        verbose_name = _("exigence de niveau")
        verbose_name_plural = _("exigences de niveau")
        constraints = [
            models.UniqueConstraint(fields=["level", "node"], name="level_requirement_once")
        ]

    def __str__(self) -> str:
        return f"{self.level_id} {self.node_id} ≥ {self.min_fait_share}"
