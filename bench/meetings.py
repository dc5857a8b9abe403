"""Registrations to a meeting under concurrent load: places, waiting list and promotions.

For 1, 16 and 50 threads (each with its own database connection), 50 people register at once
for 10 places through ``cooperation.services.meetings.registration_create``; then 10 registered
people cancel at once. Checked afterwards, every round: exactly 10 registered and 40 waiting,
the waiting list in the order of the lock, and each cancellation promoting exactly one (the
oldest) entry. Gives the median and 95th-percentile latency of one registration and the rate.

``bench/run.py`` calls ``run()`` on the benchmark's database (SQLite, where writes are
serialised). Standalone, on PostgreSQL (row locks)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/turbine_meet .venv/bin/python bench/meetings.py

(the database is migrated first; the benchmark's own rows are deleted afterwards).
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

PEOPLE = 50
PLACES = 10
CANCELLING = 10
THREADS = (1, 16, 50)
ROUNDS = 3
DOMAIN = "bench-meetings.invalid"


def _timed_parallel(jobs: list, work, threads: int) -> tuple[list[float], float]:
    from django.db import connections

    barrier = threading.Barrier(min(threads, len(jobs)))

    def run(indexed):
        position, job = indexed
        try:
            if threads > 1 and position < threads:
                barrier.wait(timeout=60)
            started = time.perf_counter()
            work(job)
            return time.perf_counter() - started
        finally:
            connections.close_all()

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        # Only the first wave waits at the barrier: later jobs start as soon as a thread frees.
        latencies = sorted(pool.map(run, enumerate(jobs)))
    return latencies, time.perf_counter() - started


def run(markdown: bool = True) -> str:
    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.test.utils import override_settings
    from django.utils import timezone

    from turbine.accounts.models import User
    from turbine.cooperation.models import Event, Registration
    from turbine.cooperation.services import meetings as services
    from turbine.territory.models import Commune

    lens = Commune.objects.get(code="62498")
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    users = User.objects.bulk_create(
        [User(email=f"p{i}@{DOMAIN}", display_name=f"P{i}") for i in range(PEOPLE)]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
    )
    rows = []
    events = []
    # The emails of each registration are rendered and "sent" in memory: part of the cost,
    # without an SMTP server.
    mail_backend = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    mail_backend.enable()
    try:
        for threads in THREADS:
            for _ in range(ROUNDS):
                start = timezone.now() + timedelta(days=7)
                event = Event.objects.create(
                    title="Bench",
                    description="bench",
                    format="atelier",
                    modality="presentiel",
                    commune=lens,
                    start=start,
                    end=start + timedelta(hours=2),
                    time_slot="semaine",
                    capacity=PLACES,
                )
                events.append(event)
                reg_lat, reg_wall = _timed_parallel(
                    users,
                    lambda u, e=event: services.registration_create(event_id=e.pk, user=u),
                    threads,
                )
                registered = list(
                    Registration.objects.filter(event=event, status="inscrit").order_by("id")
                )
                waiting = list(
                    Registration.objects.filter(event=event, status="attente").order_by(
                        "queued_at", "id"
                    )
                )
                in_order = [w.pk for w in waiting] == sorted(w.pk for w in waiting) and max(
                    r.pk for r in registered
                ) < min(w.pk for w in waiting)
                leaving = [r.user for r in registered[:CANCELLING]]
                cancel_lat, _ = _timed_parallel(
                    leaving,
                    lambda u, e=event: services.registration_cancel(user=u, event_id=e.pk),
                    threads,
                )
                promoted = set(
                    Registration.objects.filter(event=event, promoted_at__isnull=False).values_list(
                        "pk", flat=True
                    )
                )
                after = Registration.objects.filter(event=event, status="inscrit").count()
                rows.append(
                    {
                        "threads": threads,
                        "registered": len(registered),
                        "waiting": len(waiting),
                        "in_order": in_order,
                        "promoted_ok": promoted == {w.pk for w in waiting[:CANCELLING]}
                        and after == PLACES,
                        "median": statistics.median(reg_lat) * 1000,
                        "p95": reg_lat[int(len(reg_lat) * 0.95)] * 1000,
                        "rate": PEOPLE / reg_wall,
                        "cancel_median": statistics.median(cancel_lat) * 1000,
                    }
                )
    finally:
        mail_backend.disable()
        Event.objects.filter(pk__in=[e.pk for e in events]).delete()
        User.objects.filter(email__endswith=f"@{DOMAIN}").delete()

    lines = [
        "## Meeting registrations under concurrent load (`bench/meetings.py`)",
        "",
        f"{PEOPLE} people register at once for {PLACES} places, then {CANCELLING} registered "
        "people cancel at once, through `cooperation.services.meetings`, on the database "
        f"({connection.vendor}), {ROUNDS} rounds per thread count. Expected every round: "
        f"{PLACES} registered, {PEOPLE - PLACES} waiting in the order of the lock, the "
        f"{CANCELLING} oldest waiting entries promoted once each.",
        "",
        "| threads | round | registered | waiting | waiting list in order | promotions exact "
        "| median (ms) | p95 (ms) | registrations/s | cancellation median (ms) |",
        "|---:|---:|---:|---:|:---:|:---:|---:|---:|---:|---:|",
    ]
    seen: dict[int, int] = {}
    for row in rows:
        seen[row["threads"]] = seen.get(row["threads"], 0) + 1
        lines.append(
            f"| {row['threads']} | {seen[row['threads']]} | {row['registered']} "
            f"| {row['waiting']} | {'yes' if row['in_order'] else 'NO'} "
            f"| {'yes' if row['promoted_ok'] else 'NO'} | {row['median']:.1f} "
            f"| {row['p95']:.1f} | {row['rate']:.0f} | {row['cancel_median']:.1f} |"
        )
    ok = all(
        r["registered"] == PLACES
        and r["waiting"] == PEOPLE - PLACES
        and r["in_order"]
        and r["promoted_ok"]
        for r in rows
    )
    lines += ["", f"All invariants held: {'yes' if ok else 'NO'}."]
    if not ok:
        raise AssertionError("\n".join(lines))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    ROOT = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "turbine.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from turbine.territory.testing import ensure_base_data

    call_command("migrate", verbosity=0)
    ensure_base_data()
    started = time.perf_counter()
    print(run())
    print(f"({time.perf_counter() - started:.1f} s)")
