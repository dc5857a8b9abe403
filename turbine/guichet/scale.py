"""Synthetic guichet data for ``manage.py generate_scale_data``: 500 support requests per unit
of factor (factor 10: 5,000), about synthetic projects and held by synthetic people, in every
state, with a recommendation and two messages each; every synthetic advisor covers one
agglomeration and three themes. ``clear`` finds them through their holder's reserved email
domain; they are ``is_demo``."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from turbine.accounts import roles
from turbine.accounts.models import User
from turbine.accounts.scale import EMAIL_DOMAIN
from turbine.core import scale
from turbine.core.models import Theme
from turbine.directory.scale import MARK
from turbine.guichet import triage
from turbine.guichet.models import (
    AdvisorCoverage,
    Message,
    Outcome,
    Recommendation,
    Status,
    SupportRequest,
    UrgencyBand,
    spaced,
)
from turbine.projects.models import Project
from turbine.territory.models import Agglomeration

REQUESTS_PER_FACTOR = 500
BATCH_SIZE = 1000
NEEDS = ["financement", "demarches", "partenaires", "competences", "lieu", "visibilite", "reseau"]


def clear_requests() -> int:
    deleted, _ = SupportRequest.objects.filter(holder__email__endswith="@" + EMAIL_DOMAIN).delete()
    coverage, _ = AdvisorCoverage.objects.filter(user__email__endswith="@" + EMAIL_DOMAIN).delete()
    return deleted + coverage


def generate_requests(factor: int, rng: random.Random) -> str:
    people = list(
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
        .exclude(groups__name=roles.ADVISOR)
        .order_by("id")
        .values_list("id", flat=True)[:20_000]
    )
    advisors = list(
        User.objects.filter(email__endswith="@" + EMAIL_DOMAIN, groups__name=roles.ADVISOR)
        .order_by("id")
        .values_list("id", flat=True)
    )
    projects = list(
        Project.objects.filter(holder_organisation__website__startswith=MARK)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not people or not projects:
        return "aucune personne ou aucun projet synthétique : aucune demande générée"
    aggs = list(Agglomeration.objects.order_by("id").values_list("id", flat=True)[:50])
    themes = list(Theme.objects.order_by("slug"))
    coverages = AdvisorCoverage.objects.bulk_create([AdvisorCoverage(user_id=a) for a in advisors])
    for coverage in coverages:
        if aggs:
            coverage.agglomerations.set([rng.choice(aggs)])
        coverage.themes.set(rng.sample(themes, 3))
    now = timezone.now()
    count = REQUESTS_PER_FACTOR * factor
    created = 0
    for start in range(0, count, BATCH_SIZE):
        rows = []
        for i in range(start, min(start + BATCH_SIZE, count)):
            state = i % 6
            opened = now - datetime.timedelta(days=rng.randint(1, 700), hours=rng.randint(0, 23))
            score = rng.randint(0, 100)
            status = [Status.NEW, Status.QUALIFIED, Status.ACCOMPANIED][min(state, 2)]
            outcome = ""
            if state >= 3:
                status = Status.CLOSED
                outcome = [Outcome.SUCCEEDED, Outcome.REDIRECTED, Outcome.ABANDONED][state - 3]
            answered = opened + datetime.timedelta(hours=rng.randint(1, 200)) if state else None
            rows.append(
                SupportRequest(
                    holder_id=rng.choice(people),
                    project_id=rng.choice(projects),
                    holder_type=rng.choice(["habitant", "association", "commune", "entreprise"]),
                    needs=spaced(rng.sample(NEEDS, 2)),
                    actors_count=rng.randint(1, 30),
                    consent_at=opened,
                    agglomeration_id=rng.choice(aggs) if aggs else None,
                    status=status,
                    outcome=outcome,
                    outcome_reason="Issue synthétique." if outcome else "",
                    proposed_scale=rng.randint(1, 3),
                    confirmed_scale=rng.randint(1, 3) if state else None,
                    urgency_score=score,
                    urgency_band=triage.band_for(score) or UrgencyBand.LOW,
                    advisor_id=rng.choice(advisors) if advisors and state else None,
                    first_answer_at=answered,
                    closed_at=answered + datetime.timedelta(days=30) if outcome else None,
                    is_demo=True,
                )
            )
        requests = SupportRequest.objects.bulk_create(rows)
        # created_at is auto_now_add: spread the dates after the insert, in one statement each.
        for request in requests:
            request.created_at = request.consent_at
        SupportRequest.objects.bulk_update(requests, ["created_at"], batch_size=BATCH_SIZE)
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    request=r, kind="ressource", title="Guide synthétique", author_id=r.advisor_id
                )
                for r in requests
                if r.advisor_id
            ]
        )
        Message.objects.bulk_create(
            [
                Message(request=r, author_id=r.holder_id, body="Message synthétique.")
                for r in requests
            ]
            + [
                Message(request=r, author_id=r.advisor_id, body="Réponse synthétique.")
                for r in requests
                if r.advisor_id
            ]
        )
        created += len(requests)
    return f"{created} demandes au guichet, {len(coverages)} conseillers couvrant le territoire"


scale.register("guichet", generate_requests, clear=clear_requests)
