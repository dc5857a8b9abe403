"""Every write of steering, in transactions, with French refusals (``SteeringError``)."""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory.models import Organisation
from turbine.funding.models import Aid
from turbine.projects.models import Project, Scale
from turbine.projects.selectors import public_projects
from turbine.steering import report, tasks
from turbine.steering.engine import ranking, schulze, stv
from turbine.steering.models import (
    CRITERIA,
    FIRST_YEAR,
    HORIZON,
    JOINT_RESPONSE_STEPS,
    CriterionWeight,
    Indicator,
    IndicatorValue,
    JointResponse,
    JointResponseMember,
    JointResponseProject,
    JointResponseStatus,
    JointRole,
    Mandate,
    MandateBallot,
    MandateCandidate,
    MandateVoter,
    Objective,
    ProjectObjective,
    ProjectScore,
    ValueNature,
)
from turbine.territory.models import Agglomeration

MAX_ABS_VALUE = 1e12
# Shuffles the ballot box and draws the ballots' ids; a test may replace it by a seeded one.
_RANDOM: random.Random = random.SystemRandom()


class SteeringError(TurbineError):
    pass


def _require(user: User, perm: str, message: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDeniedError(message)


def check_value(value: float) -> float:
    """A finite value of sane size (NaN and infinities refused)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise SteeringError("La valeur doit être un nombre.")
    if not math.isfinite(value):
        raise SteeringError("La valeur doit être un nombre fini (NaN et infini refusés).")
    if abs(value) > MAX_ABS_VALUE:
        raise SteeringError("La valeur est trop grande (mille milliards au plus).")
    return float(value)


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= HORIZON:
        raise SteeringError(f"L'année doit être comprise entre {FIRST_YEAR} et {HORIZON}.")
    return year


def indicator_value_set(
    *,
    user: User,
    indicator: Indicator,
    year: int,
    value: float,
    nature: str = ValueNature.MEASURED,
    source: str = "",
    area_code: str = "",
) -> IndicatorValue:
    _require(user, "steering.import_values", "Seule l'équipe de la Turbine saisit les valeurs.")
    return _value_upsert(
        indicator=indicator,
        year=check_year(year),
        value=check_value(value),
        nature=nature,
        source=source,
        area_code=area_code,
    )


def _value_upsert(
    *, indicator: Indicator, year: int, value: float, nature: str, source: str, area_code: str
) -> IndicatorValue:
    if nature not in ValueNature.values:
        raise SteeringError("La nature doit être « mesure » ou « estimee ».")
    row, _ = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        area_code=area_code,
        year=year,
        defaults={"value": value, "nature": nature, "source": source[:300]},
    )
    return row


def indicator_values_import(*, user: User, rows: Sequence[dict[str, Any]]) -> int:
    """Saves rows already checked by :func:`turbine.steering.imports.parse_values` — all of
    them or none."""
    _require(user, "steering.import_values", "Seule l'équipe de la Turbine importe des valeurs.")
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={r["indicator"] for r in rows})}
    with transaction.atomic():
        for row in rows:
            indicator = indicators.get(row["indicator"])
            if indicator is None:
                raise SteeringError(f"L'indicateur {row['indicator']} n'existe plus.")
            _value_upsert(
                indicator=indicator,
                year=check_year(row["year"]),
                value=check_value(row["value"]),
                nature=row["nature"],
                source=row["source"],
                area_code=row["area_code"],
            )
    return len(rows)


def project_objective_link(
    *,
    user: User,
    project: Project,
    objective: Objective,
    indicator: Indicator | None,
    from_year: int,
    note: str = "",
) -> ProjectObjective:
    _require(user, "steering.configure", "Seule l'équipe de la Turbine relie projets et objectifs.")
    if indicator is not None and indicator.objective_id != objective.pk:
        raise SteeringError("Cet indicateur n'appartient pas à cet objectif.")
    link, _ = ProjectObjective.objects.update_or_create(
        project=project,
        objective=objective,
        defaults={"indicator": indicator, "from_year": check_year(from_year), "note": note},
    )
    return link


def project_objective_save(
    *,
    user: User,
    objective_id: int,
    project_id: int,
    indicator_id: int | None,
    from_year: int,
    note: str = "",
) -> ProjectObjective:
    """Staff link a public project to an objective (and, optionally, to one of its indicators,
    which then receives the project's impact from ``from_year``), or change the link."""
    _require(user, "steering.configure", "Seule l'équipe de la Turbine relie projets et objectifs.")
    objective = Objective.objects.filter(pk=objective_id).first()
    if objective is None:
        raise SteeringError("Cet objectif n'existe pas.")
    project = public_projects().filter(pk=project_id).first()
    if project is None:
        raise SteeringError(
            "Aucun projet public ne porte ce numéro : vérifiez-le sur la page du projet.",
            field="project",
        )
    indicator = None
    if indicator_id is not None:
        indicator = Indicator.objects.filter(pk=indicator_id, objective=objective).first()
        if indicator is None:
            raise SteeringError(
                "Cet indicateur n'appartient pas à cet objectif.", field="indicator"
            )
    note = (note or "").strip()
    if "\x00" in note:
        raise SteeringError("La précision contient un caractère interdit.", field="note")
    if len(note) > 300:
        raise SteeringError("La précision tient en 300 caractères.", field="note")
    with transaction.atomic():
        return project_objective_link(
            user=user,
            project=project,
            objective=objective,
            indicator=indicator,
            from_year=from_year,
            note=note,
        )


def project_objective_unlink(*, user: User, objective_id: int, link_id: int) -> None:
    _require(user, "steering.configure", "Seule l'équipe de la Turbine relie projets et objectifs.")
    deleted, _ = ProjectObjective.objects.filter(pk=link_id, objective_id=objective_id).delete()
    if not deleted:
        raise SteeringError("Ce lien n'existe plus.")


def project_score_set(
    *, user: User, project: Project, criterion: str, score: int, justification: str
) -> ProjectScore:
    _require(user, "steering.score", "Seule l'équipe de la Turbine note les projets.")
    if criterion not in CRITERIA:
        raise SteeringError("Critère inconnu.", field="criterion")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
        raise SteeringError("La note doit être un entier de 0 à 5.", field="score")
    justification = (justification or "").strip()
    if not justification:
        raise SteeringError("Chaque note doit être justifiée.", field="justification")
    if "\x00" in justification:
        raise SteeringError("La justification contient un caractère interdit.")
    row, _ = ProjectScore.objects.update_or_create(
        project=project,
        criterion=criterion,
        defaults={"score": score, "justification": justification[:1000], "scored_by": user},
    )
    return row


def project_scores_set(*, user: User, project: Project, scores: dict[str, tuple[int, str]]) -> None:
    """Every criterion of one project at once; nothing saved if one is refused."""
    with transaction.atomic():
        for criterion, (score, justification) in scores.items():
            project_score_set(
                user=user,
                project=project,
                criterion=criterion,
                score=score,
                justification=justification,
            )


def criterion_weights_set(
    *,
    user: User,
    weights: dict[str, float],
    from_pairwise: bool = False,
    consistency_ratio: float | None = None,
) -> None:
    _require(user, "steering.configure", "Seule l'équipe de la Turbine fixe les poids.")
    if set(weights) != set(CRITERIA):
        raise SteeringError("Il faut un poids pour chacun des huit critères.")
    try:
        normalised = ranking.normalise([weights[c] for c in CRITERIA])
    except ranking.RankingError as exc:
        raise SteeringError(str(exc)) from None
    with transaction.atomic():
        for criterion, weight in zip(CRITERIA, normalised, strict=True):
            CriterionWeight.objects.update_or_create(
                criterion=criterion,
                defaults={
                    "weight": round(float(weight), 6),
                    "from_pairwise": from_pairwise,
                    "consistency_ratio": consistency_ratio,
                },
            )


def criterion_weights_from_pairwise(
    *, user: User, matrix: list[list[float]]
) -> ranking.PairwiseWeights:
    """Weights from pairwise comparisons; refused when the comparisons are too inconsistent
    (consistency ratio of 10 % or more), since the weights would then mean little."""
    try:
        result = ranking.ahp_weights(matrix)
    except ranking.RankingError as exc:
        raise SteeringError(str(exc)) from None
    if not result.is_consistent:
        raise SteeringError(
            "Les comparaisons sont trop incohérentes (ratio de cohérence de "
            f"{result.consistency_ratio:.0%}, il faut moins de 10 %) : revoyez-les."
        )
    criterion_weights_set(
        user=user,
        weights=dict(zip(CRITERIA, result.weights.tolist(), strict=True)),
        from_pairwise=True,
        consistency_ratio=result.consistency_ratio,
    )
    return result


def mandate_candidate_add(*, user: User, mandate: Mandate, project: Project) -> MandateCandidate:
    _require(user, "steering.manage_mandate", "Seule l'équipe de la Turbine gère les mandatures.")
    if project.scale != Scale.MAJOR:
        raise SteeringError("Seuls les grands projets territoriaux (échelle 3) sont candidats.")
    if mandate.ballots.exists():
        raise SteeringError("Le vote a commencé : la liste des candidats est figée.")
    try:
        with transaction.atomic():
            return MandateCandidate.objects.create(
                mandate=mandate, project=project, position=mandate.candidates.count()
            )
    except IntegrityError:
        raise SteeringError("Ce projet est déjà candidat.") from None


def _ballot_box_rewrite(mandate: Mandate, rankings: list[list[int]]) -> None:
    """Rewrites every ballot of ``mandate`` in a random order, each with a new random id.

    Must be called inside the transaction holding the lock on the mandate row. After it, every
    ballot of the mandate was written by the same transaction (on PostgreSQL they share one
    ``xmin``), in an order unrelated to the votes (``ctid`` on PostgreSQL, ``rowid`` on SQLite),
    with ids drawn at random and no date: nothing joins a ballot to a register row, not even
    the one written in this transaction, which is indistinguishable from the others. The cost
    is one rewrite of the mandate's ballots per vote, fine for the territory's officials (a few
    hundred); a vote of many thousands would need the participatory budget's sealed pool."""
    rankings = list(rankings)
    _RANDOM.shuffle(rankings)
    mandate.ballots.all().delete()
    MandateBallot.objects.bulk_create(
        [
            MandateBallot(
                id=uuid.UUID(int=_RANDOM.getrandbits(128), version=4), mandate=mandate, ranking=r
            )
            for r in rankings
        ]
    )


def mandate_ballot_cast(*, user: User, mandate_id: int, ranking_ids: Sequence[int]) -> None:
    """One ballot per official and mandate, unlinkable to its voter from the moment it is cast:
    the register row says that the official voted, and the ballot box is rewritten whole
    (:func:`_ballot_box_rewrite`) in the same transaction, so that the new ballot cannot be told
    from the others by its id, its position or its transaction. The mandate row is locked so
    that concurrent votes (two tabs of one official, two officials) and the publication are
    serialised: the « already voted » check is then a clear message rather than an integrity
    error, and no vote's rewrite can lose another's ballot."""
    _require(user, "steering.vote_mandate", "Seuls les élus du territoire classent les chantiers.")
    with transaction.atomic():
        # Locked so that concurrent votes and the results' publication are serialised.
        mandate = Mandate.objects.select_for_update().get(pk=mandate_id)
        if not mandate.vote_open or mandate.results_published_at is not None:
            raise SteeringError("Le vote de cette mandature n'est pas ouvert.")
        if MandateVoter.objects.filter(mandate=mandate, user=user).exists():
            raise SteeringError("Vous avez déjà voté pour cette mandature.")
        ids = list(ranking_ids)
        candidates = set(mandate.candidates.values_list("pk", flat=True))
        if not ids:
            raise SteeringError("Classez au moins un chantier.")
        if len(set(ids)) != len(ids):
            raise SteeringError("Chaque chantier ne peut recevoir qu'un rang.")
        if not set(ids) <= candidates:
            raise SteeringError("Ce bulletin classe un chantier qui n'est pas candidat.")
        MandateVoter.objects.create(mandate=mandate, user=user)
        rankings = list(mandate.ballots.values_list("ranking", flat=True))
        _ballot_box_rewrite(mandate, [*rankings, ids])


def mandate_election(mandate: Mandate) -> tuple[stv.Election, list[MandateCandidate]]:
    candidates = list(mandate.candidates.select_related("project").order_by("position", "pk"))
    index = {c.pk: i for i, c in enumerate(candidates)}
    counted: dict[tuple[int, ...], int] = {}
    for ranking_ids in mandate.ballots.values_list("ranking", flat=True):
        prefs = tuple(index[c] for c in ranking_ids if c in index)
        if prefs:
            counted[prefs] = counted.get(prefs, 0) + 1
    election = stv.Election(
        candidates=[c.project.title for c in candidates],
        seats=min(mandate.seats, max(len(candidates), 1)),
        ballots=[(weight, prefs) for prefs, weight in sorted(counted.items())],
        title=mandate.title,
    )
    return election, candidates


def results_json(election: stv.Election, candidates: list[Any]) -> dict[str, Any]:
    """The count, as published and served by the API (candidates by their position, 1-based,
    and by project id)."""
    counted = stv.count(election)
    consensus = schulze.count(election)
    return {
        "candidates": [
            {"number": i + 1, "project": c.project_id, "title": c.project.title}
            for i, c in enumerate(candidates)
        ],
        "quota": counted.quota,
        "valid_ballots": counted.valid_ballots,
        "elected": [i + 1 for i in counted.elected],
        "rounds": [
            {
                "number": s.number,
                "action": s.action,
                "candidate": None if s.candidate is None else s.candidate + 1,
                "transfer_value": s.transfer_value,
                "totals": s.totals,
                "non_transferable": s.non_transferable,
                "lost_to_fractions": s.lost_to_fractions,
                "elected": [i + 1 for i in s.elected],
                "excluded": [i + 1 for i in s.excluded],
            }
            for s in counted.stages
        ],
        "tie_breaks": counted.tie_breaks,
        "ranking": [i + 1 for i in consensus.ranking],
        "pairwise": consensus.pairwise,
        "strongest": consensus.strongest,
    }


def mandate_results_publish(*, user: User, mandate_id: int) -> Mandate:
    """Closes the vote, seals the ballots (rewritten in a random order with new random ids, so
    that their order no longer follows the register's), counts and publishes."""
    _require(user, "steering.manage_mandate", "Seule l'équipe de la Turbine publie les résultats.")
    with transaction.atomic():
        mandate = Mandate.objects.select_for_update().get(pk=mandate_id)
        if mandate.results_published_at is not None:
            raise SteeringError("Les résultats sont déjà publiés.")
        if not mandate.candidates.exists():
            raise SteeringError("Cette mandature n'a pas de chantier candidat.")
        rankings = list(mandate.ballots.values_list("ranking", flat=True))
        if not rankings:
            raise SteeringError("Aucun bulletin : rien à dépouiller.")
        _ballot_box_rewrite(mandate, rankings)
        election, candidates = mandate_election(mandate)
        mandate.results = results_json(election, candidates)
        mandate.vote_open = False
        mandate.results_published_at = timezone.now()
        mandate.save(update_fields=["results", "vote_open", "results_published_at"])
    return mandate


def report_pdf_request(*, user: User, year: int) -> None:
    """Queues the production of the year's PDF (sent after commit, as every task)."""
    _require(user, "steering.configure", "Seule l'équipe de la Turbine produit le rapport.")
    check_year(year)
    report.mark_queued(year)
    transaction.on_commit(lambda: tasks.build_report_pdf.delay(year))


# --- Joint responses to cross-agglomeration calls ---------------------------------------------

MAX_AMOUNT = 10**12


def _joint_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise SteeringError("Ce texte contient un caractère interdit.", field=field)
    if required and not value:
        raise SteeringError("Ce champ est obligatoire.", field=field)
    if len(value) > max_length:
        raise SteeringError(f"{max_length} caractères au plus.", field=field)
    return value


def _joint_call(call_id: int) -> Aid:
    call = Aid.objects.filter(pk=call_id, is_call_for_projects=True).first()
    if call is None:
        raise SteeringError(
            "Choisissez un appel à projets ou un AMI du catalogue des financements.", field="call"
        )
    return call


def joint_response_save(
    *,
    user: User,
    call_id: int,
    title: str,
    summary: str,
    amount_requested: int | None = None,
    response_id: int | None = None,
) -> JointResponse:
    """Staff open a joint response to a call of the funding catalogue, or rewrite it. A new
    response must answer a call still open (the deadline is the call's)."""
    _require(user, "steering.manage_calls", "Seule l'équipe de la Turbine gère les réponses.")
    call = _joint_call(call_id)
    title = _joint_text(title, field="title", max_length=200)
    summary = _joint_text(summary, field="summary", max_length=3000)
    if amount_requested is not None and not 0 <= amount_requested <= MAX_AMOUNT:
        raise SteeringError("Montant invalide (mille milliards d'euros au plus).", field="amount")
    with transaction.atomic():
        if response_id is None:
            if call.deadline is not None and call.deadline < timezone.localdate():
                raise SteeringError("La date limite de cet appel est passée.", field="call")
            response = JointResponse(created_by=user)
        else:
            response = _joint_locked(response_id)
        response.call, response.title, response.summary = call, title, summary
        response.amount_requested = amount_requested
        response.save()
    return response


def _joint_locked(response_id: int) -> JointResponse:
    """The response, locked until the transaction ends (members, projects and status change
    one at a time)."""
    response = JointResponse.objects.select_for_update().filter(pk=response_id).first()
    if response is None:
        raise NotFoundError("Réponse introuvable.")
    return response


def joint_member_add(
    *, user: User, response_id: int, organisation_id: int, role: str, contribution: str = ""
) -> JointResponseMember:
    """An actor joins the grouping (found, for instance, through the call's partner search);
    one lead (chef de file) at most."""
    _require(user, "steering.manage_calls", "Seule l'équipe de la Turbine gère les réponses.")
    if role not in JointRole.values:
        raise SteeringError("Rôle inconnu.", field="role")
    contribution = _joint_text(contribution, field="contribution", max_length=300, required=False)
    organisation = Organisation.objects.filter(pk=organisation_id, is_hidden=False).first()
    if organisation is None:
        raise SteeringError(
            "Aucune structure de l'annuaire ne porte ce numéro.", field="organisation"
        )
    with transaction.atomic():
        response = _joint_locked(response_id)
        if response.members.filter(organisation=organisation).exists():
            raise SteeringError(
                "Cette structure fait déjà partie du groupement.", field="organisation"
            )
        if role == JointRole.LEAD and response.members.filter(role=JointRole.LEAD).exists():
            raise SteeringError("Le groupement a déjà un chef de file.", field="role")
        return JointResponseMember.objects.create(
            response=response, organisation=organisation, role=role, contribution=contribution
        )


def joint_member_remove(*, user: User, response_id: int, member_id: int) -> None:
    _require(user, "steering.manage_calls", "Seule l'équipe de la Turbine gère les réponses.")
    with transaction.atomic():
        response = _joint_locked(response_id)
        deleted, _ = response.members.filter(pk=member_id).delete()
    if not deleted:
        raise SteeringError("Cette structure ne fait plus partie du groupement.")


def joint_project_add(*, user: User, response_id: int, project_id: int) -> JointResponseProject:
    _require(user, "steering.manage_calls", "Seule l'équipe de la Turbine gère les réponses.")
    project = public_projects().filter(pk=project_id).first()
    if project is None:
        raise SteeringError(
            "Aucun projet public ne porte ce numéro : vérifiez-le sur la page du projet.",
            field="project",
        )
    with transaction.atomic():
        response = _joint_locked(response_id)
        if response.bundled.filter(project=project).exists():
            raise SteeringError("Ce projet fait déjà partie de la réponse.", field="project")
        return JointResponseProject.objects.create(response=response, project=project)


def joint_project_remove(*, user: User, response_id: int, bundled_id: int) -> None:
    _require(user, "steering.manage_calls", "Seule l'équipe de la Turbine gère les réponses.")
    with transaction.atomic():
        response = _joint_locked(response_id)
        deleted, _ = response.bundled.filter(pk=bundled_id).delete()
    if not deleted:
        raise SteeringError("Ce projet ne fait plus partie de la réponse.")


def joint_agglomerations(response: JointResponse) -> list[Agglomeration]:
    """The agglomerations of the grouping's actors (by their commune)."""
    return list(
        Agglomeration.objects.filter(
            communes__organisations__pk__in=response.members.values("organisation_id")
        )
        .distinct()
        .order_by("name")
    )


def joint_response_step(
    *, user: User, response_id: int, status: str, on: date | None = None
) -> JointResponse:
    """Moves the response along its steps (:data:`JOINT_RESPONSE_STEPS`). Submitting needs a
    lead, actors of at least two agglomerations (it is a joint answer) and a bundled project."""
    _require(user, "steering.manage_calls", "Seule l'équipe de la Turbine gère les réponses.")
    if status not in JointResponseStatus.values:
        raise SteeringError("État inconnu.", field="status")
    on = on or timezone.localdate()
    with transaction.atomic():
        response = _joint_locked(response_id)
        if status not in JOINT_RESPONSE_STEPS[response.status]:
            raise SteeringError(
                f"Une réponse « {response.get_status_display()} » ne peut pas passer à "
                f"« {JointResponseStatus(status).label} ».",
                field="status",
            )
        if (
            status == JointResponseStatus.SUBMITTED
            and response.status == JointResponseStatus.PREPARING
        ):
            if not response.members.filter(role=JointRole.LEAD).exists():
                raise SteeringError(
                    "Désignez d'abord le chef de file du groupement.", field="status"
                )
            if len(joint_agglomerations(response)) < 2:
                raise SteeringError(
                    "Une réponse commune réunit des acteurs d'au moins deux agglomérations.",
                    field="status",
                )
            if not response.bundled.exists():
                raise SteeringError("Ajoutez au moins un projet à la réponse.", field="status")
            response.submitted_on = on
        if status in (JointResponseStatus.WON, JointResponseStatus.LOST):
            response.decided_on = on
        if status == JointResponseStatus.PREPARING:
            response.submitted_on = None
        if status == JointResponseStatus.SUBMITTED:
            response.decided_on = None
        response.status = status
        response.save(update_fields=["status", "submitted_on", "decided_on", "updated_at"])
    return response
