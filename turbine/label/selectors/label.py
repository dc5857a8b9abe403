"""Reads of the label: the referential, applications by role, the public registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from turbine.accounts.models import User
from turbine.label.models import (
    Application,
    ApplicationStatus,
    AssessmentStatus,
    CommitteeMember,
    Decision,
    DecisionOutcome,
    Evidence,
    Level,
    PeerRequest,
    PeerRequestStatus,
    Referential,
    ReferentialNode,
    ReviewAssignment,
    Verdict,
)
from turbine.label.scores import ScoreSheet, score_sheet, statuses_from_assessments


def current_referential() -> Referential | None:
    return Referential.objects.filter(is_current=True).first()


def get_referential(*, referential_id: int) -> Referential:
    referential = Referential.objects.filter(pk=referential_id).first()
    if referential is None:
        raise Http404("Ce référentiel n'existe pas")
    return referential


def referential_nodes(referential: Referential) -> list[ReferentialNode]:
    return list(referential.nodes.order_by("position", "id"))


def referential_levels(referential: Referential) -> list[Level]:
    return list(referential.levels.prefetch_related("requirements__node").order_by("stars"))


@dataclass
class TreeItem:
    node: ReferentialNode
    children: list[TreeItem] = field(default_factory=list)


def referential_tree(nodes: list[ReferentialNode]) -> list[TreeItem]:
    items = {n.pk: TreeItem(n) for n in nodes}
    roots = []
    for node in nodes:
        if node.parent_id:
            items[node.parent_id].children.append(items[node.pk])
        else:
            roots.append(items[node.pk])
    return roots


def leaf_ids(nodes: list[ReferentialNode]) -> set[int]:
    parents = {n.parent_id for n in nodes if n.parent_id}
    return {n.pk for n in nodes if n.pk not in parents}


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "project__holder_organisation", "organisation", "referential"
    )


def get_application_for_view(*, user: User, application_id: int) -> Application:
    """The application, for its holder, staff, or a committee member assigned to it (never
    one linked to it)."""
    application = _applications().filter(pk=application_id).first()
    if application is None:
        raise Http404("Cette candidature n'existe pas")
    if user.has_perm("label.view_application", application) or user.has_perm(
        "label.review_application", application
    ):
        return application
    raise PermissionDenied("Cette candidature est réservée à son porteur et à ses examinateurs.")


def applications_of_holder(*, user: User) -> list[Application]:
    """Applications of the projects and organisations the user may act for."""
    if not user.is_authenticated:
        return []
    qs = _applications().filter(
        Q(project__holder_user=user)
        | Q(
            project__holder_organisation__memberships__user=user,
            project__holder_organisation__memberships__status="active",
        )
        | Q(
            organisation__memberships__user=user,
            organisation__memberships__role="admin",
            organisation__memberships__status="active",
        )
    )
    return list(qs.distinct().order_by("-created_at"))


def reviews_of(*, user: User) -> list[ReviewAssignment]:
    if not user.is_authenticated:
        return []
    return list(
        ReviewAssignment.objects.filter(member__user=user, member__is_active=True)
        .select_related("application__project", "application__organisation")
        .order_by("completed_at", "-created_at")
    )


def applications_for_staff(*, status: str = "") -> QuerySet[Application]:
    qs = _applications().prefetch_related(
        Prefetch("assignments", queryset=ReviewAssignment.objects.select_related("member__user"))
    )
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-created_at")


def application_statuses(application: Application) -> dict[str, dict[str, Any]]:
    """The statuses the holder set (frozen at submission once submitted)."""
    if application.submitted_at and not application.is_editable:
        return application.submitted_statuses
    return statuses_from_assessments(application.assessments.select_related("node"))


def application_score(application: Application) -> ScoreSheet:
    referential = application.referential
    return score_sheet(
        nodes=referential_nodes(referential),
        levels=referential_levels(referential),
        statuses=application_statuses(application),
    )


def latest_decision(application: Application) -> Decision | None:
    return application.decisions.select_related("level", "decided_by").first()


@dataclass(frozen=True)
class RegistryEntry:
    application: Application
    decision: Decision


def registry(
    *,
    today: date | None = None,
    stars: int | None = None,
    year: int | None = None,
    kind: str = "",
    communes: QuerySet | None = None,
) -> list[RegistryEntry]:
    """Labelled projects and organisations whose label is valid today, best level first;
    with ``communes``, those located there (a project in one of them, an organisation based
    in one of them)."""
    today = today or timezone.localdate()
    decisions = (
        Decision.objects.filter(
            outcome=DecisionOutcome.GRANTED,
            application__status__in=ApplicationStatus.labelled(),
            valid_until__gte=today,
        )
        .select_related(
            "level",
            "application__project__holder_organisation",
            "application__organisation__commune",
        )
        .order_by("-level__stars", "application__project__title", "application__organisation__name")
    )
    if communes is not None:
        decisions = decisions.filter(
            Q(application__project__communes__in=communes)
            | Q(application__organisation__commune__in=communes)
        ).distinct()
    if stars:
        decisions = decisions.filter(level__stars=stars)
    if year:
        decisions = decisions.filter(valid_from__year=year)
    if kind == "projet":
        decisions = decisions.filter(application__project__isnull=False)
    elif kind == "organisation":
        decisions = decisions.filter(application__organisation__isnull=False)
    seen: set[int] = set()
    entries = []
    for decision in decisions[:2000]:
        if decision.application_id in seen:
            continue
        seen.add(decision.application_id)
        entries.append(RegistryEntry(decision.application, decision))
    return entries


def current_label(*, application_id: int, today: date | None = None) -> RegistryEntry | None:
    today = today or timezone.localdate()
    decision = (
        Decision.objects.filter(
            application_id=application_id,
            outcome=DecisionOutcome.GRANTED,
            application__status__in=ApplicationStatus.labelled(),
            valid_until__gte=today,
        )
        .select_related("level", "application__project", "application__organisation__commune")
        .first()
    )
    return RegistryEntry(decision.application, decision) if decision else None


def labels_in_force(*, today: date | None = None) -> QuerySet[Decision]:
    """Granted decisions whose label is valid ``today``: the labels shown on the site."""
    return Decision.objects.filter(
        outcome=DecisionOutcome.GRANTED,
        application__status__in=ApplicationStatus.labelled(),
        valid_until__gte=today or timezone.localdate(),
    )


def labels_of_projects(project_ids: Sequence[int]) -> dict[int, RegistryEntry]:
    """The label in force of each of these projects (the latest decision), in one query."""
    out: dict[int, RegistryEntry] = {}
    for decision in (
        labels_in_force()
        .filter(application__project_id__in=list(project_ids))
        .select_related("level", "application__project")
        .order_by("-decided_at", "-id")
    ):
        project_id = decision.application.project_id
        assert project_id is not None  # filtered on it
        out.setdefault(project_id, RegistryEntry(decision.application, decision))
    return out


def labels_of_organisations(organisation_ids: Sequence[int]) -> dict[int, RegistryEntry]:
    """The label in force of each of these organisations (the latest decision), in one query."""
    out: dict[int, RegistryEntry] = {}
    for decision in (
        labels_in_force()
        .filter(application__organisation_id__in=list(organisation_ids))
        .select_related("level", "application__organisation")
        .order_by("-decided_at", "-id")
    ):
        organisation_id = decision.application.organisation_id
        assert organisation_id is not None  # filtered on it
        out.setdefault(organisation_id, RegistryEntry(decision.application, decision))
    return out


def labelled_project_ids() -> QuerySet[Decision, Any]:
    """The ids of the projects whose label is in force, as a subquery."""
    return (
        labels_in_force()
        .filter(application__project__isnull=False)
        .values("application__project_id")
    )


def labelled_organisation_ids() -> QuerySet[Decision, Any]:
    """The ids of the organisations whose label is in force, as a subquery."""
    return (
        labels_in_force()
        .filter(application__organisation__isnull=False)
        .values("application__organisation_id")
    )


@dataclass
class NodeView:
    """One node of an application's page: the holder's status, evidence, score, verdicts."""

    node: ReferentialNode
    is_leaf: bool
    score: dict[str, Any]
    status: dict[str, Any] | None
    assessment: Any = None
    evidence: list[Any] = field(default_factory=list)
    verdicts: list[Any] = field(default_factory=list)
    my_verdict: Any = None
    children: list[NodeView] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        if self.status is None:
            return "Non renseigné" if self.score.get("concerne", True) else "Non concerné"
        return str(dict(AssessmentStatus.choices).get(self.status["status"], ""))

    @property
    def percent_shares(self) -> list[int]:
        shares = (self.status or {}).get("shares") or [0, 0, 0]
        return [round(float(s) * 100) for s in shares]


def application_tree(
    *,
    application: Application,
    sheet: ScoreSheet,
    statuses: dict[str, dict[str, Any]],
    reviewer: ReviewAssignment | None = None,
    show_all_verdicts: bool = False,
) -> list[NodeView]:
    """The tree of the application's referential, with everything its page shows: a fixed
    number of queries whatever the size of the referential."""
    nodes = referential_nodes(application.referential)
    leaves = leaf_ids(nodes)
    assessments = {a.node_id: a for a in application.assessments.all()}
    evidence: dict[int, list[Any]] = {}
    for item in application.evidence.select_related("added_by").order_by("created_at"):
        evidence.setdefault(item.node_id, []).append(item)
    verdicts: dict[int, list[Any]] = {}
    mine: dict[int, Any] = {}
    if show_all_verdicts or reviewer is not None:
        qs = Verdict.objects.filter(assignment__application=application).select_related(
            "assignment__member__user"
        )
        for verdict in qs:
            if reviewer is not None and verdict.assignment_id == reviewer.pk:
                mine[verdict.node_id] = verdict
            if show_all_verdicts:
                verdicts.setdefault(verdict.node_id, []).append(verdict)
    views = {
        n.pk: NodeView(
            node=n,
            is_leaf=n.pk in leaves,
            score=sheet.nodes.get(n.identifier, {}),
            status=statuses.get(n.identifier),
            assessment=assessments.get(n.pk),
            evidence=evidence.get(n.pk, []),
            verdicts=verdicts.get(n.pk, []),
            my_verdict=mine.get(n.pk),
        )
        for n in nodes
    }
    roots = []
    for n in nodes:
        if n.parent_id:
            views[n.parent_id].children.append(views[n.pk])
        else:
            roots.append(views[n.pk])
    return roots


def committee_members() -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(is_active=True).select_related("user")


def get_evidence_for_download(*, user: User, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.select_related("application").filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404("Cette preuve n'existe pas")
    get_application_for_view(user=user, application_id=evidence.application_id)
    return evidence


def public_peer_requests(*, application_id: int) -> list[PeerRequest]:
    """Closed peer reviews of an application whose holder agreed to show them."""
    return list(
        PeerRequest.objects.filter(
            application_id=application_id, public=True, status=PeerRequestStatus.CLOSED
        ).order_by("-closed_at")
    )
