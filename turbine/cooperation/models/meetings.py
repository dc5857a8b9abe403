"""Meetings (events) in varied formats, their registrations, documents and feedback."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EventFormat(models.TextChoices):
    WORKSHOP = "atelier", _("Atelier")
    CITIZEN_CONVENTION = "convention", _("Convention citoyenne")
    FORUM = "forum", _("Forum")
    VISIT = "visite", _("Visite")
    WEBINAR = "webinaire", _("Webinaire")
    WORK_PARTY = "chantier", _("Chantier participatif")
    PEER_TRAINING = "formation-pairs", _("Formation entre pairs")


class Modality(models.TextChoices):
    IN_PERSON = "presentiel", _("Présentiel")
    ONLINE = "en-ligne", _("En ligne")
    HYBRID = "hybride", _("Hybride")


class TimeSlot(models.TextChoices):
    WEEKDAY = "semaine", _("Journée en semaine")
    EVENING = "soiree", _("Soirée")
    WEEKEND = "week-end", _("Week-end")


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    FRENCH_SIGN = "fr-lsf", _("Français avec interprétation en langue des signes")
    ENGLISH = "en", _("Anglais")
    DUTCH = "nl", _("Néerlandais")


class RegistrationMode(models.TextChoices):
    PLATFORM = "plateforme", _("Inscription sur la Turbine")
    ELSEWHERE = "ailleurs", _("Inscription sur un autre site")
    NONE = "aucune", _("Entrée libre, sans inscription")


class ReminderDelay(models.IntegerChoices):
    TWO_HOURS = 2, _("2 heures avant")
    ONE_DAY = 24, _("la veille (24 heures avant)")
    TWO_DAYS = 48, _("2 jours avant")
    ONE_WEEK = 168, _("une semaine avant")


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> EventQuerySet:
        return self.filter(is_hidden=False)


class Event(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), max_length=20_000)
    # The organiser is a person, or organisations of the directory (co-organisers, possibly from
    # several networks), or both.
    organiser_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("personne organisatrice"),
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="events",
        verbose_name=_("organisations (co-)organisatrices"),
    )
    format = models.CharField(_("format"), max_length=20, choices=EventFormat.choices)
    modality = models.CharField(_("modalité"), max_length=12, choices=Modality.choices)
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("commune"),
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
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
    step_free = models.BooleanField(_("accessible de plain-pied"), default=False)
    hearing_loop = models.BooleanField(_("boucle magnétique"), default=False)
    childcare = models.BooleanField(_("garde d'enfants sur place"), default=False)
    accessibility_notes = models.CharField(
        _("autres informations d'accessibilité"), max_length=500, blank=True
    )
    # Shown only to people whose registration is confirmed.
    online_url = models.URLField(_("lien de connexion"), blank=True, max_length=500)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    time_slot = models.CharField(_("créneau"), max_length=10, choices=TimeSlot.choices)
    language = models.CharField(
        _("langue"), max_length=10, choices=Language.choices, default=Language.FRENCH
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="events", verbose_name=_("thèmes")
    )
    registration_mode = models.CharField(
        _("inscription"),
        max_length=12,
        choices=RegistrationMode.choices,
        default=RegistrationMode.PLATFORM,
    )
    external_registration_url = models.URLField(
        _("lien d'inscription extérieur"), blank=True, max_length=500
    )
    # None: no limit.
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    reminders_enabled = models.BooleanField(_("rappel par courriel"), default=True)
    reminder_hours = models.PositiveSmallIntegerField(
        _("envoyer le rappel"), choices=ReminderDelay.choices, default=ReminderDelay.ONE_DAY
    )
    minutes = models.TextField(_("compte rendu"), blank=True, max_length=50_000)
    # A meeting of a working group, or a session of a know-how offer (peer teaching).
    group = models.ForeignKey(
        "cooperation.WorkingGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("groupe de travail"),
    )
    know_how_offer = models.ForeignKey(
        "cooperation.KnowHowOffer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("savoir-faire transmis"),
    )
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
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

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        indexes = [
            models.Index(fields=["is_hidden", "start"]),
            models.Index(fields=["format", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="event_end_after")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:event_detail", args=[self.pk])

    @property
    def has_place(self) -> bool:
        return self.modality != Modality.ONLINE

    @property
    def is_online(self) -> bool:
        return self.modality != Modality.IN_PERSON


class RegistrationStatus(models.TextChoices):
    # Registered by email without an account, not yet confirmed by the link (double opt-in):
    # holds no place.
    PENDING = "a-confirmer", _("À confirmer par courriel")
    REGISTERED = "inscrit", _("Inscrit")
    WAITING = "attente", _("Liste d'attente")
    CANCELLED = "annule", _("Annulée")


class AgeBand(models.TextChoices):
    UNDER_18 = "-18", _("Moins de 18 ans")
    FROM_18 = "18-29", _("18 à 29 ans")
    FROM_30 = "30-44", _("30 à 44 ans")
    FROM_45 = "45-59", _("45 à 59 ans")
    FROM_60 = "60-74", _("60 à 74 ans")
    FROM_75 = "75+", _("75 ans et plus")


class FirstTime(models.TextChoices):
    YES = "oui", _("Oui, c'est ma première rencontre")
    NO = "non", _("Non, je suis déjà venu·e")


class HeardVia(models.TextChoices):
    WORD_OF_MOUTH = "bouche", _("Par le bouche-à-oreille")
    NETWORK = "reseau", _("Par une association ou un réseau")
    COMMUNE = "commune", _("Par ma commune")
    PLATFORM = "turbine", _("Sur la Turbine")
    SOCIAL = "reseaux-sociaux", _("Par les réseaux sociaux")
    PRESS = "presse", _("Par la presse ou l'affichage")
    OTHER = "autre", _("Autrement")


ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.REGISTERED,
    RegistrationStatus.WAITING,
)


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    # Always set (the account's address for a signed-in person), lower-cased.
    email = models.EmailField(_("adresse électronique"))
    name = models.CharField(_("nom"), max_length=120, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=RegistrationStatus.choices)
    # Shown to the person and encoded in their QR code, entered on the day to mark attendance.
    code = models.CharField(_("code d'inscription"), max_length=12, unique=True)
    # SHA-256 of the personal link's secret (confirmation, cancellation without an account).
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The place in the waiting list: the oldest entry is promoted first.
    queued_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Declared, optional, used only in aggregate (groups under 5 people are merged).
    age_band = models.CharField(
        _("tranche d'âge"), max_length=6, choices=AgeBand.choices, blank=True
    )
    agglomeration = models.ForeignKey(
        "territory.Agglomeration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agglomération"),
    )
    first_time = models.CharField(
        _("première participation"), max_length=3, choices=FirstTime.choices, blank=True
    )
    heard_via = models.CharField(
        _("comment en avez-vous entendu parler"),
        max_length=20,
        choices=HeardVia.choices,
        blank=True,
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            # One live registration per address and event: a second one is refused by the
            # database even when two requests race.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="annule"),
                name="registration_one_live_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queued_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.event} ({self.status})"

    @property
    def holds_place(self) -> bool:
        return self.status == RegistrationStatus.REGISTERED


class EventDocument(models.Model):
    """A document shared after (or before) the event: slides, photos, attendance sheet."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to="cooperation/events/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document de rencontre")
        verbose_name_plural = _("documents de rencontre")

    def __str__(self) -> str:
        return self.title


class EventFeedback(models.Model):
    """The short feedback form, one per registration that attended or was registered."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedbacks")
    rating = models.PositiveSmallIntegerField(
        _("appréciation"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    useful = models.BooleanField(_("la rencontre m'a été utile"), default=False)
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("avis sur une rencontre")
        verbose_name_plural = _("avis sur les rencontres")

    def __str__(self) -> str:
        return f"{self.event} – {self.rating}/5"
