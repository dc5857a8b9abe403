"""Portraits of the people who do, help and spread, and the stories that link initiatives,
people and policies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from turbine.directory.models import Family


class Consent(models.TextChoices):
    PENDING = "attente", _("En attente de l'accord de la personne")
    GIVEN = "donne", _("Accord donné")
    WITHDRAWN = "retire", _("Accord retiré")


class PortraitStatus(models.TextChoices):
    DRAFT = "brouillon", _("En préparation")
    PUBLISHED = "publie", _("Publié")
    ARCHIVED = "archive", _("Retiré de la vitrine")


class PortraitQuerySet(models.QuerySet["Portrait"]):
    def public(self) -> PortraitQuerySet:
        """Shown only when staff published it and the person portrayed agrees."""
        return self.filter(status=PortraitStatus.PUBLISHED, consent=Consent.GIVEN)


class Portrait(models.Model):
    """A portrait of someone who does, helps or spreads: their know-how, their tips, what they
    can teach. Written by staff; public only with the person's consent (``consent``), which the
    person gives or withdraws themselves when they have an account (``person``), or which staff
    record with its trace (``consent_record``) when they have none."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="showcase_portraits",
        verbose_name=_("personne portraiturée (compte)"),
    )
    name = models.CharField(_("nom affiché"), max_length=120)
    role = models.CharField(_("ce qu'elle fait"), max_length=200)
    family = models.CharField(_("famille d'acteurs"), max_length=20, choices=Family.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="showcase_portraits",
        verbose_name=_("organisation"),
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="showcase_portraits",
        verbose_name=_("commune"),
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="showcase_portraits", verbose_name=_("thèmes")
    )
    projects = models.ManyToManyField(
        "projects.Project",
        blank=True,
        related_name="showcase_portraits",
        verbose_name=_("projets"),
    )
    know_how = models.TextField(_("savoir-faire"), max_length=5000)
    tips = models.TextField(_("astuces"), blank=True, max_length=5000)
    can_teach = models.TextField(_("ce qu'elle peut transmettre"), blank=True, max_length=3000)
    consent = models.CharField(
        _("accord de la personne"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_record = models.CharField(
        _("trace de l'accord"),
        max_length=300,
        blank=True,
        help_text=_("Pour une personne sans compte : comment et quand elle a donné son accord."),
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=PortraitStatus.choices, default=PortraitStatus.DRAFT
    )
    is_featured = models.BooleanField(_("mis en avant"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PortraitQuerySet.as_manager()

    class Meta:
        ordering = ["-is_featured", "-published_at", "id"]
        indexes = [models.Index(fields=["status", "consent", "family"])]
        verbose_name = _("portrait")
        verbose_name_plural = _("portraits")

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status == PortraitStatus.PUBLISHED and self.consent == Consent.GIVEN


class StoryScope(models.TextChoices):
    LOCAL = "local", _("Récit local")
    GLOBAL = "global", _("Récit global")


class PolicyLevel(models.TextChoices):
    TERRITORY = "territoire", _("Territoire")
    REGION = "region", _("Région")
    NATIONAL = "national", _("National")
    EUROPE = "europe", _("Europe")


class StoryStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "propose", _("Proposé, en relecture")
    PUBLISHED = "publie", _("Publié")
    REJECTED = "refuse", _("Non retenu")


class StoryQuerySet(models.QuerySet["Story"]):
    def public(self) -> StoryQuerySet:
        return self.filter(status=StoryStatus.PUBLISHED)


class Story(models.Model):
    """An article that links initiatives and people (the local picture) and, for a global story,
    the objective it moved and the national or European policy it serves. ``body`` is Markdown,
    rendered sanitised; its image always has a description."""

    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("chapeau"), max_length=400)
    body = models.TextField(_("texte"), max_length=30_000)
    scope = models.CharField(
        _("échelle du récit"), max_length=10, choices=StoryScope.choices, default=StoryScope.LOCAL
    )
    objective = models.CharField(
        _("objectif du territoire qui a bougé"), max_length=300, blank=True
    )
    indicator_note = models.CharField(_("indicateur et évolution"), max_length=300, blank=True)
    policy_level = models.CharField(
        _("niveau de la politique servie"), max_length=12, choices=PolicyLevel.choices, blank=True
    )
    policy = models.CharField(_("politique servie"), max_length=300, blank=True)
    steering_objectives = models.ManyToManyField(
        "steering.Objective",
        blank=True,
        related_name="+",
        verbose_name=_("objectifs du territoire cités"),
    )
    steering_indicators = models.ManyToManyField(
        "steering.Indicator",
        blank=True,
        related_name="+",
        verbose_name=_("indicateurs cités"),
    )
    image = models.ImageField(_("image"), upload_to="showcase/stories/", blank=True)
    image_alt = models.CharField(_("description de l'image"), max_length=300, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="stories", verbose_name=_("initiatives")
    )
    portraits = models.ManyToManyField(
        Portrait, blank=True, related_name="stories", verbose_name=_("personnes")
    )
    communes = models.ManyToManyField(
        "territory.Commune", blank=True, related_name="stories", verbose_name=_("communes")
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="stories", verbose_name=_("thèmes")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="showcase_stories",
        verbose_name=_("auteur"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("au nom de"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    review_note = models.TextField(_("avis de la relecture"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        verbose_name = _("récit")
        verbose_name_plural = _("récits")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:story_detail", args=[self.pk])
