"""What an elected official or an agent follows: a commune or an agglomeration, and the monthly
digest it brings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from turbine.territory.models import Agglomeration, Commune


class PlaceFollow(models.Model):
    """One person following one place (a commune or an agglomeration, never both). The token
    signs the digest's unsubscribe links, which work without signing in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="place_follows"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agglomeration = models.ForeignKey(
        Agglomeration, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The month ("2026-12") of the last digest sent, written in the transaction that queues it.
    last_digest = models.CharField(max_length=7, blank=True)

    class Meta:
        verbose_name = _("lieu suivi")
        verbose_name_plural = _("lieux suivis")
        constraints = [
            models.CheckConstraint(
                condition=Q(commune__isnull=False, agglomeration__isnull=True)
                | Q(commune__isnull=True, agglomeration__isnull=False),
                name="placefollow_one_place",
            ),
            models.UniqueConstraint(
                fields=["user", "commune"],
                condition=Q(commune__isnull=False),
                name="placefollow_unique_commune",
            ),
            models.UniqueConstraint(
                fields=["user", "agglomeration"],
                condition=Q(agglomeration__isnull=False),
                name="placefollow_unique_agglomeration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.place_name}"

    @property
    def place_name(self) -> str:
        if self.commune:
            return self.commune.name
        assert self.agglomeration is not None  # the check constraint: one of the two
        return self.agglomeration.name

    def get_place_url(self) -> str:
        if self.commune:
            return reverse("portal:commune", args=[self.commune.code])
        assert self.agglomeration is not None
        return reverse("portal:agglomeration", args=[self.agglomeration.siren])
