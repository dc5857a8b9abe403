from django.contrib import admin

from turbine.directory.models import (
    ImportBatch,
    Introduction,
    Membership,
    NeedOffer,
    Network,
    Organisation,
    PersonProfile,
    Report,
)


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


@admin.register(NeedOffer)
class NeedOfferAdmin(admin.ModelAdmin):
    list_display = ["title", "direction", "kind", "expires_on", "is_closed", "is_hidden", "is_demo"]
    list_filter = ["direction", "kind", "is_closed", "is_hidden", "is_demo"]
    search_fields = ["title"]
    raw_id_fields = ["author", "organisation"]
    filter_horizontal = ["themes", "communes"]


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    """Read-only: introductions are decided by the two people concerned."""

    list_display = ["target_title", "target_kind", "status", "created_at"]
    list_filter = ["status", "target_kind", "subject_kind"]
    readonly_fields = [f.name for f in Introduction._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "status", "rows_total", "created_count", "created_at"]
    list_filter = ["status", "kind"]
    exclude = ["content"]
    readonly_fields = [
        "kind",
        "filename",
        "rows_total",
        "created_count",
        "status",
        "message",
        "created_by",
        "finished_at",
    ]
