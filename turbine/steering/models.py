"""Steering: strategic axes and objectives to 2038, indicators and their trajectories, the
projects' contributions, the portfolio's scores, the mandates and their three great works.

Mandate votes keep the participatory budget's secrecy principle: the register
(:class:`MandateVoter`) says who voted, never how; ballots (:class:`MandateBallot`) carry no
voter, no date and a random id, so neither their order nor their key leads back to a person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

HORIZON = 2038
FIRST_YEAR = 1990


class Axis(models.Model):
    """A strategic axis (« Modes de vie », « Paysages et risques climatiques »...)."""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("axe stratégique")
        verbose_name_plural = _("axes stratégiques")

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("axe")
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("horizon"),
        default=HORIZON,
        validators=[MinValueValidator(2020), MaxValueValidator(HORIZON)],
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["axis__position", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_year__gte=2020, target_year__lte=HORIZON),
                name="steering_objective_year_to_2038",
            )
        ]
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("steering:objective", args=[self.pk])


class Direction(models.TextChoices):
    HIGHER = "hausse", _("plus haut, c'est mieux")
    LOWER = "baisse", _("plus bas, c'est mieux")


class Scope(models.TextChoices):
    TERRITORY = "territoire", _("territoire")
    AGGLOMERATION = "agglomeration", _("agglomération")
    COMMUNE = "commune", _("commune")


class Indicator(models.Model):
    """An indicator of an objective. The trajectory runs from the baseline to the target, in a
    straight line or through the milestones (:class:`IndicatorTarget`). ``impact_code`` names the
    projects' impact (``projects.Indicator``) whose values are rolled up as contributions."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("objectif")
    )
    name = models.CharField(_("nom"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40)
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    scope = models.CharField(
        _("échelle"), max_length=20, choices=Scope.choices, default=Scope.TERRITORY
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("année de référence"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(HORIZON)],
    )
    baseline_value = models.FloatField(_("valeur de référence"))
    target_year = models.PositiveSmallIntegerField(
        _("année de la cible"),
        default=HORIZON,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(HORIZON)],
    )
    target_value = models.FloatField(_("cible"))
    impact_code = models.CharField(
        _("impact des projets pris en compte"), max_length=20, blank=True
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["objective", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_year__lt=models.F("target_year")),
                name="steering_indicator_baseline_before_target",
            )
        ]
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("steering:indicator", args=[self.pk])

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER


class IndicatorTarget(models.Model):
    """A milestone of the trajectory: the value aimed at in a year between baseline and target."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(HORIZON)]
    )
    value = models.FloatField(_("valeur visée"))

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="steering_target_unique")
        ]
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}: {self.value}"


class ValueNature(models.TextChoices):
    MEASURED = "mesure", _("mesurée")
    ESTIMATED = "estimee", _("estimée")


class IndicatorValue(models.Model):
    """A yearly value. ``area_code`` is empty for the whole territory, the agglomeration's SIREN
    or the commune's INSEE code otherwise (as the indicator's scope says)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(HORIZON)]
    )
    area_code = models.CharField(_("code du territoire"), max_length=9, blank=True, default="")
    value = models.FloatField(_("valeur"))
    nature = models.CharField(
        _("nature"), max_length=10, choices=ValueNature.choices, default=ValueNature.MEASURED
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "area_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "year"], name="steering_value_unique"
            )
        ]
        indexes = [models.Index(fields=["indicator", "year"])]
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateur")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code or 'territoire'} {self.year}: {self.value}"


class ProjectObjective(models.Model):
    """A project serves an objective; ``indicator`` (optional) receives its impact as a
    contribution from ``from_year`` on."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="steering_links"
    )
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="project_links")
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_links",
        verbose_name=_("indicateur"),
    )
    from_year = models.PositiveSmallIntegerField(
        _("effet à partir de"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(HORIZON)],
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)

    class Meta:
        ordering = ["objective", "project"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "objective"], name="steering_project_objective_unique"
            )
        ]
        verbose_name = _("contribution d'un projet")
        verbose_name_plural = _("contributions des projets")

    def __str__(self) -> str:
        return f"{self.project_id} → {self.objective_id}"


class Criterion(models.TextChoices):
    CLIMATE = "climat", _("Impact climat")
    SOCIAL = "justice", _("Justice sociale")
    BIODIVERSITY = "biodiversite", _("Biodiversité")
    JOBS = "emplois", _("Emplois")
    COST = "cout", _("Coût (5 = peu coûteux)")
    FEASIBILITY = "faisabilite", _("Faisabilité")
    URGENCY = "urgence", _("Urgence")
    TRANSVERSALITY = "transversalite", _("Transversalité")


CRITERIA = [c.value for c in Criterion]


class CriterionWeight(models.Model):
    """The weight the governance gives a criterion; ``from_pairwise`` says it came from the
    pairwise comparisons (AHP), whose consistency ratio is kept beside it."""

    criterion = models.CharField(
        _("critère"), max_length=20, choices=Criterion.choices, unique=True
    )
    weight = models.FloatField(_("poids"), validators=[MinValueValidator(0)])
    from_pairwise = models.BooleanField(default=False)
    consistency_ratio = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="steering_weight_pos")
        ]
        verbose_name = _("poids d'un critère")
        verbose_name_plural = _("poids des critères")

    def __str__(self) -> str:
        return f"{self.criterion}={self.weight}"


class ProjectScore(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="steering_scores"
    )
    criterion = models.CharField(_("critère"), max_length=20, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    justification = models.CharField(_("justification"), max_length=1000)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["project", "criterion"], name="steering_score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=5), name="steering_score_0_5"
            ),
        ]
        verbose_name = _("note d'un projet")
        verbose_name_plural = _("notes des projets")

    def __str__(self) -> str:
        return f"{self.project_id} {self.criterion}={self.score}"


class Mandate(models.Model):
    """A mandate, its candidate great works and the officials' vote for three of them."""

    title = models.CharField(_("titre"), max_length=200)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"))
    seats = models.PositiveSmallIntegerField(
        _("nombre de grands chantiers"), default=3, validators=[MinValueValidator(1)]
    )
    vote_open = models.BooleanField(_("vote ouvert"), default=False)
    results = models.JSONField(null=True, blank=True)  # written by mandate_results_publish
    results_published_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="steering_mandate_dates"
            )
        ]
        verbose_name = _("mandature")
        verbose_name_plural = _("mandatures")

    def __str__(self) -> str:
        return self.title


class MandateCandidate(models.Model):
    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="candidates")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["mandate", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "project"], name="steering_candidate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.mandate_id}: {self.project_id}"


class MandateVoter(models.Model):
    """The register: that an official voted, never what."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="voters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "user"], name="steering_one_vote_per_mandate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mandate_id}: {self.user_id}"


class MandateBallot(models.Model):
    """An anonymous ranking: candidate ids, preferred first."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="ballots")
    ranking = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.id)


class GreatWork(models.Model):
    """One of the (three) works chosen for a mandate, carried to its end."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="great_works")
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+")
    owner = models.CharField(_("pilote"), max_length=200, blank=True)
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["mandate", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "project"], name="steering_work_unique")
        ]
        verbose_name = _("grand chantier")
        verbose_name_plural = _("grands chantiers")

    def __str__(self) -> str:
        return str(self.project_id)


class BoardMember(models.Model):
    """A member of a great work's steering board, for one agglomeration."""

    work = models.ForeignKey(GreatWork, on_delete=models.CASCADE, related_name="board")
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(_("fonction"), max_length=200, blank=True)
    agglomeration = models.ForeignKey(
        "territory.Agglomeration", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["work", "agglomeration__name", "name"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    work = models.ForeignKey(GreatWork, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("étape"), max_length=200)
    due = models.DateField(_("échéance"))
    done = models.BooleanField(_("atteinte"), default=False)

    class Meta:
        ordering = ["work", "due", "id"]

    def __str__(self) -> str:
        return self.title


class JointResponseStatus(models.TextChoices):
    PREPARING = "preparation", _("En préparation")
    SUBMITTED = "deposee", _("Déposée")
    WON = "retenue", _("Retenue")
    LOST = "non-retenue", _("Non retenue")


# The steps a joint response may take (staff may also step back from « déposée »).
JOINT_RESPONSE_STEPS: dict[str, tuple[str, ...]] = {
    JointResponseStatus.PREPARING: (JointResponseStatus.SUBMITTED,),
    JointResponseStatus.SUBMITTED: (
        JointResponseStatus.PREPARING,
        JointResponseStatus.WON,
        JointResponseStatus.LOST,
    ),
    JointResponseStatus.WON: (JointResponseStatus.SUBMITTED,),
    JointResponseStatus.LOST: (JointResponseStatus.SUBMITTED,),
}


class JointResponse(models.Model):
    """The agglomerations' joint answer to a call for projects of the funding catalogue (a
    national, European or regional call, with its deadline and funders): a grouping of actors
    from several agglomerations, with their roles, and the projects it bundles."""

    call = models.ForeignKey(
        "funding.Aid",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appel à projets"),
    )
    title = models.CharField(_("titre de la réponse"), max_length=200)
    summary = models.TextField(_("ce que la réponse propose"), max_length=3000)
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=JointResponseStatus.choices,
        default=JointResponseStatus.PREPARING,
    )
    amount_requested = models.PositiveBigIntegerField(
        _("montant demandé (€)"), null=True, blank=True
    )
    submitted_on = models.DateField(_("déposée le"), null=True, blank=True)
    decided_on = models.DateField(_("décision le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("réponse commune à un appel")
        verbose_name_plural = _("réponses communes aux appels")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("steering:joint_response", args=[self.pk])


class JointRole(models.TextChoices):
    LEAD = "chef-de-file", _("Chef de file")
    PARTNER = "partenaire", _("Partenaire")
    ASSOCIATE = "associe", _("Associé")


class JointResponseMember(models.Model):
    """An actor of the grouping and its role; its agglomeration is its commune's."""

    response = models.ForeignKey(JointResponse, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("rôle"), max_length=12, choices=JointRole.choices)
    contribution = models.CharField(_("ce qu'il apporte"), max_length=300, blank=True)

    class Meta:
        ordering = ["response", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "organisation"], name="steering_joint_member_unique"
            ),
            models.UniqueConstraint(
                fields=["response"],
                condition=models.Q(role="chef-de-file"),
                name="steering_joint_one_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.organisation_id} ({self.role})"


class JointResponseProject(models.Model):
    """A project the joint response bundles."""

    response = models.ForeignKey(JointResponse, on_delete=models.CASCADE, related_name="bundled")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["response", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "project"], name="steering_joint_project_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.project_id}"
