from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    """A territory served by Turbine: a union of agglomerations (EPCI). The site serves the one
    whose slug is ``settings.TURBINE_TERRITORY``."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    imported_at = models.DateTimeField(_("importé le"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    def __str__(self) -> str:
        return self.name


class Agglomeration(models.Model):
    """An EPCI (établissement public de coopération intercommunale) of a territory."""

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature juridique"), max_length=20, blank=True)
    population = models.PositiveIntegerField(_("population municipale"), default=0)
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="agglomerations", null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agglomération")
        verbose_name_plural = _("agglomérations")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A current French commune (INSEE code), with its postal codes and municipal population."""

    code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    # Lower-cased, accent-free name and postal codes ("bethune 62400"), for accent-insensitive
    # lookups by name or postal code; written by the import.
    search_key = models.CharField(max_length=300, editable=False, default="")
    postal_codes = models.JSONField(_("codes postaux"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population municipale"), default=0)
    department = models.CharField(_("département"), max_length=3, blank=True)
    region = models.CharField(_("région"), max_length=3, blank=True)
    agglomeration = models.ForeignKey(
        Agglomeration,
        on_delete=models.PROTECT,
        related_name="communes",
        null=True,
        blank=True,
        verbose_name=_("agglomération"),
    )

    class Meta:
        # As French sorts: accents and case aside (Éleu among the E, not after Z).
        ordering = ["search_key", "code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        indexes = [models.Index(fields=["agglomeration", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
