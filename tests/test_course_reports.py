"""Course reports for admins (issue 15): the figures on a generated course, the charts drawn
on the server, a CSV for each table, and a query count that 10,000 enrollments do not move."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from learning.models import ChapterProgress, Enrollment, ExamAttempt
from learning.reports import course_report
from quizzes.models import Attempt
from tests.conftest import make_course, make_question, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    """Three chapters, each with an exercise; six learners at every stage:
    - 2 completed (started 10 and 4 days before completing),
    - 1 read chapters 1-2, passed 1,
    - 1 enrolled 40 days ago and never read a page (inactive),
    - 2 enrolled today with nothing read."""
    course = make_course(chapters=3, title="Generated Course")
    Course.objects.filter(pk=course.pk).update(exam_enabled=True)
    course.refresh_from_db()
    chapters = list(course.chapters.order_by("position"))
    questions = [make_question(chapter=chapter) for chapter in chapters]
    now = timezone.now()
    learners = [make_user(username=f"report{n}") for n in range(6)]

    def enrol(learner, started, completed=None):
        enrollment = Enrollment.objects.create(learner=learner, course=course)
        Enrollment.objects.filter(pk=enrollment.pk).update(
            started_at=started, completed_at=completed
        )
        return enrollment

    def progress(enrollment, chapter, read=None, passed=None, at=now):
        row = ChapterProgress.objects.create(enrollment=enrollment, chapter=chapter)
        ChapterProgress.objects.filter(pk=row.pk).update(
            read_at=at if read else None, passed_at=at if passed else None
        )

    def answer(learner, question, correct, at):
        attempt = Attempt.objects.create(
            learner=learner, question=question, score=int(correct), correct=correct
        )
        Attempt.objects.filter(pk=attempt.pk).update(created_at=at)

    for learner, days in ((learners[0], 10), (learners[1], 4)):
        enrollment = enrol(learner, now - timedelta(days=20), now - timedelta(days=20 - days))
        for chapter in chapters:
            progress(enrollment, chapter, read=True, passed=True, at=now - timedelta(days=12))
    # learner 0 right first try everywhere (a wrong exam answer before does not count);
    # learner 1 wrong first on question 1.
    exam_answer = Attempt.objects.create(
        learner=learners[0], question=questions[1], score=0, correct=False, context="exam"
    )
    Attempt.objects.filter(pk=exam_answer.pk).update(created_at=now - timedelta(days=16))
    for question in questions:
        answer(learners[0], question, True, now - timedelta(days=15))
    answer(learners[1], questions[0], False, now - timedelta(days=3))
    answer(learners[1], questions[0], True, now - timedelta(days=3) + timedelta(minutes=1))
    answer(learners[1], questions[1], True, now - timedelta(days=3))
    answer(learners[1], questions[2], True, now - timedelta(days=3))
    third = enrol(learners[2], now - timedelta(days=25))
    progress(third, chapters[0], read=True, passed=True, at=now - timedelta(days=20))
    progress(third, chapters[1], read=True, at=now - timedelta(days=20))
    answer(learners[2], questions[0], True, now - timedelta(days=20))
    enrol(learners[3], now - timedelta(days=40))
    enrol(learners[4], now)
    enrol(learners[5], now)
    for learner, score in (
        (learners[0], "0.9000"),
        (learners[1], "0.7000"),
        (learners[1], "0.4500"),
    ):
        ExamAttempt.objects.create(
            learner=learner,
            course=course,
            seed="s",
            started_at=now,
            submitted_at=now,
            pass_percent=70,
            score=Decimal(score),
            passed=Decimal(score) >= Decimal("0.7"),
        )
    return course, chapters, questions


def test_a_chapter_passed_or_read_lately_makes_a_learner_active():
    # One progress row carries two moments; the later one counts, whichever it is.
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    now = timezone.now()
    ago = {n: now - timedelta(days=n) for n in (5, 20, 35, 40, 60)}
    for n, (read, passed) in enumerate(
        [(ago[40], ago[5]), (ago[5], None), (None, ago[20]), (ago[40], ago[35])]
    ):
        enrollment = Enrollment.objects.create(learner=make_user(username=f"a{n}"), course=course)
        Enrollment.objects.filter(pk=enrollment.pk).update(started_at=ago[60])
        row = ChapterProgress.objects.create(enrollment=enrollment, chapter=chapter)
        ChapterProgress.objects.filter(pk=row.pk).update(read_at=read, passed_at=passed)
    # A recent answer in another course does not make the learner active in this one.
    elsewhere = make_question(chapter=make_course(chapters=1, slug="elsewhere").chapters.get())
    Attempt.objects.create(learner=enrollment.learner, question=elsewhere, score=1, correct=True)
    report = course_report(course=course)
    assert (report.active_7, report.active_30) == (2, 3)


def test_the_figures_of_a_generated_course(generated):
    course, _, questions = generated
    report = course_report(course=course)
    assert (report.enrolled, report.completed) == (6, 2)
    assert report.completion_rate == pytest.approx(2 / 6)
    # Active in 7 days: learner 1 (answers 3 days ago), 4 and 5 (enrolled today).
    assert report.active_7 == 3
    # In 30 days also learner 0 (answers 15 days ago, reads 12) and 2 (20 days ago).
    assert report.active_30 == 5
    assert report.median_days_to_complete == pytest.approx(7)  # 10 and 4 days
    # Reached: everyone enrolled reached chapter 1; a later chapter, whoever has a row on it.
    expected = [(6, 3, 3), (3, 3, 2), (2, 2, 2)]
    assert [(r.reached, r.read, r.passed) for r in report.funnel] == expected
    facility = {row.question_id: row.facility for row in report.exercises}
    assert facility[questions[0].pk] == pytest.approx(2 / 3)  # learner 1 missed first
    assert facility[questions[1].pk] == 1.0
    bands = dict(report.exam_bands)
    assert (bands[90], bands[70], bands[40], report.exam_attempts) == (1, 1, 1, 3)


def test_the_report_page_draws_its_charts_on_the_server(generated, admin_client):
    course, _, _ = generated
    page = admin_client.get(reverse("admin:learning_enrollment_report", args=[course.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="figure-enrolled">6<' in html and 'id="figure-rate">33%<' in html
    assert 'id="figure-median">7.0 days<' in html
    funnel = html.split('id="funnel"')[1].split("</table>")[0]
    widths = re.findall(
        r'class="bar-(reached|read|passed)" x="0" y="[\d.]+" width="([\d.]+)"', funnel
    )
    assert widths[:3] == [("reached", "100.0"), ("read", "50.0"), ("passed", "50.0")]
    assert "<script" not in html.split('id="content-main"')[1]
    content = html.split('id="content-main"')[1].split("<footer")[0].split("base-svgs")[0]
    assert content.count("<svg") == 3 + 3 + 11  # chapters, exercises and 11 score bands
    listing = admin_client.get(reverse("admin:learning_enrollment_reports"))
    assert reverse("admin:learning_enrollment_report", args=[course.pk]) in listing.content.decode()


@pytest.mark.parametrize(
    ("table", "header", "rows"),
    [
        ("summary", ["enrolled", "active 7 days", "active 30 days", "completed",
                     "completion rate", "median days to complete"],
         [["6", "3", "5", "2", "0.3333", "7.00"]]),
        ("funnel", ["position", "chapter", "reached", "read", "passed"],
         [["1", "Chapter 1", "6", "3", "3"], ["2", "Chapter 2", "3", "3", "2"],
          ["3", "Chapter 3", "2", "2", "2"]]),
        ("exam", ["score from %", "attempts"], None),
    ],
)  # fmt: skip
def test_each_table_exports_as_csv(generated, admin_client, table, header, rows):
    course, _, _ = generated
    url = reverse("admin:learning_enrollment_report", args=[course.pk])
    response = admin_client.get(url, {"csv": table})
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{course.slug}-{table}.csv"' in response["Content-Disposition"]
    parsed = list(csv.reader(io.StringIO(response.content.decode())))
    assert parsed[0] == header
    if rows is not None:
        assert parsed[1:] == rows
    else:
        assert len(parsed) == 12 and parsed[-1] == ["100", "0"]


def test_exercise_csv_cells_cannot_run_as_formulas(generated, admin_client):
    course, _, questions = generated
    questions[0].stem_markdown = "=HYPERLINK(evil)"
    questions[0].save()
    response = admin_client.get(
        reverse("admin:learning_enrollment_report", args=[course.pk]), {"csv": "exercises"}
    )
    assert "'=HYPERLINK(evil)" in response.content.decode()


def test_only_staff_with_view_permission_see_reports(generated, client):
    course, _, _ = generated
    url = reverse("admin:learning_enrollment_report", args=[course.pk])
    learner = make_user()
    client.force_login(learner)
    assert client.get(url).status_code == 302  # to the admin's login
    staff = make_user(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_enrollment"))
    assert client.get(url).status_code == 200


def _crowd(course: Course, count: int) -> None:
    """``count`` learners enrolled with chapter 1 read, a third of them completed, in bulk."""
    users = User.objects.bulk_create(
        [User(username=f"crowd{course.pk}-{n}", password="!") for n in range(count)],
        batch_size=2000,
    )
    now = timezone.now()
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(learner=user, course=course, completed_at=now if n % 3 == 0 else None)
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    chapter = course.chapters.get(position=1)
    ChapterProgress.objects.bulk_create(
        [ChapterProgress(enrollment=e, chapter=chapter, read_at=now) for e in enrollments],
        batch_size=2000,
    )


# The course, enrolled and completed, active in the last 7 and 30 days, the median, the
# funnel, the chapters, the exercise questions, their first tries counted, the exam's bands
# (the session, its user and which chapters have an exercise come from the cache).
REPORT_QUERIES = 9


def test_the_report_costs_the_same_queries_for_10_and_10000_learners(admin_client):
    counts = {}
    for size in (10, 10_000):
        course = make_course(chapters=5, slug=f"crowd-{size}")
        Course.objects.filter(pk=course.pk).update(exam_enabled=True)
        for chapter in course.chapters.all():
            make_question(chapter=chapter)
        _crowd(course, size)
        url = reverse("admin:learning_enrollment_report", args=[course.pk])
        admin_client.get(url)  # warm: session, content cache
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        assert f'id="figure-enrolled">{size}<' in response.content.decode()
        counts[size] = len(queries)
    assert counts == {10: REPORT_QUERIES, 10_000: REPORT_QUERIES}


def test_the_report_speaks_the_admins_language(generated, admin_client, admin_user):
    course, _, _ = generated
    User.objects.filter(pk=admin_user.pk).update(language="fr")
    page = admin_client.get(reverse("admin:learning_enrollment_report", args=[course.pk]))
    html = page.content.decode()
    assert '<html lang="fr"' in html
    assert "Taux d&#x27;achèvement" in html or "Taux d'achèvement" in html
    assert "Completion rate" not in html


def test_reached_follows_the_learners_own_steps_through_the_site(client):
    """No fixture rows: a learner opens chapter 1, presses "Next page" twice, and stops on
    chapter 3; the end-of-page beacon on chapter 3 marks it read but reaches nothing new."""
    course = make_course(chapters=4, title="Walked Course")
    learner = make_user()
    client.force_login(learner)
    for chapter in course.chapters.order_by("position")[:3]:
        client.get(chapter.get_absolute_url())
        done = reverse("learning:chapter_done", args=[course.slug, chapter.slug])
        if chapter.position < 3:
            client.post(done)  # "Next page"
    report = course_report(course=course)
    # Read 1 and 2; reached 1, 2 and 3 (the third page was opened by "Next page").
    assert [(r.reached, r.read) for r in report.funnel] == [(1, 1), (1, 1), (1, 0), (0, 0)]
    client.post(done, {"beacon": "1"})  # the end of chapter 3 came into view
    report = course_report(course=course)
    assert [(r.reached, r.read) for r in report.funnel] == [(1, 1), (1, 1), (1, 1), (0, 0)]


def test_a_median_under_a_day_reads_in_hours():
    # "Median time to complete 0.0 days" for same-day completions said nothing (issue 25).
    from learning.reports import CourseReport

    assert CourseReport(course=None, median_days_to_complete=0.25).median_hours_to_complete == 6
    assert CourseReport(course=None, median_days_to_complete=3.0).median_hours_to_complete is None
    assert CourseReport(course=None).median_hours_to_complete is None
