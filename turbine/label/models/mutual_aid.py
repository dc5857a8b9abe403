"""The pôle d'entraide de l'ambition: a labelled or applying project asks peers (holders of
other labelled projects) to review its ambition; the exchange and its outcome are recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PeerRequestStatus(models.TextChoices):
    OPEN = "ouverte", _("En attente de pairs")
    IN_PROGRESS = "en-cours", _("Échange en cours")
    CLOSED = "close", _("Close")


class PeerOutcome(models.TextChoices):
    KEPT = "maintenue", _("Ambition maintenue")
    RAISED = "relevee", _("Ambition relevée")
    LOWERED = "revue-a-la-baisse", _("Ambition revue à la baisse")


class PeerRequest(models.Model):
    application = models.ForeignKey(
        "label.Application", on_delete=models.CASCADE, related_name="peer_requests"
    )
    question = models.TextField(_("ce qui tire l'ambition vers le bas"), max_length=5000)
    status = models.CharField(
        _("état"), max_length=20, choices=PeerRequestStatus.choices, default=PeerRequestStatus.OPEN
    )
    meeting_at = models.DateTimeField(_("date de la rencontre"), null=True, blank=True)
    meeting_place = models.CharField(_("lieu ou lien de la rencontre"), max_length=300, blank=True)
    outcome = models.CharField(_("issue"), max_length=20, choices=PeerOutcome.choices, blank=True)
    outcome_reasons = models.TextField(_("raisons"), blank=True, max_length=5000)
    public = models.BooleanField(_("visible sur la page du projet"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("demande de regard de pairs")
        verbose_name_plural = _("demandes de regard de pairs")

    def __str__(self) -> str:
        return f"{self.application_id} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("label:peer_detail", args=[self.pk])


class PeerVolunteer(models.Model):
    """A holder of another labelled project who volunteers for the peer review."""

    request = models.ForeignKey(PeerRequest, on_delete=models.CASCADE, related_name="volunteers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_volunteering"
    )
    application = models.ForeignKey("label.Application", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pair volontaire")
        verbose_name_plural = _("pairs volontaires")
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="peer_volunteer_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.user_id}"


class PeerMessageKind(models.TextChoices):
    QUESTION = "question", _("Question")
    ANSWER = "reponse", _("Réponse")


class PeerMessage(models.Model):
    request = models.ForeignKey(PeerRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("nature"), max_length=20, choices=PeerMessageKind.choices)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message entre pairs")
        verbose_name_plural = _("messages entre pairs")

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"
