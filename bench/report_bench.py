"""The admin's course report with 10,000 enrollments: under 300 ms? (issue 15)

In process (Django's test client, a SQLite file, the file cache, `DJANGO_DEBUG=0`): a course
of 20 chapters, each with a published question; 10,000 learners enrolled (bulk inserts) over
the last 90 days, each with progress in the first chapters (in the last 45 days) and 5 attempts
(in the last 90), a third completed, 3,000 graded exam attempts. Times are spread as a running
course's are: with every enrollment and answer made "now", every learner is active and the
"active" count stops at its first check. The report page for an admin, warm, median of 30
requests, and its query count. Not part of the test suite; figures go to bench/RESULTS.md by
hand.
"""

import os
import random
import shutil
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from inprocess import banner, django_setup, page_cost  # bench/, the script's own folder

WORK = Path(tempfile.mkdtemp(prefix="chapterwise-report-"))
LEARNERS = 10_000


def main() -> None:
    django_setup(WORK)
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from courses.models import Course
    from learning.models import ChapterProgress, Enrollment, ExamAttempt
    from quizzes.models import Attempt
    from tests.conftest import make_course, make_question

    print(banner("report"))
    course = make_course(chapters=20, slug="report-bench")
    Course.objects.filter(pk=course.pk).update(exam_enabled=True)
    chapters = list(course.chapters.order_by("position"))
    questions = [make_question(chapter=chapter) for chapter in chapters]
    rng = random.Random(14)
    now = timezone.now()
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [User(username=f"bench{n}", password=UNUSABLE_PASSWORD_PREFIX) for n in range(LEARNERS)],
        batch_size=2000,
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                learner=user,
                course=course,
                completed_at=now - timedelta(days=rng.randint(0, 60)) if n % 3 == 0 else None,
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    rows, attempts = [], []
    for enrollment in enrollments:
        reached = rng.randint(1, 20)
        for chapter in chapters[:reached]:
            moment = now - timedelta(days=rng.randint(0, 45))
            rows.append(
                ChapterProgress(
                    enrollment=enrollment, chapter=chapter, read_at=moment, passed_at=moment
                )
            )
        for question in rng.sample(questions, 5):
            attempts.append(
                Attempt(
                    learner_id=enrollment.learner_id,
                    question=question,
                    score=1,
                    correct=rng.random() < 0.7,
                )
            )
    ChapterProgress.objects.bulk_create(rows, batch_size=5000)
    attempts = Attempt.objects.bulk_create(attempts, batch_size=5000)
    # started_at and created_at are set on insert (auto_now_add); bulk_update sets them back.
    for enrollment in enrollments:
        finished = enrollment.completed_at
        enrollment.started_at = (
            finished - timedelta(days=rng.randint(1, 30))
            if finished
            else now - timedelta(days=rng.randint(0, 90))
        )
    Enrollment.objects.bulk_update(enrollments, ["started_at"], batch_size=2000)
    for attempt in attempts:
        attempt.created_at = now - timedelta(days=rng.randint(0, 90), minutes=rng.randint(0, 999))
    Attempt.objects.bulk_update(attempts, ["created_at"], batch_size=2000)
    ExamAttempt.objects.bulk_create(
        [
            ExamAttempt(
                learner=user,
                course=course,
                seed="s",
                started_at=now,
                submitted_at=now,
                pass_percent=70,
                score=Decimal(rng.randint(0, 100)) / 100,
                passed=False,
            )
            for user in users[:3000]
        ],
        batch_size=2000,
    )
    print(
        f"data: {LEARNERS:,} enrollments, {len(rows):,} progress rows, {len(attempts):,} "
        f"attempts, 3,000 exam attempts ({time.perf_counter() - started:.1f} s to insert)"
    )
    admin = User.objects.create_superuser("bench-admin", password=None)
    client = Client()
    client.force_login(admin)
    url = reverse("admin:learning_enrollment_report", args=[course.pk])
    if os.environ.get("PARTS"):
        from learning import reports

        parts = {
            "_active": lambda: reports._active(
                course, since_7=now - timedelta(days=7), since_30=now - timedelta(days=30)
            ),
            "_median_days": lambda: reports._median_days(course, 3334),
            "_funnel": lambda: reports._funnel(course, LEARNERS),
            "_exercises": lambda: reports._exercises(course),
            "_exam_bands": lambda: reports._exam_bands(course),
        }
        for name, function in parts.items():
            t = time.perf_counter()
            function()
            print(f"  {name:14} {(time.perf_counter() - t) * 1000:7.1f} ms")
    median, queries = page_cost(lambda: client.get(url), repeats=30, warm=3)
    verdict = "PASS" if median < 300 else "MISS"
    print(f"course report page  {median:7.1f} ms  {queries} queries  {verdict} (goal < 300 ms)")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
