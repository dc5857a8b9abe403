"""Admin of the participatory budget. Ballots are not shown: staff see totals only."""

from __future__ import annotations

from django.contrib import admin

from turbine.budget.models import Campaign, Envelope, Proposal, StaffAction


class EnvelopeInline(admin.TabularInline):
    model = Envelope
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "total_budget", "ballot_type", "rule", "is_demo"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EnvelopeInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        campaign = form.instance
        if not campaign.envelopes.exists():
            # Every campaign votes in at least one envelope (see services.campaign_create).
            Envelope.objects.create(
                campaign=campaign, name="Enveloppe unique", budget=campaign.total_budget
            )


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "status", "estimated_cost", "revised_cost"]
    list_filter = ["campaign", "status"]
    search_fields = ["title"]
    raw_id_fields = ["author", "merged_into", "commune"]


@admin.register(StaffAction)
class StaffActionAdmin(admin.ModelAdmin):
    list_display = ["at", "campaign", "actor", "action", "proposal"]
    list_filter = ["campaign", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
