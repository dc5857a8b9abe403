"""Diplomacy: the register of regulatory and administrative blockers with the advocacy files
that group them, and the strategies by actor and network (stakeholder map, public commitments,
briefs of the pedagogical actors to elected officials)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BlockerLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "intercommunalite", _("Intercommunalité")
    DEPARTMENT = "departement", _("Département")
    REGION = "region", _("Région")
    NATIONAL = "national", _("National")
    EUROPE = "europeen", _("Européen")


class Qualification(models.TextChoices):
    NEW = "a-qualifier", _("À qualifier par l'équipe")
    QUALIFIED = "qualifie", _("Qualifié")
    OUT_OF_SCOPE = "hors-champ", _("Hors du champ du registre")


class AdvocacyStatus(models.TextChoices):
    IDENTIFIED = "identifie", _("Identifié")
    ARGUED = "argumente", _("Argumenté")
    CARRIED = "porte", _("Porté auprès de l'instance")
    OBTAINED = "obtenu", _("Obtenu")
    ABANDONED = "abandonne", _("Abandonné")


class AdvocacyFile(models.Model):
    """Staff's file that groups similar blocker reports and follows the advocacy towards the
    body that can change the rule. Public (its reports stay private unless their holders agree)."""

    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("ce qu'il faut changer"), max_length=5000)
    rule = models.CharField(_("règle ou procédure en cause"), max_length=300)
    level = models.CharField(_("niveau"), max_length=20, choices=BlockerLevel.choices)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=AdvocacyStatus.choices,
        default=AdvocacyStatus.IDENTIFIED,
    )
    body_addressed = models.CharField(_("instance saisie"), max_length=200, blank=True)
    opened_on = models.DateField(_("ouvert le"))
    carried_on = models.DateField(_("porté le"), null=True, blank=True)
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["level"])]
        verbose_name = _("dossier de plaidoyer")
        verbose_name_plural = _("dossiers de plaidoyer")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:advocacy_detail", args=[self.pk])


class AdvocacyStep(models.Model):
    """A dated step of the follow-up towards the authorities (a letter, a meeting, an answer)."""

    file = models.ForeignKey(AdvocacyFile, on_delete=models.CASCADE, related_name="steps")
    date = models.DateField(_("date"))
    body = models.CharField(_("instance"), max_length=200)
    note = models.TextField(_("ce qui s'est passé"), max_length=3000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("étape du plaidoyer")
        verbose_name_plural = _("étapes du plaidoyer")

    def __str__(self) -> str:
        return f"{self.file_id} {self.date}"


class BlockerReportQuerySet(models.QuerySet["BlockerReport"]):
    def public(self) -> BlockerReportQuerySet:
        """Qualified by staff and agreed to be public by the project's holder."""
        return self.filter(
            holder_agrees=True, qualification=Qualification.QUALIFIED, is_hidden=False
        )


class BlockerReport(models.Model):
    """What blocked a project: which rule or procedure, at which level, which projects are
    affected. Reported by the holder, or by an advisor from a guichet request (``holder`` is
    then the request's holder, who alone decides whether the report becomes public)."""

    title = models.CharField(_("en une phrase"), max_length=200)
    description = models.TextField(_("ce qui a bloqué"), max_length=5000)
    rule = models.CharField(_("règle ou procédure en cause"), max_length=300)
    level = models.CharField(_("niveau"), max_length=20, choices=BlockerLevel.choices)
    projects = models.ManyToManyField(
        "projects.Project",
        blank=True,
        related_name="blocker_reports",
        verbose_name=_("projets concernés"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="blocker_reports",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="held_blocker_reports",
    )
    support_request = models.ForeignKey(
        "guichet.SupportRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="blocker_reports",
        verbose_name=_("demande au guichet"),
    )
    holder_agrees = models.BooleanField(_("le porteur accepte la publication"), default=False)
    qualification = models.CharField(
        _("qualification"), max_length=12, choices=Qualification.choices, default=Qualification.NEW
    )
    staff_note = models.TextField(_("note de l'équipe"), blank=True, max_length=2000)
    file = models.ForeignKey(
        AdvocacyFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("dossier de plaidoyer"),
    )
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    qualified_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockerReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["qualification", "holder_agrees"]),
            models.Index(fields=["level"]),
        ]
        verbose_name = _("blocage signalé")
        verbose_name_plural = _("blocages signalés")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:blocker_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return (
            self.holder_agrees
            and self.qualification == Qualification.QUALIFIED
            and not self.is_hidden
        )


class ActorKind(models.TextChoices):
    NETWORK = "reseau", _("Réseau du territoire")
    INDUSTRY = "industriel", _("Grand acteur industriel")
    AUTHORITY = "collectivite", _("Grande collectivité ou autorité publique")
    STATE = "etat", _("État et ses agences")
    EUROPE = "europe", _("Institution européenne")
    PEDAGOGY = "pedagogique", _("Acteur pédagogique")


class Relation(models.TextChoices):
    MET = "rencontre", _("Rencontré")
    ENGAGED = "engage", _("Engagé dans une démarche")
    PARTNER = "partenaire", _("Partenaire")


class StrategicActor(models.Model):
    """A network or a major actor of the stakeholder map, and the Turbine's relation with it."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type d'acteur"), max_length=15, choices=ActorKind.choices)
    mission = models.TextField(_("mission publique"), max_length=3000)
    relation = models.CharField(
        _("relation avec la Turbine"), max_length=12, choices=Relation.choices
    )
    relation_note = models.CharField(_("précision sur la relation"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategic_actors",
        verbose_name=_("fiche de l'annuaire"),
    )
    network = models.ForeignKey(
        "directory.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategic_actors",
        verbose_name=_("réseau de l'annuaire"),
    )
    website = models.URLField(_("site web"), blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("acteur stratégique")
        verbose_name_plural = _("acteurs stratégiques")

    def __str__(self) -> str:
        return self.name


class CommitmentStatus(models.TextChoices):
    ONGOING = "en-cours", _("En cours")
    KEPT = "tenu", _("Tenu")
    LATE = "en-retard", _("En retard")
    DROPPED = "abandonne", _("Abandonné")


class Commitment(models.Model):
    """A public commitment of an actor to the transition, dated, with its follow-up."""

    actor = models.ForeignKey(StrategicActor, on_delete=models.CASCADE, related_name="commitments")
    title = models.CharField(_("engagement"), max_length=300)
    description = models.TextField(_("précisions"), blank=True, max_length=3000)
    announced_on = models.DateField(_("annoncé le"))
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("suivi"),
        max_length=10,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.ONGOING,
    )
    follow_up = models.CharField(_("dernier point de suivi"), max_length=500, blank=True)
    checked_on = models.DateField(_("vérifié le"), null=True, blank=True)
    source_url = models.URLField(_("source publique"), blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status"])]
        verbose_name = _("engagement public")
        verbose_name_plural = _("engagements publics")

    def __str__(self) -> str:
        return self.title


class PolicyBrief(models.Model):
    """A pedagogical actor's message to decision-makers, published as a brief that the elected
    officials of the Turbine receive by email (once, at publication)."""

    actor = models.ForeignKey(
        StrategicActor,
        on_delete=models.CASCADE,
        related_name="briefs",
        verbose_name=_("acteur pédagogique"),
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.CharField(_("message en une phrase"), max_length=400)
    body = models.TextField(_("texte"), max_length=20_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    recipients_count = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("note aux élus")
        verbose_name_plural = _("notes aux élus")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:brief_detail", args=[self.pk])
