"""Applications for the label, in the stages of the ÉcoQuartier label: (1) the holder signs
the label's commitments, (2) self-assessment with evidence, submitted and frozen, (3) review by
the committee and its decision, (4) confirmation after delivery, on a date set by staff."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    COMMITMENTS = "engagement", _("Étape 1 : signature des engagements")
    SELF_ASSESSMENT = "auto-evaluation", _("Étape 2 : auto-évaluation")
    RETURNED = "a-reprendre", _("Renvoyée pour compléments")
    REVIEW = "comite", _("Étape 3 : examen par le comité")
    GRANTED = "labellise", _("Labellisé")
    REFUSED = "refuse", _("Refusée")
    CONFIRMED = "confirme", _("Étape 4 : label confirmé après livraison")

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        return (cls.SELF_ASSESSMENT, cls.RETURNED)

    @classmethod
    def labelled(cls) -> tuple[str, ...]:
        return (cls.GRANTED, cls.CONFIRMED)


class Application(models.Model):
    """An application of a project, or of an organisation (a local authority, an association),
    for the label. The holder is whoever has rights on the project or the organisation."""

    referential = models.ForeignKey(
        "label.Referential", on_delete=models.PROTECT, related_name="applications"
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="label_applications",
        verbose_name=_("projet"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="label_applications",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("étape"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.COMMITMENTS,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    commitments_signed_at = models.DateTimeField(null=True, blank=True)
    commitments_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Frozen at submission: the statuses and the score the holder submitted.
    submitted_statuses = models.JSONField(default=dict, blank=True)
    submitted_score = models.JSONField(default=dict, blank=True)
    meeting_date = models.DateField(_("date de la réunion du comité"), null=True, blank=True)
    confirmation_due = models.DateField(
        _("date de la confirmation après livraison"), null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("candidature au label")
        verbose_name_plural = _("candidatures au label")
        constraints = [
            models.CheckConstraint(
                condition=(Q(project__isnull=False) & Q(organisation__isnull=True))
                | (Q(project__isnull=True) & Q(organisation__isnull=False)),
                name="application_one_holder",
            )
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.holder_name

    def get_absolute_url(self) -> str:
        return reverse("label:application_detail", args=[self.pk])

    @property
    def holder_name(self) -> str:
        if self.project:
            return self.project.title
        assert self.organisation is not None  # the check constraint: one of the two
        return self.organisation.name

    @property
    def holder_url(self) -> str:
        holder = self.project or self.organisation
        assert holder is not None
        return holder.get_absolute_url()

    @property
    def is_editable(self) -> bool:
        return self.status in ApplicationStatus.editable()

    @property
    def is_decided(self) -> bool:
        return self.status in (*ApplicationStatus.labelled(), ApplicationStatus.REFUSED) or (
            self.status == ApplicationStatus.RETURNED
        )


class AssessmentStatus(models.TextChoices):
    DONE = "fait", _("Fait")
    PLANNED = "programme", _("Programmé")
    NOT_DONE = "pas-fait", _("Pas fait")
    NOT_CONCERNED = "non-concerne", _("Non concerné")
    DETAILED = "detaille", _("Détaillé")


class Assessment(models.Model):
    """The holder's status of one node. Leaves take any status; a parent node may only be
    declared non concerné (its children then are too)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    node = models.ForeignKey("label.ReferentialNode", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("état"), max_length=20, choices=AssessmentStatus.choices)
    reason = models.TextField(_("raison"), blank=True, max_length=2000)
    share_done = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    share_planned = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    share_not_done = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    comment = models.TextField(_("commentaire"), blank=True, max_length=5000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["node__position", "node_id"]
        verbose_name = _("auto-évaluation d'un critère")
        verbose_name_plural = _("auto-évaluations")
        constraints = [
            models.UniqueConstraint(fields=["application", "node"], name="assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.node_id} {self.status}"


class Evidence(models.Model):
    """A piece of evidence for one node: a file (type- and size-checked, stored under a random
    name) or a link."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    node = models.ForeignKey("label.ReferentialNode", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("intitulé"), max_length=200)
    file = models.FileField(_("fichier"), upload_to="label/evidence/", blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("lien"), blank=True, max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("preuve")
        verbose_name_plural = _("preuves")

    def __str__(self) -> str:
        return self.title


class CommitteeMember(models.Model):
    """A member of the label committee: Turbine staff or an invited person, with the interests
    they declare (organisations they work for or with)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="label_committee"
    )
    is_invited = models.BooleanField(_("membre invité"), default=False)
    quality = models.CharField(_("qualité"), max_length=200, blank=True)
    declared_interests = models.TextField(_("intérêts déclarés"), blank=True, max_length=5000)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__display_name", "id"]
        verbose_name = _("membre du comité")
        verbose_name_plural = _("membres du comité")

    def __str__(self) -> str:
        return str(self.user)


class ReviewAssignment(models.Model):
    """A committee member reviewing one application, with the conflict-of-interest declaration
    they made for it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="reviews")
    no_conflict_declared_at = models.DateTimeField(null=True, blank=True)
    own_score = models.JSONField(default=dict, blank=True)
    opinion = models.TextField(_("avis général"), blank=True, max_length=5000)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("examen par un membre")
        verbose_name_plural = _("examens par les membres")
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} – {self.member_id}"


class VerdictChoice(models.TextChoices):
    AGREE = "accord", _("D'accord")
    DISAGREE = "desaccord", _("Pas d'accord")


class Verdict(models.Model):
    """A reviewer's verdict on the holder's status of one leaf; when they disagree they give the
    status they would retain, which makes their own score."""

    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="verdicts"
    )
    node = models.ForeignKey("label.ReferentialNode", on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(_("avis"), max_length=20, choices=VerdictChoice.choices)
    status = models.CharField(
        _("état retenu"), max_length=20, choices=AssessmentStatus.choices, blank=True
    )
    comment = models.TextField(_("commentaire"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["node__position", "node_id"]
        verbose_name = _("avis sur un critère")
        verbose_name_plural = _("avis sur les critères")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "node"], name="verdict_once"),
            models.CheckConstraint(
                condition=Q(choice="accord") | ~Q(comment=""), name="verdict_disagree_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.node_id} {self.choice}"


class DecisionOutcome(models.TextChoices):
    GRANTED = "accorde", _("Label accordé")
    REFUSED = "refuse", _("Refusé")
    RETURNED = "a-reprendre", _("Renvoyé pour compléments")


class Decision(models.Model):
    """The committee's decision on an application. It keeps both frozen scores (the holder's
    and the committee's), the validity period and the comments; an application returned for
    changes may get a later decision."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("décision"), max_length=20, choices=DecisionOutcome.choices)
    level = models.ForeignKey(
        "label.Level",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("niveau accordé"),
    )
    reasons = models.TextField(_("motifs"), max_length=10_000)
    meeting_date = models.DateField(_("date de la réunion du comité"))
    applicant_score = models.JSONField(default=dict)
    committee_score = models.JSONField(default=dict)
    valid_from = models.DateField(_("valable du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    renewal_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("décision du comité")
        verbose_name_plural = _("décisions du comité")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="accorde")
                | (Q(level__isnull=False) & Q(valid_until__isnull=False)),
                name="decision_granted_has_level",
            )
        ]
        indexes = [models.Index(fields=["outcome", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome}"
