"""The Turbine's charter (the « contrat moral »): versioned texts and the adherences to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CharterVersion(models.Model):
    """One version of the charter. A draft (``published_at`` empty) is seen by staff only; the
    current version is the latest published one. ``text`` is Markdown, rendered sanitised."""

    number = models.PositiveIntegerField(_("numéro de version"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    text = models.TextField(_("texte (Markdown)"), max_length=50_000)
    changes = models.TextField(_("ce qui change"), blank=True, max_length=5000)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class CharterSignature(models.Model):
    """An adherence of a member (an organisation of the directory, or a commune) to one version
    of the charter, by a person with rights on it. Earlier adherences stay: they are the
    member's history."""

    version = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="signatures")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="charter_signatures",
        verbose_name=_("organisation"),
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="charter_signatures",
        verbose_name=_("commune"),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="charter_signatures",
    )
    signer_name = models.CharField(_("nom de la personne qui signe"), max_length=120)
    signer_role = models.CharField(_("fonction"), max_length=120)
    signed_at = models.DateTimeField(_("signée le"))
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("adhésion à la charte")
        verbose_name_plural = _("adhésions à la charte")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(commune__isnull=True))
                | (Q(organisation__isnull=True) & Q(commune__isnull=False)),
                name="charter_signature_one_member",
            ),
            models.UniqueConstraint(
                fields=["version", "organisation"], name="charter_signature_org_once"
            ),
            models.UniqueConstraint(
                fields=["version", "commune"], name="charter_signature_commune_once"
            ),
        ]
        indexes = [models.Index(fields=["version", "signed_at"])]

    def __str__(self) -> str:
        return f"{self.member_name} – v{self.version_id}"

    @property
    def member_name(self) -> str:
        if self.organisation:
            return self.organisation.name
        assert self.commune is not None  # the check constraint: one of the two
        return self.commune.name
