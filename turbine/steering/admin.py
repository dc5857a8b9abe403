"""Staff configuration of steering in the admin: axes, objectives, indicators with their
milestones, mandates with their candidates and great works (owners, boards, milestones).
Ballots and the voters' register are not shown: they stay apart."""

from django.contrib import admin

from turbine.steering.models import (
    Axis,
    BoardMember,
    GreatWork,
    Indicator,
    IndicatorTarget,
    Mandate,
    MandateCandidate,
    Milestone,
    Objective,
    ProjectObjective,
)


class ObjectiveInline(admin.TabularInline):
    model = Objective
    extra = 0


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "is_demo"]
    inlines = [ObjectiveInline]


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0


class ProjectObjectiveInline(admin.TabularInline):
    model = ProjectObjective
    extra = 0
    raw_id_fields = ["project"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "axis", "target_year", "is_demo"]
    list_filter = ["axis"]
    inlines = [IndicatorInline, ProjectObjectiveInline]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "objective", "unit", "direction", "scope", "target_year"]
    list_filter = ["scope", "direction"]
    inlines = [TargetInline]


class CandidateInline(admin.TabularInline):
    model = MandateCandidate
    extra = 0
    raw_id_fields = ["project"]


class GreatWorkInline(admin.TabularInline):
    model = GreatWork
    extra = 0
    raw_id_fields = ["project"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "end", "vote_open", "results_published_at"]
    readonly_fields = ["results", "results_published_at"]
    inlines = [CandidateInline, GreatWorkInline]


class BoardInline(admin.TabularInline):
    model = BoardMember
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(GreatWork)
class GreatWorkAdmin(admin.ModelAdmin):
    list_display = ["project", "mandate", "owner", "budget"]
    raw_id_fields = ["project"]
    inlines = [BoardInline, MilestoneInline]
