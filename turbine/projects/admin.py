from django.contrib import admin

from turbine.projects.models import Project, ProjectImpact, ProjectLink, ProjectUpdate


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
    # The funding app adds its inline of funding rows (funding/admin.py).
    inlines: list[type[admin.options.InlineModelAdmin]] = [ImpactInline, UpdateInline]


@admin.register(ProjectLink)
class ProjectLinkAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "target"]
    raw_id_fields = ["source", "target"]
