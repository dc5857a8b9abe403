from django.contrib import admin

from turbine.directory.models import Membership, Network, Organisation, PersonProfile, Report


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "family", "commune", "is_demo", "is_hidden"]
    list_filter = ["kind", "family", "is_demo", "is_hidden"]
    search_fields = ["name", "siren", "rna"]
    raw_id_fields = ["commune", "created_by"]
    filter_horizontal = ["themes", "networks"]
    inlines = [MembershipInline]


@admin.register(PersonProfile)
class PersonProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "updated_at"]
    raw_id_fields = ["user"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "status", "created_at"]
    list_filter = ["status", "kind"]
