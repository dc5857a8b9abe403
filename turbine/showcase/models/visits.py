"""Study visits: actors offer visits of their projects on dated slots with a capacity; outside
visitors (schools, other territories, delegations from abroad) ask for a place without an
account, follow their request through a personal link, and give their feedback afterwards."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    DUTCH = "nl", _("Néerlandais")
    GERMAN = "de", _("Allemand")
    SPANISH = "es", _("Espagnol")
    POLISH = "pl", _("Polonais")


class VisitOfferQuerySet(models.QuerySet["VisitOffer"]):
    def public(self) -> VisitOfferQuerySet:
        return self.filter(is_published=True, is_hidden=False)


class VisitOffer(models.Model):
    """A visit that a host (an organisation, through its members) offers of one of its projects."""

    title = models.CharField(_("titre"), max_length=200)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_offers",
        verbose_name=_("projet visité"),
    )
    host = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="visit_offers",
        verbose_name=_("structure qui accueille"),
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        related_name="visit_offers",
        verbose_name=_("commune"),
    )
    meeting_point = models.CharField(_("lieu de rendez-vous"), max_length=300)
    description = models.TextField(_("déroulé de la visite"), max_length=5000)
    learnings = models.TextField(_("ce que les visiteurs apprennent"), max_length=3000)
    languages = models.JSONField(_("langues de la visite"), default=list)
    accessibility = models.CharField(_("accessibilité"), max_length=500, blank=True)
    step_free = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée (minutes)"), default=90, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="visit_offers", verbose_name=_("thèmes")
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    is_hidden = models.BooleanField(_("masquée par la modération"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitOfferQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("offre de visite")
        verbose_name_plural = _("offres de visite")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("showcase:visit_detail", args=[self.pk])

    def get_languages_display(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels[code]) for code in self.languages if code in labels]


class VisitSlot(models.Model):
    """A date of a visit. ``reserved`` counts the people of the requests that hold seats
    (waiting for the host or confirmed); it only changes under a row lock on the slot."""

    offer = models.ForeignKey(VisitOffer, on_delete=models.CASCADE, related_name="slots")
    start = models.DateTimeField(_("début"))
    capacity = models.PositiveSmallIntegerField(
        _("nombre de places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    reserved = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["offer", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reserved__lte=models.F("capacity")),
                name="visit_slot_not_overbooked",
            )
        ]
        verbose_name = _("date de visite")
        verbose_name_plural = _("dates de visite")

    def __str__(self) -> str:
        return f"{self.offer_id} {self.start:%Y-%m-%d %H:%M}"

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.reserved)


class VisitorOrigin(models.TextChoices):
    SCHOOL = "scolaire", _("Établissement scolaire ou universitaire")
    TERRITORY = "territoire", _("Autre territoire français")
    ABROAD = "etranger", _("Délégation venue de l'étranger")
    COMPANY = "entreprise", _("Entreprise ou réseau professionnel")
    LOCAL = "local", _("Habitants ou association du territoire")


class VisitRequestStatus(models.TextChoices):
    PENDING = "attente", _("En attente de réponse")
    CONFIRMED = "confirmee", _("Confirmée")
    PROPOSED = "autre-date", _("Autre date proposée")
    DECLINED = "refusee", _("Refusée")
    CANCELLED = "annulee", _("Annulée par le visiteur")


# Requests in these states hold their seats on their slot.
HOLDING = (VisitRequestStatus.PENDING, VisitRequestStatus.CONFIRMED)


class VisitRequest(models.Model):
    """A group's request for a visit, made without an account. The visitor follows it through
    a personal link signed with the site's key (``services.visits.request_token``), so that the
    reminder and the feedback emails can carry it again without storing any secret."""

    slot = models.ForeignKey(VisitSlot, on_delete=models.CASCADE, related_name="requests")
    proposed_slot = models.ForeignKey(
        VisitSlot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("autre date proposée"),
    )
    contact_name = models.CharField(_("nom de la personne à contacter"), max_length=120)
    email = models.EmailField(_("adresse électronique"))
    group_name = models.CharField(_("groupe ou structure"), max_length=200)
    origin = models.CharField(_("origine du groupe"), max_length=12, choices=VisitorOrigin.choices)
    country = models.CharField(_("pays"), max_length=80, default="France")
    group_size = models.PositiveSmallIntegerField(
        _("nombre de personnes"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    language = models.CharField(_("langue souhaitée"), max_length=2, choices=Language.choices)
    needs = models.CharField(_("besoins particuliers"), max_length=500, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        max_length=12, choices=VisitRequestStatus.choices, default=VisitRequestStatus.PENDING
    )
    host_note = models.TextField(_("réponse de la structure"), blank=True, max_length=2000)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    feedback_asked_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "slot"])]
        verbose_name = _("demande de visite")
        verbose_name_plural = _("demandes de visite")

    def __str__(self) -> str:
        return f"{self.group_name} ({self.status})"

    @property
    def holds_seats(self) -> bool:
        return self.status in HOLDING


class VisitFeedback(models.Model):
    """What a group says after its visit (one per request)."""

    request = models.OneToOneField(VisitRequest, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    learned = models.TextField(_("ce que le groupe retient"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis après visite")
        verbose_name_plural = _("avis après visite")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.rating}/5"
