"""Projects and initiatives of the territory: holders, scale, stage, funding, impacts, links."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Scale(models.IntegerChoices):
    """The territory's grid of scales."""

    SMALL = 1, _("1 – Petite initiative portée par un acteur")
    COLLECTIVE = 2, _("2 – Projet local collectif ou structurant")
    MAJOR = 3, _("3 – Grand projet territorial")


class Stage(models.TextChoices):
    IDEA = "idee", _("Idée")
    EMERGENCE = "emergence", _("Émergence")
    DESIGN = "conception", _("Conception")
    FUNDING = "financement", _("Financement")
    EXECUTION = "realisation", _("Réalisation")
    DONE = "realise", _("Réalisé")
    PAUSED = "en-pause", _("En pause")
    ABANDONED = "abandonne", _("Abandonné")


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLIC = "public", _("Public")


class ProjectQuerySet(models.QuerySet):
    def public(self) -> ProjectQuerySet:
        """Projects anyone may see: published by their holders, not hidden by moderation."""
        return self.filter(visibility=Visibility.PUBLIC, is_hidden=False)


class Project(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("résumé"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=30_000)
    holder_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("organisation porteuse"),
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_projects",
        verbose_name=_("personne porteuse"),
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="partner_projects",
        verbose_name=_("partenaires"),
    )
    communes = models.ManyToManyField(
        "territory.Commune", blank=True, related_name="projects", verbose_name=_("communes")
    )
    whole_territory = models.BooleanField(_("tout le territoire"), default=False)
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="projects", verbose_name=_("thèmes")
    )
    scale = models.PositiveSmallIntegerField(
        _("échelle"), choices=Scale.choices, default=Scale.SMALL
    )
    stage = models.CharField(_("étape"), max_length=20, choices=Stage.choices, default=Stage.IDEA)
    budget_total = models.DecimalField(
        _("budget total (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    know_how = models.TextField(_("savoir-faire et astuces"), blank=True, max_length=20_000)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        indexes = [
            models.Index(fields=["visibility", "is_hidden", "title"]),
            models.Index(fields=["scale"]),
            models.Index(fields=["stage"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC and not self.is_hidden


class Indicator(models.TextChoices):
    CO2 = "co2", _("t CO2e évitées par an")
    JOBS = "emplois", _("emplois")
    PEOPLE = "personnes", _("personnes touchées")
    HECTARES = "hectares", _("hectares renaturés")
    MWH = "mwh", _("MWh renouvelables par an")


class ImpactNature(models.TextChoices):
    ESTIMATED = "estime", _("estimé")
    MEASURED = "mesure", _("mesuré")


class ProjectImpact(models.Model):
    """An expected (estimated) or measured impact, with its source."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="impacts")
    indicator = models.CharField(_("indicateur"), max_length=20, choices=Indicator.choices)
    value = models.DecimalField(
        _("valeur"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    nature = models.CharField(_("nature"), max_length=10, choices=ImpactNature.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "nature", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator", "nature"], name="project_impact_unique"
            )
        ]
        verbose_name = _("impact")
        verbose_name_plural = _("impacts")

    def __str__(self) -> str:
        return f"{self.indicator}={self.value} ({self.nature})"


class LinkKind(models.TextChoices):
    SYNERGY = "synergie", _("Synergie")
    DEPENDENCY = "dependance", _("Dépendance")
    DUPLICATE = "doublon", _("Doublon")
    TENSION = "tension", _("Tension")


class ProjectLink(models.Model):
    """A link between two projects, shown on both."""

    source = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("nature du lien"), max_length=20, choices=LinkKind.choices)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="project_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="project_link_not_self"
            ),
        ]
        verbose_name = _("lien entre projets")
        verbose_name_plural = _("liens entre projets")

    def __str__(self) -> str:
        return f"{self.source_id} -{self.kind}-> {self.target_id}"


class ProjectImage(models.Model):
    """A photo of the project, re-encoded as a JPEG of 1600 pixels at most a side."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="projects/images/")
    alt_text = models.CharField(_("description de l'image"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("image de projet")
        verbose_name_plural = _("images de projet")

    def __str__(self) -> str:
        return self.alt_text


class ProjectUpdate(models.Model):
    """A dated piece of news on the project's progress, posted by its holders or the Turbine's
    staff (for instance the follow-up of a participatory-budget project). ``text`` is Markdown,
    rendered sanitised."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_updates",
        verbose_name=_("auteur"),
    )
    # Posted by the Turbine's staff rather than by a holder: shown as "l'équipe de la Turbine".
    from_staff = models.BooleanField(_("publiée par l'équipe"), default=False)
    date = models.DateField(_("date"))
    text = models.TextField(_("texte"), max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-date", "-created_at"])]
        verbose_name = _("nouvelle du projet")
        verbose_name_plural = _("nouvelles du projet")

    def __str__(self) -> str:
        return f"{self.project_id} {self.date}"
