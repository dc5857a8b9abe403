"""Administration of the guichet: the triage grids, the catalogue of procedures, advisors'
coverage and mentors. Requests are followed in the staff workspace (/guichet/suivi/)."""

from django.contrib import admin

from turbine.guichet.models import (
    AdvisorCoverage,
    HistoryEntry,
    MentorOffer,
    Procedure,
    ProcedureTrigger,
    ScaleCriterion,
    SupportRequest,
    UrgencyCriterion,
)
from turbine.guichet.search_indexes import index_procedures


@admin.register(ScaleCriterion)
class ScaleCriterionAdmin(admin.ModelAdmin):
    list_display = ["key", "level2_from", "level3_from", "is_active"]
    list_editable = ["level2_from", "level3_from", "is_active"]


@admin.register(UrgencyCriterion)
class UrgencyCriterionAdmin(admin.ModelAdmin):
    list_display = ["key", "weight", "is_active"]
    list_editable = ["weight", "is_active"]
    filter_horizontal = ["themes"]


@admin.register(ProcedureTrigger)
class ProcedureTriggerAdmin(admin.ModelAdmin):
    """The situations the intake asks about; each calls for the procedures attached to it."""

    list_display = ["label", "slug", "is_new_structure", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["label"]}


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["title", "whom_to_ask", "is_active"]
    list_filter = ["is_active", "triggers", "themes"]
    search_fields = ["title", "keywords"]
    filter_horizontal = ["triggers", "themes"]

    def save_related(self, request, form, formsets, change) -> None:

        super().save_related(request, form, formsets, change)
        index_procedures([form.instance.pk])


@admin.register(AdvisorCoverage)
class AdvisorCoverageAdmin(admin.ModelAdmin):
    list_display = ["user", "is_available"]
    filter_horizontal = ["agglomerations", "themes"]
    raw_id_fields = ["user"]


@admin.register(MentorOffer)
class MentorOfferAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "is_active", "created_at"]
    raw_id_fields = ["user", "project"]


class HistoryInline(admin.TabularInline):
    model = HistoryEntry
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "action", "detail", "is_staff_only"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the staff workspace so it is audit-logged."""

    list_display = ["id", "project", "status", "urgency_score", "advisor", "created_at"]
    list_filter = ["status", "urgency_band", "agglomeration"]
    inlines = [HistoryInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
