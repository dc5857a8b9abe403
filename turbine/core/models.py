from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """One entry of the taxonomy shared by all of Turbine. Slugs are stable: URLs and the API use
    them, so administrators may rename a theme but not change its slug."""

    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.name


class SearchDocument(models.Model):
    """One piece of public content in the search index (see ``turbine.core.search``).

    Rows are written only by ``core.search``; on PostgreSQL ``search_vector`` holds the weighted
    French tsvector, on SQLite the twin FTS5 table ``core_searchdocument_fts`` (same rowid) holds
    the stemmed text.
    """

    kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # Space-delimited with leading and trailing spaces (" mobilite energie ") so that a filter is
    # a plain substring match on the rows the text search already selected.
    themes = models.CharField(max_length=1000, blank=True, default=" ")
    communes = models.TextField(blank=True, default=" ")
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class DemoDataset(models.Model):
    """A demonstration data set that ``manage.py seed_demo`` has loaded (each loads once)."""

    name = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jeu de démonstration")
        verbose_name_plural = _("jeux de démonstration")

    def __str__(self) -> str:
        return self.name
