"""Funders, aids and calls for projects, the perimeters they apply to, local notes, alerts.

Multi-valued labels (aid types, beneficiaries, project stages, expense types) are stored as
space-delimited slugs with a leading and trailing space (" commune epci "), so that a filter is a
portable substring match on both databases; the ``*_list`` properties give them as lists.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class FunderLevel(models.TextChoices):
    EU = "eu", _("Union européenne")
    STATE = "etat", _("État")
    REGION = "region", _("Région")
    DEPARTMENT = "departement", _("Département")
    EPCI = "intercommunalite", _("Intercommunalité")
    COMMUNE = "commune", _("Commune")
    PUBLIC_BODY = "etablissement-public", _("Établissement public")
    FOUNDATION = "fondation", _("Fondation")
    COMPANY = "entreprise", _("Entreprise")


class AidType(models.TextChoices):
    GRANT = "subvention", _("Subvention")
    LOAN = "pret", _("Prêt")
    ADVANCE = "avance-remboursable", _("Avance remboursable")
    CEE = "cee", _("Certificats d'économie d'énergie")
    OTHER_FINANCIAL = "autre-aide-financiere", _("Autre aide financière")
    TECHNICAL = "ingenierie-technique", _("Ingénierie technique")
    FINANCIAL = "ingenierie-financiere", _("Ingénierie financière")
    LEGAL = "ingenierie-juridique", _("Ingénierie juridique")
    PRIZE = "prix", _("Prix")


class Beneficiary(models.TextChoices):
    COMMUNE = "commune", _("Communes")
    EPCI = "epci", _("Intercommunalités")
    DEPARTMENT = "departement", _("Départements")
    REGION = "region", _("Régions")
    ASSOCIATION = "association", _("Associations")
    COMPANY = "entreprise", _("Entreprises")
    PERSON = "particulier", _("Particuliers")
    FARMER = "agriculteur", _("Agriculteurs")
    PUBLIC_BODY = "etablissement-public", _("Établissements publics")
    SOCIAL_LANDLORD = "bailleur-social", _("Bailleurs sociaux")
    RESEARCH = "recherche", _("Recherche")


class ProjectStage(models.TextChoices):
    THINKING = "reflexion", _("Réflexion")
    DOING = "realisation", _("Réalisation")
    USING = "usage", _("Usage")


class ExpenseType(models.TextChoices):
    INVESTMENT = "investissement", _("Investissement")
    OPERATING = "fonctionnement", _("Fonctionnement")


class Recurrence(models.TextChoices):
    ONE_OFF = "ponctuelle", _("Ponctuelle")
    PERMANENT = "permanente", _("Permanente")
    RECURRING = "recurrente", _("Récurrente")


class AidStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publiee", _("Publiée")
    EXPIRED = "expiree", _("Expirée")


class AidSource(models.TextChoices):
    MANUAL = "saisie", _("Saisie")
    AIDES_TERRITOIRES = "aides-territoires", _("Aides-territoires")


class Scale(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité")
    DEPARTMENT = "department", _("Département")
    REGION = "region", _("Région")
    COUNTRY = "country", _("France")
    EU = "eu", _("Union européenne")


# The narrower the perimeter, the smaller its rank: results list the narrowest first.
SCALE_RANK = {
    Scale.COMMUNE: 1,
    Scale.EPCI: 2,
    Scale.DEPARTMENT: 3,
    Scale.REGION: 4,
    Scale.COUNTRY: 5,
    Scale.EU: 6,
}


def spaced(values: list[str] | tuple[str, ...]) -> str:
    """The stored form of a list of slugs: " a b "."""
    return " " + " ".join(dict.fromkeys(values)) + " " if values else " "


def unspaced(value: str) -> list[str]:
    return value.split()


def labels(choices: type[models.TextChoices], value: str) -> list[str]:
    names = dict(choices.choices)
    return [str(names.get(slug, slug)) for slug in value.split()]


class Perimeter(models.Model):
    """A place an aid applies to: the EU, France, a region, department, EPCI or commune.

    A commune row points at its EPCI, department and region rows, so that the perimeters that
    contain a commune (``selectors.containing_perimeter_ids``) are read in one indexed query.
    """

    scale = models.CharField(_("échelle"), max_length=12, choices=Scale.choices)
    code = models.CharField(
        _("code"), max_length=9, help_text=_("INSEE (commune, département, région), SIREN (EPCI)")
    )
    name = models.CharField(_("nom"), max_length=200)
    # Lower-cased, accent-free name, hyphens and apostrophes as spaces ("saint etienne").
    search_name = models.CharField(max_length=200, editable=False, default="")
    rank = models.PositiveSmallIntegerField(_("rang"), editable=False)
    region = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("périmètre")
        verbose_name_plural = _("périmètres")
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="funding_perimeter_unique")
        ]
        indexes = [models.Index(fields=["scale", "search_name"])]

    def __str__(self) -> str:
        if self.scale in (Scale.COUNTRY, Scale.EU):
            return self.name
        return f"{self.name} ({self.get_scale_display()})"


class Funder(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    level = models.CharField(_("niveau"), max_length=24, choices=FunderLevel.choices)
    logo_url = models.URLField(_("adresse du logo"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True, max_length=20_000)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    # The directory organisation whose members with the funder role manage the aids on
    # ``/financeurs/<id>/gestion/``.
    organisation = models.OneToOneField(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funder",
        verbose_name=_("organisation de l'annuaire"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("financeur")
        verbose_name_plural = _("financeurs")

    def __str__(self) -> str:
        return self.name


def live_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    """Published and not past its deadline, computed from the dates: eligibility never trusts
    the ``expiree`` flag that the scheduled task writes (it may be a day late)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status": AidStatus.PUBLISHED}) & (
        Q(**{f"{prefix}deadline__isnull": True}) | Q(**{f"{prefix}deadline__gte": today})
    )


class Aid(models.Model):
    """An aid or a call for projects. Writes go through ``services``; staff edits are recorded
    in ``edited_fields`` so that the Aides-territoires import never overwrites them."""

    # Not a column: the rank of the narrowest perimeter that matched a search (selectors).
    match_rank: int | None

    title = models.CharField(_("titre"), max_length=300)
    short_description = models.CharField(_("description courte"), max_length=500, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True, max_length=50_000)
    funders = models.ManyToManyField(
        Funder, related_name="aids", blank=True, verbose_name=_("financeurs")
    )
    instructors = models.ManyToManyField(
        Funder, related_name="instructed_aids", blank=True, verbose_name=_("instructeurs")
    )
    types = models.CharField(_("types d'aide"), max_length=300, default=" ")
    is_call_for_projects = models.BooleanField(_("appel à projets ou AMI"), default=False)
    beneficiaries = models.CharField(_("bénéficiaires"), max_length=300, default=" ")
    themes = models.ManyToManyField(
        "core.Theme", related_name="aids", blank=True, verbose_name=_("thèmes")
    )
    stages = models.CharField(_("étapes du projet"), max_length=100, default=" ")
    expense_types = models.CharField(_("types de dépenses"), max_length=100, default=" ")
    perimeters = models.ManyToManyField(
        Perimeter,
        through="AidPerimeter",
        related_name="aids",
        blank=True,
        verbose_name=_("périmètres"),
    )
    # The rank of the narrowest perimeter, kept by services.aid_set_perimeters (sort key when no
    # commune is searched).
    narrowest_rank = models.PositiveSmallIntegerField(default=9, editable=False)
    start_date = models.DateField(_("date d'ouverture"), null=True, blank=True)
    predeposit_date = models.DateField(_("date de pré-dépôt"), null=True, blank=True)
    deadline = models.DateField(_("date limite de dépôt"), null=True, blank=True)
    recurrence = models.CharField(
        _("récurrence"), max_length=12, choices=Recurrence.choices, default=Recurrence.ONE_OFF
    )
    subsidy_rate_min = models.PositiveSmallIntegerField(
        _("taux minimal (%)"), null=True, blank=True
    )
    subsidy_rate_max = models.PositiveSmallIntegerField(
        _("taux maximal (%)"), null=True, blank=True
    )
    amount_min = models.PositiveBigIntegerField(_("montant minimal (€)"), null=True, blank=True)
    amount_max = models.PositiveBigIntegerField(_("montant maximal (€)"), null=True, blank=True)
    amount_comment = models.CharField(_("précisions sur les montants"), max_length=500, blank=True)
    eligibility = models.TextField(_("conditions d'éligibilité (Markdown)"), blank=True)
    origin_url = models.URLField(_("page d'origine"), max_length=500, blank=True)
    application_url = models.URLField(_("candidater"), max_length=500, blank=True)
    contact = models.TextField(_("contact"), blank=True, max_length=2000)
    source = models.CharField(
        _("source"), max_length=20, choices=AidSource.choices, default=AidSource.MANUAL
    )
    source_id = models.CharField(
        _("identifiant Aides-territoires"), max_length=40, null=True, blank=True, unique=True
    )
    imported_at = models.DateTimeField(_("dernier import"), null=True, blank=True)
    edited_fields = models.JSONField(default=list, blank=True, editable=False)
    status = models.CharField(
        _("statut"), max_length=10, choices=AidStatus.choices, default=AidStatus.DRAFT
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    # When the content people read last changed (alerts list aids published or changed since).
    changed_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["deadline", "title"]
        verbose_name = _("aide")
        verbose_name_plural = _("aides")
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["changed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subsidy_rate_min__isnull=True) | Q(subsidy_rate_min__lte=100),
                name="funding_aid_rate_min_percent",
            ),
            models.CheckConstraint(
                condition=Q(subsidy_rate_max__isnull=True) | Q(subsidy_rate_max__lte=100),
                name="funding_aid_rate_max_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("funding:aid", args=[self.pk])

    @property
    def type_list(self) -> list[str]:
        return unspaced(self.types)

    @property
    def type_labels(self) -> list[str]:
        return labels(AidType, self.types)

    @property
    def beneficiary_list(self) -> list[str]:
        return unspaced(self.beneficiaries)

    @property
    def beneficiary_labels(self) -> list[str]:
        return labels(Beneficiary, self.beneficiaries)

    @property
    def stage_labels(self) -> list[str]:
        return labels(ProjectStage, self.stages)

    @property
    def expense_type_labels(self) -> list[str]:
        return labels(ExpenseType, self.expense_types)

    @property
    def effective_status(self) -> str:
        """The status people see: expiry follows the deadline, whatever the stored flag."""
        if self.status == AidStatus.DRAFT:
            return AidStatus.DRAFT
        if self.status == AidStatus.EXPIRED or (
            self.deadline is not None and self.deadline < timezone.localdate()
        ):
            return AidStatus.EXPIRED
        return AidStatus.PUBLISHED

    @property
    def effective_status_label(self) -> str:
        return str(AidStatus(self.effective_status).label)

    @property
    def is_live(self) -> bool:
        return self.effective_status == AidStatus.PUBLISHED

    @property
    def is_open(self) -> bool:
        return self.is_live and (self.start_date is None or self.start_date <= timezone.localdate())


class AidPerimeter(models.Model):
    aid = models.ForeignKey(Aid, on_delete=models.CASCADE, related_name="aid_perimeters")
    perimeter = models.ForeignKey(Perimeter, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["perimeter", "aid"], name="funding_aid_perimeter")
        ]

    def __str__(self) -> str:
        return f"{self.aid_id} → {self.perimeter_id}"


class NoteVisibility(models.TextChoices):
    PUBLIC = "public", _("Publique")
    STAFF = "equipe", _("Équipe de la Turbine seulement")


class LocalNote(models.Model):
    """What an aid means here, written by the Turbine's staff."""

    aid = models.ForeignKey(Aid, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note (Markdown)"), max_length=5000)
    visibility = models.CharField(
        _("visibilité"),
        max_length=10,
        choices=NoteVisibility.choices,
        default=NoteVisibility.PUBLIC,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note locale")
        verbose_name_plural = _("notes locales")

    def __str__(self) -> str:
        return f"Note sur {self.aid_id}"


class AlertFrequency(models.TextChoices):
    DAILY = "quotidienne", _("Chaque jour")
    WEEKLY = "hebdomadaire", _("Chaque semaine")


class Alert(models.Model):
    """A saved search sent by email, without an account. Double opt-in: nothing is sent before
    ``confirmed_at``; ``token`` authenticates the confirmation and unsubscribe links."""

    email = models.EmailField(_("adresse électronique"))
    query = models.CharField(_("recherche"), max_length=1000, blank=True)
    # False for an alert created to follow aids' deadlines only (no saved search).
    includes_search = models.BooleanField(_("avec recherche"), default=True)
    frequency = models.CharField(
        _("fréquence"), max_length=12, choices=AlertFrequency.choices, default=AlertFrequency.WEEKLY
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # The upper bound of the last digest's window: the next digest lists what changed after it.
    last_digest_until = models.DateTimeField(null=True, blank=True)
    followed_aids = models.ManyToManyField(Aid, related_name="followers", blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_frequency_display()})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class AlertDigest(models.Model):
    """One digest of one alert for one period, recorded before it is sent: the unique key makes
    a second run of the same period (after a crash) find it and send nothing."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="digests")
    period = models.CharField(max_length=12)  # "2026-11-27" (daily) or "2026-W48" (weekly)
    aid_count = models.PositiveIntegerField(default=0)
    deadline_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "period"], name="funding_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.period}"


class PartnerSearch(models.Model):
    """On a call for projects: "we want to answer and look for partners with ..."."""

    # Not columns: what a page says of a search to its reader (selectors.partner_searches_for).
    own: bool
    request_count: int
    asked: bool

    aid = models.ForeignKey(Aid, on_delete=models.CASCADE, related_name="partner_searches")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_searches"
    )
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    looking_for = models.TextField(_("partenaires recherchés"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recherche de partenaires")
        verbose_name_plural = _("recherches de partenaires")
        constraints = [
            models.UniqueConstraint(
                fields=["aid", "author"],
                condition=Q(closed_at__isnull=True),
                name="funding_one_open_partner_search",
            )
        ]

    def __str__(self) -> str:
        return f"{self.aid_id} : {self.looking_for[:40]}"


class AidChangeAction(models.TextChoices):
    CREATED = "creation", _("Création")
    EDITED = "modification", _("Modification")
    PUBLISHED = "publication", _("Publication")
    CLOSED = "cloture", _("Clôture")
    DUPLICATED = "duplication", _("Nouvelle session (copie)")
    NOTE = "note", _("Note locale")


class AidChange(models.Model):
    """The audit log of a funder's management pages: who changed what on which aid, when.
    Written by ``services.management`` in the same transaction as the change."""

    aid = models.ForeignKey(Aid, on_delete=models.CASCADE, related_name="changes")
    funder = models.ForeignKey(
        Funder, on_delete=models.SET_NULL, null=True, related_name="aid_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=14, choices=AidChangeAction.choices)
    fields = models.JSONField(_("champs modifiés"), default=list, blank=True)
    detail = models.CharField(_("précision"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("modification d'aide")
        verbose_name_plural = _("journal des modifications d'aides")
        indexes = [models.Index(fields=["funder", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.aid_id} {self.action} {self.created_at:%Y-%m-%d}"

    @property
    def field_labels(self) -> list[str]:
        names = {
            f.name: capfirst(str(f.verbose_name))
            for f in Aid._meta.get_fields()
            if hasattr(f, "verbose_name")
        }
        return [names.get(name, name) for name in self.fields]


class ApplicationStatus(models.TextChoices):
    APPLIED = "deposee", _("Candidature déposée")
    OBTAINED = "obtenue", _("Aide obtenue")
    REFUSED = "refusee", _("Candidature refusée")


class ProjectApplication(models.Model):
    """A project's application for an aid of the catalogue, recorded by its holders: it feeds
    the aid's page, the funder's figures and the places' dashboards."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="applications"
    )
    aid = models.ForeignKey(Aid, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(
        _("où en est la candidature"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    amount_asked = models.DecimalField(
        _("montant demandé (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_obtained = models.DecimalField(
        _("montant obtenu (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    applied_on = models.DateField(_("date de dépôt"), null=True, blank=True)
    decided_on = models.DateField(_("date de la réponse"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-applied_on", "-created_at", "-id"]
        verbose_name = _("candidature à une aide")
        verbose_name_plural = _("candidatures à des aides")
        constraints = [
            models.UniqueConstraint(fields=["project", "aid"], name="funding_application_once"),
            models.CheckConstraint(
                condition=Q(amount_asked__isnull=True) | Q(amount_asked__gte=0),
                name="funding_application_asked_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount_obtained__isnull=True) | Q(amount_obtained__gte=0),
                name="funding_application_obtained_positive",
            ),
        ]
        indexes = [models.Index(fields=["aid", "status"])]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.aid_id} ({self.status})"


class FundingKind(models.TextChoices):
    PUBLIC = "public", _("Financement public")
    PRIVATE = "prive", _("Financement privé, mécénat")
    OWN = "fonds-propres", _("Fonds propres")
    CITIZEN = "citoyen", _("Financement citoyen")
    OTHER = "autre", _("Autre")


class ProjectFunding(models.Model):
    """Funding a project obtained, by source. It belongs to the funding app (which depends on
    projects, not the reverse): the project's page and API read it as ``project.fundings``."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="fundings"
    )
    source = models.CharField(_("source"), max_length=200)
    # The aid of the funding catalogue this money came from, when there is one: the aid's page
    # lists the public projects that obtained it.
    aid = models.ForeignKey(
        Aid,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_fundings",
        verbose_name=_("aide du catalogue"),
    )
    kind = models.CharField(_("nature"), max_length=20, choices=FundingKind.choices)
    amount = models.DecimalField(
        _("montant obtenu (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["-amount", "id"]
        verbose_name = _("financement obtenu")
        verbose_name_plural = _("financements obtenus")

    def __str__(self) -> str:
        return f"{self.source}: {self.amount}"
