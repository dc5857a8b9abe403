"""Support requests of the guichet unique, their triage grids, follow-up and the catalogue of
administrative procedures.

Multi-valued choices (needs, holder types of a procedure) are stored as space-delimited slugs
with a leading and trailing space (" financement lieu "), as in the funding app, so a filter is a
portable substring match.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class HolderType(models.TextChoices):
    RESIDENT = "habitant", _("Habitant ou habitante")
    COLLECTIVE = "collectif", _("Collectif d'habitants")
    ASSOCIATION = "association", _("Association")
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité")
    COMPANY = "entreprise", _("Entreprise")
    PUBLIC_BODY = "etablissement-public", _("Établissement public")
    FARMER = "agriculteur", _("Agriculteur ou agricultrice")


# The funding catalogue's beneficiary slug that fits each kind of holder (an informal collective
# applies for aids through an association).
HOLDER_BENEFICIARY = {
    HolderType.RESIDENT: "particulier",
    HolderType.COLLECTIVE: "association",
    HolderType.ASSOCIATION: "association",
    HolderType.COMMUNE: "commune",
    HolderType.EPCI: "epci",
    HolderType.COMPANY: "entreprise",
    HolderType.PUBLIC_BODY: "etablissement-public",
    HolderType.FARMER: "agriculteur",
}


class Need(models.TextChoices):
    FUNDING = "financement", _("Financement")
    ENGINEERING = "ingenierie", _("Ingénierie (études, montage technique ou financier)")
    PROCEDURES = "demarches", _("Démarches et autorisations")
    PARTNERS = "partenaires", _("Partenaires")
    SKILLS = "competences", _("Compétences")
    PLACE = "lieu", _("Lieu")
    VISIBILITY = "visibilite", _("Visibilité")
    NETWORK = "reseau", _("Mise en réseau")


class Status(models.TextChoices):
    NEW = "nouvelle", _("Nouvelle")
    QUALIFIED = "qualifiee", _("Qualifiée")
    ACCOMPANIED = "accompagnement", _("En accompagnement")
    CLOSED = "close", _("Clôturée")


class Outcome(models.TextChoices):
    SUCCEEDED = "aboutie", _("Aboutie")
    REDIRECTED = "reorientee", _("Réorientée")
    ABANDONED = "abandonnee", _("Abandonnée")
    RENOUNCED = "renoncee", _("Renoncée")


class UrgencyBand(models.TextChoices):
    HIGH = "haute", _("Priorité haute")
    MEDIUM = "moyenne", _("Priorité moyenne")
    LOW = "basse", _("Priorité basse")


# How each level of the scale grid is accompanied.
ACCOMPANIMENT = {
    1: _("Orientation légère : un conseiller oriente vers les bonnes ressources."),
    2: _("Accompagnement : un conseiller suit le projet jusqu'à son aboutissement."),
    3: _("Équipe projet : plusieurs conseillers et partenaires se mobilisent."),
}


def spaced(values: list[str] | tuple[str, ...]) -> str:
    return " " + " ".join(dict.fromkeys(values)) + " " if values else " "


class ScaleCriterionKey(models.TextChoices):
    ACTORS = "acteurs", _("Nombre d'acteurs impliqués")
    BUDGET = "budget", _("Budget estimé (€)")
    REACH = "portee", _("Portée territoriale (nombre de communes)")
    STAGE = "etape", _("Maturité du projet (rang de l'étape)")


class ScaleCriterion(models.Model):
    """One criterion of the scale grid: a measure of the request and the values from which it
    points at level 2 and level 3. Staff edit the thresholds in the administration."""

    key = models.CharField(
        _("critère"), max_length=20, choices=ScaleCriterionKey.choices, unique=True
    )
    level2_from = models.DecimalField(_("niveau 2 à partir de"), max_digits=14, decimal_places=2)
    level3_from = models.DecimalField(_("niveau 3 à partir de"), max_digits=14, decimal_places=2)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("critère d'échelle")
        verbose_name_plural = _("critères d'échelle")

    def __str__(self) -> str:
        return self.get_key_display()


class UrgencyCriterionKey(models.TextChoices):
    CLIMATE = "climat", _("Urgence climatique des thèmes")
    SOCIAL = "social", _("Urgence sociale des personnes concernées")
    DEADLINE = "echeance", _("Échéance pertinente la plus proche")
    ABANDONMENT = "abandon", _("Risque d'abandon")


class UrgencyCriterion(models.Model):
    """One weighted criterion of the urgency scale ("échelle d'urgence d'action")."""

    key = models.CharField(
        _("critère"), max_length=20, choices=UrgencyCriterionKey.choices, unique=True
    )
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    themes = models.ManyToManyField(
        "core.Theme",
        blank=True,
        related_name="+",
        verbose_name=_("thèmes urgents"),
        help_text=_("Pour le critère climatique : les thèmes qui le déclenchent."),
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("critère d'urgence")
        verbose_name_plural = _("critères d'urgence")

    def __str__(self) -> str:
        return f"{self.get_key_display()} (×{self.weight})"


class AdvisorCoverage(models.Model):
    """The agglomerations and themes an advisor of the Turbine covers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guichet_coverage"
    )
    agglomerations = models.ManyToManyField(
        "territory.Agglomeration", blank=True, related_name="+", verbose_name=_("agglomérations")
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="+", verbose_name=_("thèmes")
    )
    is_available = models.BooleanField(_("disponible pour de nouvelles demandes"), default=True)

    class Meta:
        verbose_name = _("périmètre de conseiller")
        verbose_name_plural = _("périmètres de conseillers")

    def __str__(self) -> str:
        return str(self.user)


class MentorOffer(models.Model):
    """A holder volunteers to help newcomers with what they learnt on one of their projects
    (the territory's "réseau de porteurs de projets")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guichet_mentor_offers"
    )
    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="guichet_mentor_offer"
    )
    message = models.TextField(_("ce que je peux transmettre"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposition de parrainage")
        verbose_name_plural = _("propositions de parrainage")

    def __str__(self) -> str:
        return f"{self.user} – {self.project}"


# Holders that are a structure already (never told to create one).
STRUCTURED_HOLDERS = frozenset(
    {
        HolderType.ASSOCIATION,
        HolderType.COMMUNE,
        HolderType.EPCI,
        HolderType.COMPANY,
        HolderType.PUBLIC_BODY,
        HolderType.FARMER,
    }
)


class ProcedureTrigger(models.Model):
    """A situation the intake asks about ("une manifestation ouverte au public") that calls for
    procedures. Staff maintain the list; procedures are proposed from these alone, never from
    a word of the project's text."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    label = models.CharField(_("question posée"), max_length=200)
    help_text = models.CharField(_("précision"), max_length=300, blank=True)
    is_new_structure = models.BooleanField(
        _("création d'une structure"),
        default=False,
        help_text=_("Jamais proposé à un porteur qui a déjà une structure."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "label"]
        verbose_name = _("situation déclenchant une démarche")
        verbose_name_plural = _("situations déclenchant des démarches")

    def __str__(self) -> str:
        return self.label


class Procedure(models.Model):
    """An administrative procedure of the catalogue staff maintain: what to do, whom to ask.

    A procedure is suggested when the holder ticked one of its ``triggers`` in the intake."""

    title = models.CharField(_("titre"), max_length=200, unique=True)
    what_to_do = models.TextField(_("ce qu'il faut faire"), max_length=3000)
    whom_to_ask = models.CharField(_("à qui s'adresser"), max_length=300)
    url = models.URLField(_("page officielle"), max_length=500, blank=True)
    keywords = models.CharField(
        _("mots-clés pour la recherche du site"), max_length=500, blank=True
    )
    triggers = models.ManyToManyField(
        ProcedureTrigger,
        blank=True,
        related_name="procedures",
        verbose_name=_("situations qui la déclenchent"),
    )
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="+", verbose_name=_("thèmes")
    )
    holder_types = models.CharField(_("types de porteurs"), max_length=200, default=" ")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("démarche administrative")
        verbose_name_plural = _("démarches administratives")

    def __str__(self) -> str:
        return self.title


class SupportRequest(models.Model):
    """A project holder's request to the guichet unique, about one of their projects."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guichet_requests"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="guichet_requests"
    )
    holder_type = models.CharField(_("vous êtes"), max_length=24, choices=HolderType.choices)
    structure_name = models.CharField(_("nom de la structure"), max_length=200, blank=True)
    needs = models.CharField(_("besoins"), max_length=200, default=" ")
    help_wanted = models.TextField(_("l'aide attendue"), max_length=3000, blank=True)
    actors_count = models.PositiveIntegerField(_("nombre d'acteurs impliqués"), default=1)
    timing = models.CharField(_("calendrier"), max_length=300, blank=True)
    wished_date = models.DateField(_("échéance souhaitée"), null=True, blank=True)
    social_urgency = models.BooleanField(
        _("le projet répond à une situation sociale difficile"), default=False
    )
    abandonment_risk = models.BooleanField(
        _("sans aide, le projet risque d'être abandonné"), default=False
    )
    triggers = models.ManyToManyField(
        ProcedureTrigger, blank=True, related_name="+", verbose_name=_("situations du projet")
    )
    # What Turbine found, as ``matching.snapshot`` wrote it; recomputed on demand or when the
    # aid catalogue changes (``services.request_found_refresh``), never on a page view.
    found = models.JSONField(default=dict, blank=True, editable=False)
    found_at = models.DateTimeField(_("résultats calculés le"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"))
    agglomeration = models.ForeignKey(
        "territory.Agglomeration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agglomération"),
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("motif de clôture"), max_length=3000, blank=True)
    renunciation = models.BooleanField(_("parcours de renoncement"), default=False)
    renunciation_reason = models.TextField(
        _("pourquoi le projet est jugé destructeur"), max_length=3000, blank=True
    )
    proposed_scale = models.PositiveSmallIntegerField(_("échelle proposée"), default=1)
    scale_detail = models.JSONField(default=list, blank=True)
    confirmed_scale = models.PositiveSmallIntegerField(
        _("échelle confirmée"), null=True, blank=True
    )
    urgency_score = models.PositiveSmallIntegerField(_("score d'urgence"), default=0)
    urgency_band = models.CharField(
        _("priorité"), max_length=10, choices=UrgencyBand.choices, default=UrgencyBand.LOW
    )
    urgency_detail = models.JSONField(default=list, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guichet_assigned_requests",
        verbose_name=_("conseiller"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    first_answer_at = models.DateTimeField(_("première réponse"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("demande d'accompagnement")
        verbose_name_plural = _("demandes d'accompagnement")
        indexes = [
            models.Index(fields=["status", "urgency_score"]),
            models.Index(fields=["agglomeration", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(proposed_scale__gte=1, proposed_scale__lte=3),
                name="guichet_request_proposed_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande {self.pk} – {self.project_id}"

    def get_absolute_url(self) -> str:
        return reverse("guichet:my_request", args=[self.pk])

    @property
    def need_list(self) -> list[str]:
        return self.needs.split()

    @property
    def need_labels(self) -> list[str]:
        names = dict(Need.choices)
        return [str(names.get(slug, slug)) for slug in self.needs.split()]

    @property
    def scale(self) -> int:
        return self.confirmed_scale or self.proposed_scale

    @property
    def accompaniment(self) -> str:
        return str(ACCOMPANIMENT[self.scale])

    @property
    def time_to_first_answer(self):
        if self.first_answer_at is None:
            return None
        return self.first_answer_at - self.created_at


class AidChoiceKind(models.TextChoices):
    KEPT = "retenue", _("Je la garde")
    SET_ASIDE = "ecartee", _("Pas pour moi")


class AidChoice(models.Model):
    """The holder keeps an aid Turbine found, or sets it aside (then it is not proposed again
    for this request). Advisors see these choices."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="aid_choices"
    )
    aid = models.ForeignKey("funding.Aid", on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(_("choix"), max_length=10, choices=AidChoiceKind.choices)
    reason = models.CharField(_("pourquoi (facultatif)"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("choix d'aide")
        verbose_name_plural = _("choix d'aides")
        constraints = [
            models.UniqueConstraint(fields=["request", "aid"], name="guichet_aid_choice_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.aid_id} {self.choice}"


class RecommendationKind(models.TextChoices):
    AID = "aide", _("Aide")
    CONTACT = "contact", _("Contact")
    MENTOR = "mentor", _("Parrain ou marraine")
    PROCEDURE = "demarche", _("Démarche")
    RESOURCE = "ressource", _("Ressource")
    OTHER = "autre", _("Autre")


class RecommendationStatus(models.TextChoices):
    PROPOSED = "proposee", _("Proposée")
    IN_PROGRESS = "en-cours", _("En cours")
    DONE = "faite", _("Faite")
    DISMISSED = "ecartee", _("Écartée")


class Recommendation(models.Model):
    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="recommendations"
    )
    kind = models.CharField(_("nature"), max_length=12, choices=RecommendationKind.choices)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("précisions"), max_length=5000, blank=True)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    aid = models.ForeignKey(
        "funding.Aid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aide"),
    )
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PROPOSED,
    )
    dismissal_reason = models.CharField(_("pourquoi l'écarter"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """The conversation between the holder and the advisors."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"Message {self.pk}"


class StaffNote(models.Model):
    """A private note of the Turbine's staff: never shown to the holder."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self) -> str:
        return f"Note {self.pk}"


class Reminder(models.Model):
    """ "Relancer dans 30 jours": sent by ``tasks.send_due_reminders`` on its day."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="reminders")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    due_on = models.DateField(_("à relancer le"))
    note = models.CharField(_("objet de la relance"), max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["sent_at", "due_on"])]
        verbose_name = _("relance")
        verbose_name_plural = _("relances")

    def __str__(self) -> str:
        return f"Relance {self.request_id} le {self.due_on}"


class HistoryEntry(models.Model):
    """The audit log of a request: every action, by whom, when."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=500, blank=True)
    is_staff_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("historique")
        verbose_name_plural = _("historique")

    def __str__(self) -> str:
        return f"{self.action} {self.request_id}"
