"""Ballot submission latency under concurrent load (participatory budget).

Casts ballots through the same service as the vote page (``budget.services.ballot_cast``) from
1 and then 16 threads at once, each thread with its own database connection, including the same
person voting 20 times at once, and checks afterwards that no ballot was lost or duplicated.
It runs on the benchmark's database (SQLite by default, where writes are serialised; set
``DATABASE_URL`` before ``bench/run.py`` reads settings to measure PostgreSQL).
"""

from __future__ import annotations

import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

VOTERS = 300
SAME_PERSON_TWICE = 20
THREADS = (1, 16)


def run(markdown: bool = True) -> str:
    from allauth.account.models import EmailAddress

    from turbine.accounts.models import User
    from turbine.budget import services
    from turbine.budget.models import (
        Ballot,
        Campaign,
        PendingBallot,
        VoterDigest,
        VoterRecord,
    )
    from turbine.budget.tests.factories import make_campaign, make_proposal
    from turbine.territory.models import Commune

    Campaign.objects.filter(slug="bench-vote").delete()
    User.objects.filter(email__endswith="@bench-vote.invalid").delete()
    campaign = make_campaign(phase="vote", slug="bench-vote", approval_max=5)
    proposals = [make_proposal(campaign, title=f"Proposition {i}") for i in range(30)]
    envelope = campaign.envelopes.get()
    lens = Commune.objects.get(code="62498")
    users = User.objects.bulk_create(
        [User(email=f"v{i}@bench-vote.invalid", commune=lens) for i in range(VOTERS)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    rng = random.Random(1)
    jobs = [(u, sorted(p.pk for p in rng.sample(proposals, 3))) for u in users]
    jobs += [(users[0], [proposals[0].pk])] * SAME_PERSON_TWICE

    def vote(job: tuple[User, list[int]]) -> float:
        user, choices = job
        try:
            started = time.perf_counter()
            services.ballot_cast(
                user=user, envelope_id=envelope.pk, choices=choices, age_declared=True
            )
            return time.perf_counter() - started
        finally:
            connections.close_all()

    rows = []
    try:
        for threads in THREADS:
            Ballot.objects.filter(campaign=campaign).delete()
            PendingBallot.objects.filter(campaign=campaign).delete()
            VoterDigest.objects.filter(campaign=campaign).delete()
            VoterRecord.objects.filter(campaign=campaign).delete()
            started = time.perf_counter()
            with ThreadPoolExecutor(threads) as pool:
                latencies = sorted(pool.map(vote, jobs))
            wall = time.perf_counter() - started
            services.ballots_flush(campaign_id=campaign.pk)  # what is left below a batch
            ballots = Ballot.objects.filter(campaign=campaign).count()
            records = VoterRecord.objects.filter(campaign=campaign).count()
            rows.append(
                (
                    threads,
                    len(jobs),
                    ballots,
                    records,
                    statistics.median(latencies) * 1000,
                    latencies[int(len(latencies) * 0.95)] * 1000,
                    len(jobs) / wall,
                )
            )
    finally:
        Campaign.objects.filter(slug="bench-vote").delete()
        User.objects.filter(email__endswith="@bench-vote.invalid").delete()

    lines = [
        "## Ballot submission under concurrent load",
        "",
        f"{VOTERS} voters plus the same person voting {SAME_PERSON_TWICE} times at once, through "
        "`budget.services.ballot_cast`, on the benchmark's database "
        f"({connections['default'].vendor}). Expected afterwards: {VOTERS} ballots and "
        f"{VOTERS} voter records.",
        "",
        "| threads | votes cast | ballots stored | voter records | median (ms) | p95 (ms) "
        "| votes/s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for threads, votes, ballots, records, median, p95, rate in rows:
        lines.append(
            f"| {threads} | {votes} | {ballots} | {records} | {median:.1f} | {p95:.1f} "
            f"| {rate:.0f} |"
        )
    return "\n".join(lines) + "\n"
