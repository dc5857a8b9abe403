"""Back-office of the catalogue for the Turbine's staff. Edits made here are recorded in
``Aid.edited_fields`` (``services.aid_admin_saved``) so that imports never overwrite them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from turbine.funding.models import (
    Aid,
    AidPerimeter,
    AidType,
    Alert,
    Beneficiary,
    ExpenseType,
    Funder,
    LocalNote,
    Perimeter,
    ProjectFunding,
    ProjectStage,
    spaced,
)
from turbine.funding.services import catalogue as services
from turbine.projects.admin import ProjectAdmin
from turbine.projects.models import Project


@admin.register(Perimeter)
class PerimeterAdmin(admin.ModelAdmin):
    list_display = ["name", "scale", "code"]
    list_filter = ["scale"]
    search_fields = ["name", "code", "search_name"]
    readonly_fields = ["region", "department", "epci"]


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "is_demo"]
    list_filter = ["level", "is_demo"]
    search_fields = ["name"]


class _ListField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class AidAdminForm(forms.ModelForm):
    types = _ListField(label="Types d'aide", choices=AidType.choices, required=False)
    beneficiaries = _ListField(label="Bénéficiaires", choices=Beneficiary.choices, required=False)
    stages = _ListField(label="Étapes du projet", choices=ProjectStage.choices, required=False)
    expense_types = _ListField(
        label="Types de dépenses", choices=ExpenseType.choices, required=False
    )

    class Meta:
        model = Aid
        fields = [
            "title", "short_description", "description", "funders", "instructors", "types",
            "is_call_for_projects", "beneficiaries", "themes", "stages", "expense_types",
            "start_date", "predeposit_date", "deadline", "recurrence", "subsidy_rate_min",
            "subsidy_rate_max", "amount_min", "amount_max", "amount_comment", "eligibility",
            "origin_url", "application_url", "contact", "status", "is_demo",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("types", "beneficiaries", "stages", "expense_types"):
            self.initial[name] = getattr(self.instance, name, " ").split()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("types", "beneficiaries", "stages", "expense_types"):
            data[name] = spaced(list(data.get(name) or ()))
        return data


class AidPerimeterInline(admin.TabularInline):
    model = AidPerimeter
    autocomplete_fields = ["perimeter"]
    extra = 1


class LocalNoteInline(admin.StackedInline):
    model = LocalNote
    extra = 0
    readonly_fields = ["author"]


@admin.register(Aid)
class AidAdmin(admin.ModelAdmin):
    form = AidAdminForm
    list_display = ["title", "status", "deadline", "source", "is_call_for_projects", "is_demo"]
    list_filter = ["status", "source", "is_call_for_projects", "recurrence", "is_demo"]
    search_fields = ["title", "source_id"]
    filter_horizontal = ["funders", "instructors", "themes"]
    readonly_fields = ["source", "source_id", "imported_at", "published_at", "changed_at"]
    inlines = [AidPerimeterInline, LocalNoteInline]
    date_hierarchy = "deadline"

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        changed = list(form.changed_data)
        if any(fs.has_changed() for fs in formsets if fs.model is AidPerimeter):
            changed.append("perimeters")
        services.aid_admin_saved(aid_id=form.instance.pk, changed_fields=changed)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "confirmed_at", "unsubscribed_at", "created_at"]
    list_filter = ["frequency"]
    search_fields = ["email"]
    readonly_fields = ["token", "last_digest_until"]


class ProjectFundingInline(admin.TabularInline):
    model = ProjectFunding
    extra = 0
    raw_id_fields = ["aid"]


class ProjectWithFundingAdmin(ProjectAdmin):
    """The projects' admin with their funding rows, which the projects app cannot name (it
    knows nothing of funding); the funding app's admin loads after it (INSTALLED_APPS)."""

    inlines = [ProjectFundingInline, *ProjectAdmin.inlines]


admin.site.unregister(Project)
admin.site.register(Project, ProjectWithFundingAdmin)
