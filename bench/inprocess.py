"""What the in-process benches share: Django set up as served in production (no debug
query log, which also caps at 9,000 entries) on a SQLite file and a file cache in a folder
of the bench's own, and a page timed by the median of many requests with its queries
counted once."""

import logging
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        DJANGO_CACHE_DIR=str(work / "cache"),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    logging.getLogger("chapterwise.request").setLevel(logging.WARNING)


def page_cost(request: Callable, *, repeats: int = 300, warm: int = 20) -> tuple[float, int]:
    """(median milliseconds, queries) of a warm request."""
    return page_costs({"page": request}, repeats=repeats, warm=warm)["page"]


def page_costs(
    requests: dict[str, Callable], *, repeats: int = 300, warm: int = 20
) -> dict[str, tuple[float, int]]:
    """``page_cost`` for several requests measured in turns, one of each per round: on a
    shared machine a slow spell then slows every case alike instead of the one that happened
    to run in it (two runs of the same case apart gave 0.76 and 1.05 ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, request in requests.items():
        for _ in range(warm):
            response = request()
            assert response.status_code in (200, 302), response.status_code
        with CaptureQueriesContext(connection) as queries:
            request()
        counts[label] = len(queries)
    times: dict[str, list[float]] = {label: [] for label in requests}
    for _ in range(repeats):
        for label, request in requests.items():
            start = time.perf_counter()
            request()
            times[label].append((time.perf_counter() - start) * 1000)
    return {label: (statistics.median(times[label]), counts[label]) for label in requests}


def banner(name: str) -> str:
    """The first line of an in-process bench: what, when, on what."""
    return (
        f"Chapterwise {name} bench — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, SQLite file, in process"
    )


def compare(small: tuple[str, float, int], big: tuple[str, float, int], *, goal: float) -> None:
    """Print a small and a large case, (label, ms, queries), and whether the large costs at
    most ``goal`` times the small with the same queries."""
    (small_label, small_ms, small_q), (big_label, big_ms, big_q) = small, big
    width = max(len(small_label), len(big_label))
    print(f"{small_label:{width}} {small_ms:6.2f} ms  {small_q} queries")
    print(f"{big_label:{width}} {big_ms:6.2f} ms  {big_q} queries")
    ratio = big_ms / small_ms
    print(
        f"ratio {ratio:.2f}  {'PASS' if ratio <= goal else 'MISS'} (goal <= {goal:g}); "
        f"queries {'equal' if small_q == big_q else 'DIFFERENT'}"
    )


def learner_client():
    """A new learner and a test client logged in as them (after ``django_setup``)."""
    from django.test import Client

    from tests.conftest import make_user

    learner = make_user()
    client = Client()
    client.force_login(learner)
    return learner, client
