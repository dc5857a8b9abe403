from django.contrib import admin

from turbine.core.models import DemoDataset, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]

    def get_readonly_fields(self, request, obj=None):
        # Slugs are a contract (URLs, API): fixed once created.
        return ["slug"] if obj else []


@admin.register(DemoDataset)
class DemoDatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "loaded_at"]
