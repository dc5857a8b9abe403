"""The directory: organisations, networks, people's public profiles, and reports of content."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    COLLECTIVE = "collectif", _("Collectif d'habitants")
    COMMUNE = "commune", _("Commune")
    EPCI = "intercommunalite", _("Intercommunalité")
    SME = "tpe-pme", _("Entreprise TPE/PME")
    LARGE_COMPANY = "grande-entreprise", _("Grande entreprise")
    PUBLIC_BODY = "etablissement-public", _("Établissement public")
    SOCIAL_LANDLORD = "bailleur-social", _("Bailleur social")
    TRAINING = "organisme-formation", _("Organisme de formation")
    NETWORK_HEAD = "tete-de-reseau", _("Tête de réseau")
    OTHER = "autre", _("Autre")


class Family(models.TextChoices):
    """The territory's own words for the families of actors."""

    DOERS = "font", _("Ceux qui font")
    HELPERS = "aident", _("Ceux qui aident")
    SPREADERS = "diffusent", _("Ceux qui diffusent")


SIREN_RE = re.compile(r"^\d{9}$")
RNA_RE = re.compile(r"^W\d[\dAB]\d{7}$")


def luhn_ok(number: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char)
        if i % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_siren(value: str) -> None:
    if not SIREN_RE.match(value) or not luhn_ok(value):
        raise ValidationError(
            _("Le numéro SIREN doit compter 9 chiffres et être valide (clé de Luhn)."),
            code="siren",
        )


def validate_rna(value: str) -> None:
    if not RNA_RE.match(value):
        raise ValidationError(
            _("Le numéro RNA s'écrit W suivi de 9 caractères, par exemple W623001234."),
            code="rna",
        )


class Network(models.Model):
    """A network of the territory (a federation, a club of companies, a resource centre)."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    website = models.URLField(_("site web"), blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:network_detail", args=[self.slug])


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=OrganisationKind.choices)
    family = models.CharField(_("famille d'acteurs"), max_length=20, choices=Family.choices)
    siren = models.CharField(
        _("numéro SIREN"), max_length=9, blank=True, validators=[validate_siren]
    )
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True, validators=[validate_rna])
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("commune"),
    )
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
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="organisations", verbose_name=_("thèmes")
    )
    networks = models.ManyToManyField(
        Network, blank=True, related_name="organisations", verbose_name=_("réseaux")
    )
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20_000)
    # Always a PNG re-encoded by ``services.organisation_set_logo``, never the uploaded bytes.
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True)
    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    contact_public = models.BooleanField(_("contact public"), default=False)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    # Set by staff moderation: hidden content leaves lists, search, map and API.
    is_hidden = models.BooleanField(_("masquée par la modération"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["is_hidden", "name"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["family"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", args=[self.pk])

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Administrateur")
    MEMBER = "member", _("Membre")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Demande en attente")
    ACTIVE = "active", _("Membre")
    REFUSED = "refused", _("Demande refusée")


class Membership(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")
        ]
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role}, {self.status})"


class PersonProfile(models.Model):
    """The directory side of a person's public profile: what they know how to do and can help
    with. Shown only while ``user.is_profile_public``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_profile"
    )
    know_how = models.TextField(_("savoir-faire"), blank=True, max_length=5000)
    can_help_with = models.TextField(_("ce en quoi je peux aider"), blank=True, max_length=5000)
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="people", verbose_name=_("thèmes")
    )
    networks = models.ManyToManyField(
        Network, blank=True, related_name="people", verbose_name=_("réseaux")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil d'annuaire")
        verbose_name_plural = _("profils d'annuaire")

    def __str__(self) -> str:
        return str(self.user)


class ReportStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    HIDDEN = "hidden", _("Contenu masqué")
    DISMISSED = "dismissed", _("Classé sans suite")


class Report(models.Model):
    """A report of public content that may break the rules, for the staff moderation queue.
    ``kind`` names a registered moderatable kind (``turbine.directory.moderation``)."""

    kind = models.CharField(_("type de contenu"), max_length=40)
    object_id = models.CharField(max_length=64)
    title = models.CharField(_("contenu signalé"), max_length=300)
    reason = models.TextField(_("motif"), max_length=2000)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_reports",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} ({self.status})"


class Direction(models.TextChoices):
    NEED = "besoin", _("Je cherche")
    OFFER = "offre", _("Je propose")


class NeedOfferKind(models.TextChoices):
    SKILL = "competence", _("Compétence")
    VOLUNTEERS = "benevoles", _("Bénévoles")
    PLACE = "lieu", _("Lieu")
    EQUIPMENT = "materiel", _("Matériel")
    FUNDING = "financement", _("Financement")
    PARTNERSHIP = "partenariat", _("Partenariat")
    DATA = "donnees", _("Données")
    TRAINING = "formation", _("Formation")


class NeedOfferQuerySet(models.QuerySet):
    def open(self, today: datetime.date | None = None) -> NeedOfferQuerySet:
        """Needs and offers still standing: not closed by their author, not past their date,
        not hidden by moderation."""
        return self.filter(
            is_hidden=False, is_closed=False, expires_on__gte=today or timezone.localdate()
        )


class NeedOffer(models.Model):
    """ "Je cherche / je propose": a need or an offer of an actor, until its expiry date."""

    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("nature"), max_length=20, choices=NeedOfferKind.choices)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="needs_offers",
        verbose_name=_("auteur"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="needs_offers",
        verbose_name=_("au nom de"),
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="needs_offers", verbose_name=_("thèmes")
    )
    communes = models.ManyToManyField(
        "territory.Commune", blank=True, related_name="needs_offers", verbose_name=_("communes")
    )
    expires_on = models.DateField(_("date d'expiration"))
    is_closed = models.BooleanField(_("clos"), default=False)
    is_hidden = models.BooleanField(_("masqué par la modération"), default=False)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NeedOfferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["is_hidden", "is_closed", "expires_on"]),
            models.Index(fields=["direction", "kind"]),
        ]
        verbose_name = _("besoin ou offre")
        verbose_name_plural = _("besoins et offres")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("directory:needoffer_detail", args=[self.pk])


class IntroductionStatus(models.TextChoices):
    ASKED = "asked", _("Demandée")
    ACCEPTED = "accepted", _("Acceptée")
    DECLINED = "declined", _("Déclinée")


class Introduction(models.Model):
    """A request, made through Turbine, to be put in touch with someone.

    The ``target`` is what the requester wants to meet (an organisation, a person, a need or
    offer, a project...) and the ``subject`` what they come with (their own need, project, or a
    call for projects in the funding app): both are a registered kind and an id (see
    ``turbine.directory.introductions``), with a title kept for the record. Each side decides
    whether to share their contact; the contacts are shown to both only when both agree.
    """

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="introductions_asked",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="introductions_received",
    )
    target_kind = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    target_title = models.CharField(max_length=300)
    subject_kind = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    subject_title = models.CharField(max_length=300, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    reasons = models.JSONField(_("raisons de la suggestion"), default=list, blank=True)
    requester_shares = models.BooleanField(null=True)
    recipient_shares = models.BooleanField(null=True)
    status = models.CharField(
        max_length=10, choices=IntroductionStatus.choices, default=IntroductionStatus.ASKED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["target_kind", "target_id"]),
        ]
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")

    def __str__(self) -> str:
        return f"{self.requester_id} -> {self.target_kind}:{self.target_id} ({self.status})"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Aperçu vérifié")
    QUEUED = "queued", _("En file d'attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échoué, rien n'est enregistré")


class ImportBatch(models.Model):
    """A staff CSV import: checked in full for the preview, saved only once confirmed, in one
    transaction (all rows or none)."""

    kind = models.CharField(_("contenu"), max_length=40)
    filename = models.CharField(_("fichier"), max_length=255)
    content = models.TextField()
    rows_total = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import CSV")
        verbose_name_plural = _("imports CSV")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"
