"""Does a chapter with 50 questions cost at most twice one with a single question? (issue 14)

In process (Django's test client, a SQLite file, the file cache, `DJANGO_DEBUG=0`): the
learner's chapter page, warm, median of 300 requests, for 1 and 50 single-choice questions.
Prints both medians, their ratio (goal <= 2) and the query counts (must be equal).
Not part of the test suite; figures go to bench/RESULTS.md by hand.
"""

import logging
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="chapterwise-chapter-size-"))
REPEATS = 300


def main() -> None:
    os.environ.update(
        DATABASE_URL=f"sqlite:///{WORK / 'size.sqlite3'}",
        DJANGO_CACHE_DIR=str(WORK / "cache"),
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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_course, make_question, make_user

    call_command("migrate", verbosity=0)
    logging.getLogger("chapterwise.request").setLevel(logging.WARNING)
    learner = make_user()
    client = Client()
    client.force_login(learner)
    print(
        f"Chapterwise chapter-size bench — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, SQLite file, in process"
    )
    results = {}
    for count in (1, 50):
        course = make_course(chapters=3, slug=f"size-{count}", words=900)
        chapter = course.chapters.get(position=2)
        for n in range(count):
            make_question(chapter=chapter, stem=f"Which technique helps, case {n}?")
        url = chapter.get_absolute_url()
        for _ in range(20):
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        queries_count = len(queries)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        results[count] = (statistics.median(times), queries_count)
    (one_ms, one_q), (fifty_ms, fifty_q) = results[1], results[50]
    ratio = fifty_ms / one_ms
    print(f"1 question   {one_ms:6.2f} ms  {one_q} queries")
    print(f"50 questions {fifty_ms:6.2f} ms  {fifty_q} queries")
    print(
        f"ratio {ratio:.2f}  {'PASS' if ratio <= 2 else 'MISS'} (goal <= 2); "
        f"queries {'equal' if one_q == fifty_q else 'DIFFERENT'}"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
