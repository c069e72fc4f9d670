"""Does a chapter with 50 questions cost at most twice one with a single question? (issue 14)

In process (Django's test client, a SQLite file, the file cache, `DJANGO_DEBUG=0`): the
learner's chapter page, warm, median of 300 requests, for 1 and 50 single-choice questions.
Prints both medians, their ratio (goal <= 2) and the query counts (must be equal).
Not part of the test suite; figures go to bench/RESULTS.md by hand.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from inprocess import django_setup, page_cost  # bench/, the script's own folder

WORK = Path(tempfile.mkdtemp(prefix="chapterwise-chapter-size-"))
REPEATS = 300


def main() -> None:
    django_setup(WORK)
    from django.test import Client

    from tests.conftest import make_course, make_question, make_user

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
        results[count] = page_cost(lambda url=url: client.get(url), repeats=REPEATS)
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
