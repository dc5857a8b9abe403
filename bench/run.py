#!/usr/bin/env python
"""Benchmark of Turbine's main pages: ``make bench``, or ``.venv/bin/python bench/run.py``.

For each scale factor (1 and 10 by default) it builds the data (``generate_scale_data``), counts
each page's SQL queries in process (``django.test.Client`` + ``CaptureQueriesContext``), then
serves the project with gunicorn on loopback and times many requests per page with a small load
generator, beside a bare Django view (``bench/urls.py``) that gives the framework's floor. It
prints a Markdown report and writes it to ``bench/RESULTS.md``, followed by the tally benchmark
of ``bench/tally.py`` when that module imports. ``bench/README.md`` explains the method.

Exits with status 1 if a page answers anything but 200, or if the tally benchmark raises.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import math
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The benchmark fixes its own configuration; an inherited one (production, PostgreSQL, DEBUG)
# would measure something else or refuse to start.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["TURBINE_ENV"] = "development"
for _name in ("DATABASE_URL", "DEBUG"):
    os.environ.pop(_name, None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

BARE = "/bench/bare/"
# (label, path): the pages every change should keep fast. The bare view comes first.
# A path may name "{project}", "{aid}" or "{needoffer}": the first public one of the factor's data.
BARE_LABEL = "bare Django view (floor)"
PAGES = [
    (BARE_LABEL, BARE),
    ("home", "/"),
    ("search page", "/recherche/?q=lens"),
    ("communes API", "/api/v1/communes?agglomeration=200072460&page_size=100"),
    ("search API", "/api/v1/search?q=bethune"),
    ("API overview", "/api/"),
    ("organisation list", "/acteurs/"),
    ("organisation list, filtered", "/acteurs/?theme=energie&agglomeration=246200364"),
    ("organisations API", "/api/v1/organisations?page_size=100"),
    ("project list", "/projets/"),
    ("project detail", "/projets/{project}/"),
    ("map GeoJSON, one city (Lens)", "/api/v1/map.geojson?bbox=2.78,50.41,2.87,50.45"),
    ("map GeoJSON, whole territory (capped)", "/api/v1/map.geojson?bbox=2.3,50.3,3.2,50.7"),
    ("needs and offers list", "/besoins-offres/"),
    ("need or offer detail", "/besoins-offres/{needoffer}/"),
    ("aid search by commune", "/aides/?commune=62119"),
    (
        "aid search, all filters + text",
        "/aides/?commune=62119&q=renovation&beneficiary=commune&theme=energie&type=subvention"
        "&open=true&closing_within=365&call_for_projects=true",
    ),
    ("aid detail", "/aides/{aid}/"),
    ("aids API", "/api/v1/aids?commune=59350&page_size=100"),
    (
        "participatory budget results",
        "/budget-participatif/echelle-budget-participatif-2025/resultats/",
    ),
    ("guichet matching API (POST)", "POST /api/v1/guichet/match"),
    ("guichet figures", "/guichet/chiffres/"),
    # The places' pages (issue 16): Lens and the CA de Lens - Liévin, their APIs and briefing.
    ("commune dashboard (Lens)", "/territoire/communes/62498/"),
    ("agglomeration dashboard (Lens-Liévin)", "/territoire/agglomerations/246200364/"),
    ("commune dashboard API", "/api/v1/communes/62498/dashboard"),
    ("agglomeration dashboard API", "/api/v1/agglomerations/246200364/dashboard"),
    ("commune briefing (HTML)", "/territoire/communes/62498/briefing/"),
    ("commune briefing (PDF)", "/territoire/communes/62498/briefing.pdf"),
    ("agglomeration briefing (PDF)", "/territoire/agglomerations/246200364/briefing.pdf"),
]
# Pages too slow for thousands of requests (a PDF is seconds of WeasyPrint): at most this many
# timed requests, and two of warm-up.
REQUESTS_CAP = {
    "/territoire/communes/62498/briefing.pdf": 10,
    "/territoire/agglomerations/246200364/briefing.pdf": 10,
}
# JSON bodies of the POST pages, by path.
BODIES = {
    "POST /api/v1/guichet/match": json.dumps(
        {
            "title": "Rénovation énergétique de la salle des fêtes",
            "description": "Isoler la toiture et remplacer la chaudière fioul par une pompe à "
            "chaleur, avec une association de quartier pour l'animation.",
            "commune": "62498",
            "beneficiary": "commune",
            "themes": ["energie", "renovation-habitat"],
            "stage": "conception",
            "budget": 250000,
            "needs": ["financement", "partenaires", "demarches"],
        }
    ).encode()
}
RESULTS = ROOT / "bench" / "RESULTS.md"
GUNICORN_LOG = Path(settings.BENCH_DIR) / "gunicorn.log"


@dataclass
class Timing:
    latencies: list[float] = field(default_factory=list)  # seconds, of answered requests
    statuses: Counter[int] = field(default_factory=Counter)  # 0: no HTTP answer
    wall: float = 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else math.nan

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 95) * 1000 if self.latencies else math.nan

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


@dataclass
class FactorResult:
    factor: int
    summaries: list[str]
    queries: dict[str, int]
    timings: dict[str, Timing]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with ``pct`` % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(math.ceil(pct / 100 * len(ordered)) - 1, 0)]


# --- Data and query counts (in this process) ------------------------------------------------


def fresh_database() -> None:
    """Delete the benchmark's SQLite file, then migrate it and import the territory."""
    connection.close()
    name = Path(settings.DATABASES["default"]["NAME"])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_territory", stdout=StringIO())


def generate(factor: int) -> list[str]:
    """Replace the synthetic data by factor ``factor``'s (the command also reindexes search)."""
    out = StringIO()
    call_command("generate_scale_data", factor=factor, stdout=out)
    return [line for line in out.getvalue().splitlines() if line.strip()]


def resolve_pages() -> list[tuple[str, str]]:
    """PAGES with their {fields} filled from the data now in the database."""
    from turbine.directory.models import NeedOffer
    from turbine.funding.models import Aid, AidStatus
    from turbine.projects.models import Project

    project = Project.objects.filter(visibility="public", is_hidden=False).order_by("pk").first()
    aid = Aid.objects.filter(status=AidStatus.PUBLISHED).order_by("pk").first()
    needoffer = NeedOffer.objects.order_by("pk").first()
    values = {
        "project": project.pk if project else 0,
        "aid": aid.pk if aid else 0,
        "needoffer": needoffer.pk if needoffer else 0,
    }
    return [(label, path.format(**values)) for label, path in PAGES]


def count_queries(pages: list[tuple[str, str]]) -> dict[str, int]:
    """Each page's SQL queries on its second request (the first fills per-process caches such
    as the site and content types, which a running server has already filled)."""
    client = Client()
    counts = {}

    def request(path: str):
        if path.startswith("POST "):
            return client.post(path[5:], BODIES[path], content_type="application/json")
        return client.get(path)

    for label, path in pages:
        first = request(path)
        if first.status_code != 200:
            raise SystemExit(f"{path} answered {first.status_code} in process")
        with CaptureQueriesContext(connection) as captured:
            request(path)
        counts[label] = len(captured.captured_queries)
    connection.close()
    return counts


# --- Serving and timing (gunicorn + load generator) -----------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, float]:
    """One request on a new connection, read to the end; returns (status, seconds). A path
    "POST /x" sends ``BODIES[path]`` as JSON; any other path is a GET."""
    method, target, body = "GET", path, b""
    if path.startswith("POST "):
        method, target, body = "POST", path[5:], BODIES[path]
    request = (
        f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: */*\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode() + body
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    elapsed = time.perf_counter() - started
    status_line = b"".join(chunks).split(b"\r\n", 1)[0]
    return int(status_line.split(b" ", 2)[1]), elapsed


@contextlib.contextmanager
def gunicorn(workers: int) -> Iterator[int]:
    """Serve ``turbine.wsgi`` with ``bench.settings`` on a free loopback port until exit."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "turbine.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--no-control-socket",
        "--log-level=warning",
        f"--chdir={ROOT}",
    ]
    with GUNICORN_LOG.open("a") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}; see {GUNICORN_LOG}")
            with contextlib.suppress(OSError):
                if fetch(port, BARE)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer within 60 s; see {GUNICORN_LOG}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load(port: int, path: str, requests: int, concurrency: int, timing: Timing) -> None:
    """``requests`` GETs of ``path`` from ``concurrency`` threads (closed loop: each thread sends
    its next request when the previous answer has arrived); adds them to ``timing``."""
    shares = [requests // concurrency + (i < requests % concurrency) for i in range(concurrency)]
    lock = threading.Lock()

    def worker(n: int) -> None:
        results = []
        for _ in range(n):
            try:
                results.append(fetch(port, path))
            except (OSError, ValueError, IndexError):  # no answer, or not HTTP: status 0
                results.append((0, math.nan))
        with lock:
            for status, seconds in results:
                timing.statuses[status] += 1
                if status:
                    timing.latencies.append(seconds)

    threads = [threading.Thread(target=worker, args=(n,)) for n in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timing.wall += time.perf_counter() - started


def measure(
    port: int,
    pages: list[tuple[str, str]],
    *,
    requests: int,
    concurrency: int,
    warmup: int,
    rounds: int,
) -> dict[str, Timing]:
    """Warm every page up, then time ``requests`` per page, interleaving the pages in
    ``rounds`` rounds so that a slow drift of the machine weighs on all of them alike."""
    timings = {label: Timing() for label, _ in pages}
    for _, path in pages:
        load(port, path, min(warmup, 2) if path in REQUESTS_CAP else warmup, concurrency, Timing())
    for round_index in range(rounds):
        for label, path in pages:
            total = min(requests, REQUESTS_CAP.get(path, requests))
            share = total // rounds + (round_index < total % rounds)
            if share:
                load(port, path, share, concurrency, timings[label])
    return timings


# --- Report ---------------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kb = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores ({usable} usable by this process)",
        f"- RAM: {mem_kb / 1024 / 1024:.1f} GiB",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite3.sqlite_version}, gunicorn {importlib.metadata.version('gunicorn')}",
        f"- Code: commit {commit or 'unknown'}" + (" plus uncommitted changes" if dirty else ""),
    ]


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews every latency."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


def report(results: list[FactorResult], args: argparse.Namespace, command: str) -> str:
    factors = [r.factor for r in results]
    lines = [
        "# Benchmark results",
        "",
        f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Reproduce with `{command}` "
        "(from the repository root; `make bench` runs the defaults).",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Setup",
        "",
        f"- gunicorn, {args.workers} sync workers, on 127.0.0.1; `bench.settings` (Turbine's "
        "settings and middleware, DEBUG off, fresh SQLite database in WAL mode under "
        "`var/bench/`, local-memory cache).",
        f"- Per page and factor: {args.warmup} warm-up requests, then {args.requests} timed "
        f"requests at concurrency {args.concurrency} (closed loop), the pages interleaved in "
        f"{args.rounds} rounds; a new connection per request (the sync worker closes it).",
        "- Latency: from connecting to reading the last byte, measured by the client (a Python "
        "load generator on the same machine). The ratio is the page's median over the bare "
        "view's median of the same factor.",
        "- SQL queries: `django.test.Client` with `CaptureQueriesContext`, second request of "
        "each page, anonymous visitor.",
    ]
    lines.append(
        f"- 1-minute load average: {args.load_before} before the run, {load_average()} after "
        f"(the machine has {os.cpu_count()} cores; more than the benchmark's own load means "
        "other work competed for the CPU)."
    )
    for result in results:
        lines.append(
            f"- Data at factor {result.factor} (`generate_scale_data`): "
            + "; ".join(result.summaries)
        )
    header = ["Page", "Path"]
    header += [f"SQL ×{f}" for f in factors]
    for f in factors:
        header += [f"median ×{f} (ms)", f"p95 ×{f} (ms)", f"÷ floor ×{f}"]
    lines += ["", "## Pages", "", "| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|")
    for label, path in PAGES:
        row = [label, f"`{path}`"]
        row += [str(r.queries[label]) for r in results]
        for r in results:
            timing, floor = r.timings[label], r.timings[BARE_LABEL]
            row += [
                f"{timing.median_ms:.2f}",
                f"{timing.p95_ms:.2f}",
                f"{timing.median_ms / floor.median_ms:.1f}",
            ]
        lines.append("| " + " | ".join(row) + " |")
    grown = [label for label, _ in PAGES if len({r.queries[label] for r in results}) > 1]
    lines.append("")
    if grown:
        lines.append("**Query count changes with the data on: " + ", ".join(grown) + ".**")
    else:
        lines.append(
            "No page's query count changes between factors " + " and ".join(map(str, factors)) + "."
        )
    return "\n".join(lines) + "\n"


def tally_section() -> tuple[str, bool]:
    """The participatory-budget tally benchmark of ``bench/tally.py``, or why it is absent;
    and False if it raised."""
    heading = "## Participatory-budget tally (`bench/tally.py`)\n\n"
    if not (ROOT / "bench" / "tally.py").exists():
        return heading + "Not run: `bench/tally.py` does not exist yet.\n", True
    try:
        from bench import tally
    except ImportError as exc:
        return heading + f"Not run: `bench/tally.py` does not import ({exc}).\n", True
    started = time.perf_counter()
    try:
        table = tally.run(markdown=True)
    except Exception as exc:  # report it, keep the page results
        return heading + f"Failed: {type(exc).__name__}: {exc}\n", False
    elapsed = time.perf_counter() - started
    if table.startswith("## "):  # bench/tally.py gives its own heading
        heading = ""
    ok = "**NO**" not in table  # a selection differing from pabutools' is a failure
    return heading + table.rstrip() + f"\n\n(tally benchmark: {elapsed:.0f} s)\n", ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="timed requests per page")
    parser.add_argument("--concurrency", type=int, default=2, help="simultaneous clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--warmup", type=int, default=50, help="untimed requests per page")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds")
    parser.add_argument("--factors", default="1,10", help="scale factors, comma-separated")
    parser.add_argument("--no-tally", action="store_true", help="skip bench/tally.py")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="only the pages: their section of bench/RESULTS.md is replaced, the others kept",
    )
    args = parser.parse_args()
    factors = [int(f) for f in args.factors.split(",")]
    defaults = parser.parse_args([])
    options = [
        f"--{name.replace('_', '-')}" + ("" if isinstance(value, bool) else f"={value}")
        for name, value in vars(args).items()
        if value != getattr(defaults, name)
    ]
    command = " ".join([".venv/bin/python bench/run.py", *options])

    args.load_before = load_average()
    started = time.perf_counter()
    print(f"Fresh database: {settings.DATABASES['default']['NAME']}", flush=True)
    fresh_database()
    results = []
    failed = False
    for factor in factors:
        summaries = generate(factor)
        print(f"Factor {factor}: " + " / ".join(summaries), flush=True)
        pages = resolve_pages()
        queries = count_queries(pages)
        with gunicorn(args.workers) as port:
            timings = measure(
                port,
                pages,
                requests=args.requests,
                concurrency=args.concurrency,
                warmup=args.warmup,
                rounds=args.rounds,
            )
        for label, timing in timings.items():
            if set(timing.statuses) != {200}:
                print(f"  {label}: statuses {dict(timing.statuses)}", file=sys.stderr)
                failed = True
            print(
                f"  {label}: {queries[label]} queries, median {timing.median_ms:.2f} ms, "
                f"p95 {timing.p95_ms:.2f} ms, {timing.rate:.0f} req/s",
                flush=True,
            )
        results.append(FactorResult(factor, summaries[:-1] or summaries, queries, timings))
    markdown = report(results, args, command)
    markdown += f"\nPage benchmark time: {time.perf_counter() - started:.0f} s.\n"
    if args.pages_only:
        kept = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        marker = kept.find("\n## ", kept.find("Page benchmark time"))
        RESULTS.write_text(markdown + (kept[marker:] if marker >= 0 else ""), encoding="utf-8")
        print(f"Pages written to {RESULTS.relative_to(ROOT)}.")
        return 1 if failed else 0
    from bench import ballots

    print("Ballot submission under concurrent load…", flush=True)
    markdown += "\n" + ballots.run(markdown=True)
    from bench import meetings

    print("Meeting registrations under concurrent load…", flush=True)
    markdown += "\n" + meetings.run(markdown=True)
    from bench import sortition as panels_bench

    print("Citizen panels: LEXIMIN on the two instances of issue 13…", flush=True)
    markdown += "\n" + panels_bench.run(markdown=True)
    from bench import steering

    print("Steering: portfolio, counts, indicator page, PDF…", flush=True)
    markdown += "\n" + steering.run(markdown=True, django=True)
    if not args.no_tally:
        section, tally_ok = tally_section()
        markdown += "\n" + section
        failed = failed or not tally_ok
    RESULTS.write_text(markdown, encoding="utf-8")
    print("\n" + markdown)
    print(f"Written to {RESULTS.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
