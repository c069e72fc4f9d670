"""Do personal pages stay as fast with 10,000 learners and 1,000,000 attempts? (issue 14)

In process (Django's test client, a SQLite file, the local cache): the same learner's pages
are timed and their queries counted on a small database, then again after bulk inserts of
10,000 learners (each enrolled, with progress rows) and 1,000,000 attempts, 5,000 of them
the measured learner's own wrong tries on the measured question, with the file cache filled
to its 300 entries. Prints, per page, the
median time before and after, their ratio (goal: about 1.0) and the query counts (must be
equal). Not part of the test suite; figures go to bench/RESULTS.md by hand.

    .venv/bin/python bench/big_data.py   [BENCH_LEARNERS=10000 BENCH_ATTEMPTS=1000000]
"""

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from inprocess import django_setup, page_cost  # bench/, the script's own folder

WORK = Path(tempfile.mkdtemp(prefix="chapterwise-bigdata-"))
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "10000"))
ATTEMPTS = int(os.environ.get("BENCH_ATTEMPTS", "1000000"))
OWN_WRONG_TRIES = 5000
REPEATS = 300
BATCH = 20_000


def progress(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", flush=True)


def main() -> None:
    django_setup(WORK)
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from courses.models import Chapter
    from learning.models import ChapterProgress, Enrollment
    from quizzes.models import Attempt, Question
    from tests.conftest import make_course, make_question, make_user
    from tests.exercise_form import form_choice

    settings.ALLOWED_HOSTS = ["*"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": (10**9, 60)}

    course = make_course(chapters=10, slug="big", words=900)
    for chapter in course.chapters.all():
        make_question(chapter=chapter)
    learner = make_user()
    client = Client()
    client.force_login(learner)
    middle = course.chapters.get(position=5)
    question = middle.questions.get()
    wrong = form_choice(question, "Raising your voice", learner)
    answer_url = reverse("learning:answer", args=[course.slug, middle.slug])
    pages = {
        "chapter page (learner)": lambda: client.get(middle.get_absolute_url()),
        "answer POST (wrong)": lambda: client.post(
            answer_url, {"question": question.pk, "choice": wrong}
        ),
        "course overview (learner)": lambda: client.get(course.get_absolute_url()),
        "my learning": lambda: client.get("/my-learning/"),
    }

    def measure() -> dict[str, tuple[float, int]]:
        return {name: page_cost(request, repeats=REPEATS) for name, request in pages.items()}

    print(
        f"Chapterwise big-data bench — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, SQLite file, in process"
    )
    progress("measuring on the small database")
    small = measure()
    small_rows = Attempt.objects.count()

    progress(f"inserting {LEARNERS:,} learners")
    unusable = make_password(None)  # bulk learners never log in
    User.objects.bulk_create(
        [
            User(username=f"bulk{n}", full_name=f"Learner {n}", password=unusable)
            for n in range(LEARNERS)
        ],
        batch_size=BATCH,
    )
    bulk_ids = list(User.objects.filter(username__startswith="bulk").values_list("id", flat=True))
    Enrollment.objects.bulk_create(
        [Enrollment(learner_id=pk, course=course) for pk in bulk_ids], batch_size=BATCH
    )
    chapters = list(Chapter.objects.filter(course=course).order_by("position"))
    enrollment_ids = list(
        Enrollment.objects.filter(course=course, learner_id__in=bulk_ids).values_list(
            "id", flat=True
        )
    )
    ChapterProgress.objects.bulk_create(
        [
            ChapterProgress(enrollment_id=pk, chapter=chapter)
            for pk in enrollment_ids
            for chapter in chapters[:5]
        ],
        batch_size=BATCH,
    )
    question_ids = list(Question.objects.filter(course=course).values_list("id", flat=True))
    rng = random.Random(14)
    others = ATTEMPTS - OWN_WRONG_TRIES
    progress(f"inserting {ATTEMPTS:,} attempts ({OWN_WRONG_TRIES:,} the measured learner's)")
    Attempt.objects.bulk_create(
        (
            Attempt(learner=learner, question=question, score=0, correct=False)
            for _ in range(OWN_WRONG_TRIES)
        ),
        batch_size=BATCH,
    )
    done = 0
    while done < others:
        size = min(BATCH * 5, others - done)
        Attempt.objects.bulk_create(
            [
                Attempt(
                    learner_id=rng.choice(bulk_ids),
                    question_id=rng.choice(question_ids),
                    score=1 if (right := rng.random() < 0.4) else 0,
                    correct=right,
                )
                for _ in range(size)
            ],
            batch_size=BATCH,
        )
        done += size
        progress(f"  {done + OWN_WRONG_TRIES:,} / {ATTEMPTS:,}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    big_rows = Attempt.objects.count()
    # A busy site's cache is full too: sessions, users, counters up to the file cache's 300
    # entries (Django's file cache listed them all on every write: core.filecache).
    from django.core.cache import cache

    for n in range(290):
        cache.set(f"bench-filler:{n}", "x" * 500, 3600)
    progress("measuring on the big database (and a full cache)")
    big = measure()

    print(f"Learners {1:,} -> {User.objects.count():,}; attempts {small_rows:,} -> {big_rows:,}")
    print(f"{'page':28} {'small ms':>9} {'big ms':>9} {'ratio':>6}  queries")
    for name in pages:
        (small_ms, small_q), (big_ms, big_q) = small[name], big[name]
        same = "equal" if small_q == big_q else "DIFFERENT"
        print(
            f"{name:28} {small_ms:9.2f} {big_ms:9.2f} {big_ms / small_ms:6.2f}  "
            f"{small_q} vs {big_q} {same}"
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
