"""Citizen panels drawn by stratified lot: the panel and its quotas, its pool of volunteers, the
draws (LEXIMIN lottery and published seed), the selected members and their replacements, and
the panel's reasoned reviews of projects.

A volunteer's features (age band, gender...) are personal data: they are kept in
``Volunteer.features`` for the draw and for aggregates only; pages show counts, never a person's
features, except the selected members who agreed to be named.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PanelStatus(models.TextChoices):
    DRAFT = "brouillon", _("En préparation")
    OPEN = "inscriptions", _("Inscriptions ouvertes")
    DRAWN = "tire", _("Panel tiré au sort")
    CLOSED = "termine", _("Travaux terminés")


class PanelQuerySet(models.QuerySet["Panel"]):
    def public(self) -> PanelQuerySet:
        return self.exclude(status=PanelStatus.DRAFT)


class Panel(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    purpose = models.TextField(_("mission du panel"), max_length=10_000)
    size = models.PositiveSmallIntegerField(
        _("nombre de membres"), validators=[MinValueValidator(2), MaxValueValidator(1000)]
    )
    duration = models.CharField(_("durée des travaux"), max_length=200)
    questions = models.TextField(_("questions soumises au panel"), blank=True, max_length=10_000)
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="panels", verbose_name=_("projets examinés")
    )
    status = models.CharField(
        _("état"), max_length=12, choices=PanelStatus.choices, default=PanelStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PanelQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("panel citoyen")
        verbose_name_plural = _("panels citoyens")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:panel_detail", args=[self.pk])


class PanelQuota(models.Model):
    """One value of a category with the minimum and maximum number of members who have it
    (a row of the Sortition Foundation's ``category,feature,min,max`` file)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="quotas")
    category = models.CharField(_("catégorie"), max_length=80)
    feature = models.CharField(_("valeur"), max_length=120)
    min = models.PositiveSmallIntegerField(_("minimum"))
    max = models.PositiveSmallIntegerField(_("maximum"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["panel", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "category", "feature"], name="panel_quota_unique"
            ),
            models.CheckConstraint(condition=Q(min__lte=models.F("max")), name="quota_min_max"),
        ]

    def __str__(self) -> str:
        return f"{self.category} = {self.feature} [{self.min}, {self.max}]"


class VolunteerSource(models.TextChoices):
    REGISTERED = "inscription", _("Inscription sur la Turbine")
    IMPORTED = "import", _("Vivier importé")


class Volunteer(models.Model):
    """A person in a panel's pool. Registered volunteers have an account; an imported pool
    keeps only the features and a row reference (no name, no contact)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="panel_volunteerings",
    )
    source = models.CharField(max_length=12, choices=VolunteerSource.choices)
    reference = models.CharField(_("référence dans le fichier importé"), max_length=40, blank=True)
    # {category: value}, in the panel's categories; personal data used by the draw only.
    features = models.JSONField(_("caractéristiques déclarées"), default=dict)
    consent_draw = models.BooleanField(_("accepte le tirage au sort"), default=False)
    consent_contact = models.BooleanField(_("accepte d'être contacté·e"), default=False)
    consent_name = models.BooleanField(
        _("accepte que son nom soit publié si tiré·e au sort"), default=False
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "user"],
                condition=Q(user__isnull=False),
                name="volunteer_once_per_panel",
            ),
        ]

    def __str__(self) -> str:
        return f"volontaire {self.pk} du panel {self.panel_id}"


class DrawStatus(models.TextChoices):
    PENDING = "attente", _("En attente de calcul")
    RUNNING = "calcul", _("Calcul en cours")
    COMPUTED = "loterie", _("Loterie publiée, en attente de la graine")
    DRAWN = "tire", _("Panel tiré")
    FAILED = "echec", _("Échec du calcul")


class Algorithm(models.TextChoices):
    LEXIMIN = "leximin", _("LEXIMIN (la plus équitable)")
    MAXIMIN = "maximin", _("MAXIMIN (pour comparaison)")
    LEGACY = "legacy", _("LEGACY, méthode gloutonne (pour comparaison)")


class PanelDraw(models.Model):
    """One draw of a panel, its public record: the quotas and the pool as they were (rows in
    volunteer order), the lottery of 1,000 tickets, the seed, each row's probability and the
    rows drawn. Anyone can recompute the panel from ``quotas``, ``people``, ``lottery_panels``,
    ``tickets`` and ``seed`` (see :mod:`turbine.cooperation.sortition.lottery`)."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="draws")
    algorithm = models.CharField(
        _("méthode"), max_length=8, choices=Algorithm.choices, default=Algorithm.LEXIMIN
    )
    status = models.CharField(max_length=8, choices=DrawStatus.choices, default=DrawStatus.PENDING)
    progress = models.CharField(_("avancement"), max_length=200, blank=True)
    error = models.TextField(blank=True)
    expected_seconds = models.FloatField(default=0.0)
    size = models.PositiveSmallIntegerField()
    quotas = models.JSONField(default=list)  # [[category, feature, min, max], ...]
    categories = models.JSONField(default=list)  # category names, in the quotas' order
    people = models.JSONField(default=list)  # [[value per category], ...], row r = index r-1
    volunteer_ids = models.JSONField(default=list)  # row r → Volunteer id (not published)
    probabilities = models.JSONField(default=list)  # row order
    lottery_panels = models.JSONField(default=list)  # [[count per profile], ...]
    tickets = models.JSONField(default=list)  # ticket → index in lottery_panels
    profiles = models.JSONField(default=list)  # [[value per category], ...]
    figures = models.JSONField(default=dict)  # minimum, median, maximum, gini, deviation
    info = models.JSONField(default=dict)
    seconds = models.FloatField(null=True, blank=True)
    seed = models.CharField(_("graine publique"), max_length=200, blank=True)
    ticket = models.IntegerField(null=True, blank=True)
    rows = models.JSONField(default=list)  # rows drawn, 1-based
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"tirage {self.pk} du panel {self.panel_id}"


class MemberStatus(models.TextChoices):
    SELECTED = "tire", _("Tiré·e au sort, réponse attendue")
    ACCEPTED = "accepte", _("A accepté")
    DECLINED = "decline", _("A décliné")


class PanelMember(models.Model):
    """A volunteer drawn for the panel, at the draw or as a replacement."""

    draw = models.ForeignKey(PanelDraw, on_delete=models.CASCADE, related_name="members")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="selections")
    row = models.PositiveIntegerField()
    status = models.CharField(
        max_length=8, choices=MemberStatus.choices, default=MemberStatus.SELECTED
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    # The replacement's own public seed ("<seed>:remplacement:<n>") and how it was chosen.
    replacement_seed = models.CharField(max_length=240, blank=True)
    replacement_note = models.CharField(max_length=400, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draw", "row"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "volunteer"], name="member_once_per_draw"),
        ]

    def __str__(self) -> str:
        return f"ligne {self.row} du tirage {self.draw_id}"


class Rating(models.IntegerChoices):
    WEAK = 1, _("Insuffisante")
    FAIR = 2, _("À renforcer")
    GOOD = 3, _("Satisfaisante")
    STRONG = 4, _("Forte")


class ReviewStatus(models.TextChoices):
    OPEN = "contributions", _("Contributions des membres en cours")
    PUBLISHED = "publie", _("Avis publié")


class PanelReview(models.Model):
    """The panel's reasoned opinion on a project (or on a question). Each member contributes
    once and every contribution weighs the same; the facilitator writes the synthesis from
    them and publishes it; the project's holder answers publicly."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="reviews")
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="panel_reviews",
        verbose_name=_("projet examiné"),
    )
    question = models.CharField(_("question examinée"), max_length=300, blank=True)
    status = models.CharField(
        max_length=14, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    ambition = models.TextField(_("son ambition"), blank=True, max_length=10_000)
    daily_life = models.TextField(
        _("sa traduction dans la vie quotidienne"), blank=True, max_length=10_000
    )
    questions_to_holder = models.TextField(_("questions au porteur"), blank=True, max_length=10_000)
    recommendations = models.TextField(_("recommandations"), blank=True, max_length=10_000)
    published_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("réponse du porteur"), blank=True, max_length=10_000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | ~Q(question=""),
                name="review_project_or_question",
            )
        ]

    def __str__(self) -> str:
        return self.project.title if self.project else self.question

    @property
    def subject(self) -> str:
        return self.project.title if self.project else self.question


class ReviewContribution(models.Model):
    """One member's contribution to a review (one per member)."""

    review = models.ForeignKey(PanelReview, on_delete=models.CASCADE, related_name="contributions")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="+")
    ambition_rating = models.PositiveSmallIntegerField(
        _("ambition du projet"), choices=Rating.choices
    )
    daily_life_rating = models.PositiveSmallIntegerField(
        _("traduction dans la vie quotidienne"), choices=Rating.choices
    )
    comment = models.TextField(_("votre avis"), max_length=4000)
    question = models.TextField(_("votre question au porteur"), blank=True, max_length=2000)
    recommendation = models.TextField(_("votre recommandation"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "member"], name="contribution_once"),
        ]

    def __str__(self) -> str:
        return f"contribution {self.pk}"
