from django.contrib import admin

from turbine.projects.models import (
    Project,
    ProjectFunding,
    ProjectImpact,
    ProjectLink,
    ProjectUpdate,
)


class FundingInline(admin.TabularInline):
    model = ProjectFunding
    extra = 0
    raw_id_fields = ["aid"]


class UpdateInline(admin.StackedInline):
    model = ProjectUpdate
    extra = 0
    raw_id_fields = ["author"]


class ImpactInline(admin.TabularInline):
    model = ProjectImpact
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "scale", "stage", "visibility", "is_hidden", "is_demo"]
    list_filter = ["scale", "stage", "visibility", "is_hidden", "is_demo"]
    search_fields = ["title"]
    raw_id_fields = ["holder_organisation", "holder_user"]
    filter_horizontal = ["themes", "communes", "partners"]
    inlines = [FundingInline, ImpactInline, UpdateInline]


@admin.register(ProjectLink)
class ProjectLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target"]
    raw_id_fields = ["source", "target"]
