"""Steering rules: trajectories and roll-ups on hand-worked data, scores, weights, the vote."""

from __future__ import annotations

import pytest

from turbine.core.exceptions import PermissionDeniedError
from turbine.projects.models import ProjectImpact
from turbine.projects.tests.factories import ProjectFactory
from turbine.steering import selectors, services
from turbine.steering.models import (
    CRITERIA,
    CriterionWeight,
    IndicatorValue,
    MandateBallot,
    MandateVoter,
    ProjectObjective,
    ProjectScore,
)
from turbine.steering.tests.factories import add_values, elected, make_indicator, make_mandate

pytestmark = pytest.mark.django_db


def test_it_says_where_an_indicator_stands(territory) -> None:
    indicator = make_indicator()
    add_values(indicator, {2015: 1000, 2020: 930, 2025: 860})
    view = selectors.indicator_view(indicator.pk)
    assert view.standing.year == 2025
    assert view.standing.gap == pytest.approx(60)
    assert view.standing.years_late == pytest.approx(3.0)
    assert not view.standing.on_track
    row_2025 = next(r for r in view.rows if r["year"] == 2025)
    assert row_2025["expected"] == pytest.approx(800)


def test_it_rolls_up_contributions_by_project_and_year(territory) -> None:
    indicator = make_indicator()
    a, b, hidden = ProjectFactory(), ProjectFactory(), ProjectFactory(visibility="draft")
    for project, estimated, measured in ((a, 100, 80), (b, 50, None), (hidden, 999, None)):
        ProjectImpact.objects.create(
            project=project, indicator="co2", value=estimated, nature="estime"
        )
        if measured:
            ProjectImpact.objects.create(
                project=project, indicator="co2", value=measured, nature="mesure"
            )
    ProjectObjective.objects.create(
        project=a, objective=indicator.objective, indicator=indicator, from_year=2020
    )
    ProjectObjective.objects.create(
        project=b, objective=indicator.objective, indicator=indicator, from_year=2022
    )
    ProjectObjective.objects.create(
        project=hidden, objective=indicator.objective, indicator=indicator, from_year=2020
    )
    contributions = selectors.contributions_of(indicator)
    # The measured 80 wins over the estimated 100; the draft project is not counted.
    assert [(c.project, c.value, c.nature) for c in contributions] == [
        (a, 80, "mesure"),
        (b, 50, "estime"),
    ]
    assert selectors.roll_up(contributions, range(2019, 2024)) == [
        (2019, 0),
        (2020, 80),
        (2021, 80),
        (2022, 130),
        (2023, 130),
    ]


def test_only_staff_score_and_every_score_is_justified(bruno, alice) -> None:
    project = ProjectFactory()
    with pytest.raises(PermissionDeniedError):
        services.project_score_set(
            user=alice, project=project, criterion="climat", score=3, justification="x"
        )
    for bad in (6, -1, True, "3"):
        with pytest.raises(services.SteeringError):
            services.project_score_set(
                user=bruno, project=project, criterion="climat", score=bad, justification="x"
            )
    with pytest.raises(services.SteeringError, match="justifiée"):
        services.project_score_set(
            user=bruno, project=project, criterion="climat", score=3, justification=" "
        )
    with pytest.raises(services.SteeringError):
        services.project_score_set(
            user=bruno, project=project, criterion="beaute", score=3, justification="x"
        )
    assert not ProjectScore.objects.exists()


def test_a_batch_of_scores_is_saved_whole_or_not_at_all(bruno) -> None:
    project = ProjectFactory()
    scores = dict.fromkeys(CRITERIA, (3, "ok"))
    scores["urgence"] = (3, "")
    with pytest.raises(services.SteeringError):
        services.project_scores_set(user=bruno, project=project, scores=scores)
    assert not ProjectScore.objects.exists()


def test_the_portfolio_ranks_by_weighted_sum(bruno) -> None:
    strong, weak = ProjectFactory(title="Fort"), ProjectFactory(title="Faible")
    services.project_scores_set(
        user=bruno, project=strong, scores=dict.fromkeys(CRITERIA, (4, "ok"))
    )
    services.project_scores_set(user=bruno, project=weak, scores=dict.fromkeys(CRITERIA, (2, "ok")))
    services.criterion_weights_set(
        user=bruno, weights={c: (3 if c == "climat" else 1) for c in CRITERIA}
    )
    assert CriterionWeight.objects.get(criterion="climat").weight == pytest.approx(0.3)
    data = selectors.portfolio(k=1, draws=50)
    assert [r["project"] for r in data.rows] == [strong, weak]
    assert data.rows[0]["total"] == pytest.approx(4.0)
    assert data.rows[0]["probability"] == 1.0


def test_weights_refused_when_inconsistent_or_not_staff(bruno, alice) -> None:
    with pytest.raises(PermissionDeniedError):
        services.criterion_weights_set(user=alice, weights=dict.fromkeys(CRITERIA, 1))
    with pytest.raises(services.SteeringError):
        services.criterion_weights_set(user=bruno, weights=dict.fromkeys(CRITERIA, 0))
    with pytest.raises(services.SteeringError):
        services.criterion_weights_set(user=bruno, weights={"climat": 1})
    n = len(CRITERIA)
    wild = [[1.0] * n for _ in range(n)]
    wild[0][1], wild[1][0] = 9, 1 / 9
    wild[1][2], wild[2][1] = 9, 1 / 9
    wild[0][2], wild[2][0] = 1 / 9, 9
    with pytest.raises(services.SteeringError, match="incohérentes"):
        services.criterion_weights_from_pairwise(user=bruno, matrix=wild)
    assert not CriterionWeight.objects.exists()
    consistent = [[1.0] * n for _ in range(n)]
    consistent[0] = [1.0] + [3.0] * (n - 1)
    for j in range(1, n):
        consistent[j][0] = 1 / 3
    result = services.criterion_weights_from_pairwise(user=bruno, matrix=consistent)
    assert result.consistency_ratio < 0.01
    assert CriterionWeight.objects.get(criterion="climat").from_pairwise


def test_officials_rank_once_and_ballots_stay_apart_from_the_register(alice, bruno) -> None:
    mandate = make_mandate()
    ids = list(mandate.candidates.values_list("pk", flat=True))
    official = elected()
    with pytest.raises(PermissionDeniedError):
        services.mandate_ballot_cast(user=alice, mandate_id=mandate.pk, ranking_ids=ids)
    for bad in ([], [ids[0], ids[0]], [ids[0], 999_999]):
        with pytest.raises(services.SteeringError):
            services.mandate_ballot_cast(user=official, mandate_id=mandate.pk, ranking_ids=bad)
    services.mandate_ballot_cast(user=official, mandate_id=mandate.pk, ranking_ids=ids[:2])
    with pytest.raises(services.SteeringError, match="déjà voté"):
        services.mandate_ballot_cast(user=official, mandate_id=mandate.pk, ranking_ids=ids)
    assert MandateVoter.objects.filter(mandate=mandate).count() == 1
    ballot = MandateBallot.objects.get(mandate=mandate)
    assert ballot.ranking == ids[:2]
    assert {f.name for f in MandateBallot._meta.get_fields()} == {"id", "mandate", "ranking"}


def test_results_are_published_once_by_staff(bruno) -> None:
    mandate = make_mandate(candidates=4)
    ids = list(mandate.candidates.values_list("pk", flat=True))
    # 10 officials: 4 for 1>2, 3 for 3>4, 3 for 4>3: quota 10 // 4 + 1 = 3.
    plans = [[ids[0], ids[1]]] * 4 + [[ids[2], ids[3]]] * 3 + [[ids[3], ids[2]]] * 3
    for n, plan in enumerate(plans):
        services.mandate_ballot_cast(user=elected(n), mandate_id=mandate.pk, ranking_ids=plan)
    with pytest.raises(PermissionDeniedError):
        services.mandate_results_publish(user=elected(99), mandate_id=mandate.pk)
    mandate = services.mandate_results_publish(user=bruno, mandate_id=mandate.pk)
    assert mandate.results["quota"] == 3
    assert mandate.results["elected"] == [1, 3, 4]
    # Six officials of ten rank 3 and 4 above 1; 3 and 4 tie (3 v 3): the lower number first.
    assert mandate.results["ranking"] == [3, 4, 1, 2]
    assert MandateBallot.objects.filter(mandate=mandate).count() == 10
    with pytest.raises(services.SteeringError, match="déjà publiés"):
        services.mandate_results_publish(user=bruno, mandate_id=mandate.pk)
    with pytest.raises(services.SteeringError, match="pas ouvert"):
        services.mandate_ballot_cast(user=elected(50), mandate_id=mandate.pk, ranking_ids=ids)


def test_a_value_must_be_finite(bruno) -> None:
    indicator = make_indicator()
    for bad in (float("nan"), float("inf"), 1e13):
        with pytest.raises(services.SteeringError):
            services.indicator_value_set(user=bruno, indicator=indicator, year=2020, value=bad)
    with pytest.raises(services.SteeringError):
        services.indicator_value_set(user=bruno, indicator=indicator, year=2039, value=1)
    services.indicator_value_set(user=bruno, indicator=indicator, year=2020, value=12.5)
    assert IndicatorValue.objects.get().value == 12.5
