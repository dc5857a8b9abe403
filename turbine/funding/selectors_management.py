"""Read queries of a funder's management pages and of projects' applications for aids
(the aid page, the funder's figures, the places' dashboards, the applications API)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from turbine.directory.models import MembershipStatus
from turbine.funding.models import (
    Aid,
    AidChange,
    AidChangeAction,
    ApplicationStatus,
    Funder,
    ProjectApplication,
)
from turbine.projects.models import Project
from turbine.projects.selectors import public_projects

MANAGED_AIDS_SHOWN = 200
CHANGES_SHOWN = 50
APPLICANT_PROJECTS_SHOWN = 30


def get_funder_for_management(*, user: object, funder_id: int) -> Funder:
    """The funder whose aids ``user`` manages: 404 if there is none, 403 if not theirs."""
    funder = Funder.objects.select_related("organisation").filter(pk=funder_id).first()
    if funder is None:
        raise Http404("Financeur introuvable")
    if not user.has_perm("funding.manage_funder", funder):  # type: ignore[attr-defined]
        raise PermissionDenied("Seuls les membres de ce financeur gèrent ses aides.")
    return funder


def funders_managed_by(*, user: object) -> list[Funder]:
    """The funders whose organisation ``user`` is an active member of (the « Mes aides » entry
    of the funder role's menu)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Funder.objects.filter(
            organisation__memberships__user=user,
            organisation__memberships__status=MembershipStatus.ACTIVE,
        ).order_by("name")
    )


@dataclass(frozen=True)
class ManagedAids:
    aids: list[Aid]
    count: int


def managed_aids(*, funder: Funder, limit: int = MANAGED_AIDS_SHOWN) -> ManagedAids:
    """Every aid of the funder, drafts included, with its applications and followers counted:
    drafts first, then the nearest deadline. Four queries whatever the number of aids."""
    mine = Aid.objects.filter(funders=funder)
    rows = (
        mine.annotate(
            applied_count=Count("applications", distinct=True),
            obtained_count=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.OBTAINED),
                distinct=True,
            ),
            follower_count=Count(
                "followers", filter=Q(followers__unsubscribed_at=None), distinct=True
            ),
        )
        .prefetch_related("themes")
        .order_by(
            F("published_at").asc(nulls_first=True),
            F("deadline").desc(nulls_last=True),
            "title",
            "id",
        )[:limit]
    )
    return ManagedAids(aids=list(rows), count=mine.count())


def get_managed_aid(*, funder: Funder, aid_id: int) -> Aid:
    """One of the funder's aids (any status), for its management page."""
    aid = (
        Aid.objects.filter(pk=aid_id, funders=funder)
        .prefetch_related("themes", "perimeters", "funders")
        .first()
    )
    if aid is None:
        raise Http404("Aide introuvable parmi celles de ce financeur")
    return aid


def entered_by_funder(*, aid: Aid) -> bool:
    """Whether the aid was written by its funder on its management pages (its page says so)."""
    return AidChange.objects.filter(
        aid=aid, action__in=[AidChangeAction.CREATED, AidChangeAction.DUPLICATED]
    ).exists()


def funder_changes(*, funder: Funder, limit: int = CHANGES_SHOWN) -> list[AidChange]:
    return list(AidChange.objects.filter(funder=funder).select_related("aid", "actor")[:limit])


def aid_changes(*, aid: Aid, limit: int = CHANGES_SHOWN) -> list[AidChange]:
    return list(AidChange.objects.filter(aid=aid).select_related("actor")[:limit])


# --- Applications -----------------------------------------------------------------------------


def project_applications(*, project: Project) -> list[ProjectApplication]:
    """A project's applications, the latest first, with their aids."""
    return list(
        ProjectApplication.objects.filter(project=project)
        .select_related("aid")
        .prefetch_related("aid__funders")
    )


def get_project_application(*, project: Project, application_id: int) -> ProjectApplication:
    application = (
        ProjectApplication.objects.filter(pk=application_id, project=project)
        .select_related("aid")
        .first()
    )
    if application is None:
        raise Http404("Candidature introuvable")
    return application


@dataclass(frozen=True)
class ApplicationCounts:
    applied: int = 0
    obtained: int = 0
    refused: int = 0
    amount_asked: Decimal = Decimal(0)
    amount_obtained: Decimal = Decimal(0)

    @property
    def total(self) -> int:
        return self.applied + self.obtained + self.refused


def _counts(qs: QuerySet[ProjectApplication]) -> ApplicationCounts:
    row = qs.aggregate(
        applied=Count("pk", filter=Q(status=ApplicationStatus.APPLIED)),
        obtained=Count("pk", filter=Q(status=ApplicationStatus.OBTAINED)),
        refused=Count("pk", filter=Q(status=ApplicationStatus.REFUSED)),
        asked=Sum("amount_asked"),
        got=Sum("amount_obtained", filter=Q(status=ApplicationStatus.OBTAINED)),
    )
    return ApplicationCounts(
        applied=row["applied"] or 0,
        obtained=row["obtained"] or 0,
        refused=row["refused"] or 0,
        amount_asked=Decimal(row["asked"] or 0),
        amount_obtained=Decimal(row["got"] or 0),
    )


@dataclass(frozen=True)
class ApplicantProject:
    id: int
    title: str
    url: str
    status: str
    status_label: str
    is_demo: bool


@dataclass(frozen=True)
class AidApplications:
    counts: ApplicationCounts
    projects: list[ApplicantProject]


def aid_applications(*, aid: Aid, limit: int = APPLICANT_PROJECTS_SHOWN) -> AidApplications:
    """Projects that declare having applied for ``aid``: counts over every project (private
    ones counted, never named), and the public projects by name. Two queries."""
    qs = ProjectApplication.objects.filter(aid=aid)
    rows = (
        qs.filter(project__in=public_projects())
        .select_related("project")
        .order_by("status", "project__title", "id")[:limit]
    )
    labels = dict(ApplicationStatus.choices)
    return AidApplications(
        counts=_counts(qs),
        projects=[
            ApplicantProject(
                id=a.project.pk,
                title=a.project.title,
                url=a.project.get_absolute_url(),
                status=a.status,
                status_label=str(labels[a.status]),
                is_demo=a.project.is_demo,
            )
            for a in rows
        ],
    )


def funder_application_counts(*, funder: Funder) -> ApplicationCounts:
    """Every application to any of the funder's aids, in aggregate."""
    return _counts(ProjectApplication.objects.filter(aid__funders=funder))


def place_application_counts(*, projects: QuerySet[Project]) -> ApplicationCounts:
    """The applications of a place's projects (the commune and agglomeration dashboards)."""
    return _counts(ProjectApplication.objects.filter(project__in=projects))
