from django.contrib import admin

from turbine.territory.models import Agglomeration, Commune, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "imported_at"]


@admin.register(Agglomeration)
class AgglomerationAdmin(admin.ModelAdmin):
    list_display = ["name", "siren", "kind", "population", "territory"]
    list_filter = ["territory"]
    search_fields = ["name", "siren"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "population", "agglomeration"]
    list_filter = ["agglomeration"]
    search_fields = ["name", "code", "search_key"]
    list_select_related = ["agglomeration"]
