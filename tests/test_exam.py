"""The final exam (issue 12): draw, clock, attempts, completion, pages, leaks, races."""

import re
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certificates.credentials import credential_build
from certificates.models import Certificate
from learning import exam
from learning.completion import course_is_complete
from learning.models import ChapterProgress, ExamAttempt, ExamGrant
from learning.progress import course_progress
from learning.services import chapter_finish
from quizzes.forms import response_from_post
from quizzes.keys import form_key
from quizzes.models import Attempt, Question
from quizzes.reports import exam_discrimination
from tests.conftest import make_course, make_question, make_user
from tests.test_progress import answer as exercise_answer

pytestmark = pytest.mark.django_db


def exam_course(*, chapters=3, per_chapter=2, **settings):
    course = make_course(chapters=chapters, title="Exam Course")
    for chapter in course.chapters.all():
        for n in range(per_chapter):
            make_question(chapter=chapter, stem=f"{chapter.title} question {n}?")
    fields = {
        "exam_enabled": True,
        "exam_questions": 4,
        "exam_pass_percent": 75,
        "exam_attempts_per_day": 2,
        "exam_opens": "any_time",
        # Small banks keep these tests short; the rule itself is tested below.
        "exam_small_bank_accepted": True,
        **settings,
    }
    for key, value in fields.items():
        setattr(course, key, value)
    course.save()
    return course


def finish_chapters(learner, course):
    for chapter in course.chapters.all():
        for question in chapter.questions.all():
            exercise_answer(learner, question, "Active listening")
        chapter_finish(learner=learner, chapter=chapter)


def posted(attempt: ExamAttempt, *, right: int) -> dict:
    """The exam form as a learner fills it: the first ``right`` questions right, rest wrong."""
    data = {}
    for index, question_id in enumerate(attempt.question_ids):
        question = Question.objects.get(pk=question_id)
        text = "Active listening" if index < right else "Raising your voice"
        key = question.choices.get(text=text).key
        data[f"q{question_id}-choice"] = form_key(
            seed=f"exam:{attempt.pk}:{attempt.seed}",
            question_id=question_id,
            role="choice",
            value=key,
        )
    return data


def take(client, course, attempt, *, right):
    return client.post(
        reverse("learning:exam_take", args=[course.slug, attempt.pk]),
        posted(attempt, right=right),
        follow=True,
    )


def start(client, course):
    client.post(reverse("learning:exam", args=[course.slug]))
    return ExamAttempt.objects.filter(course=course).latest("started_at")


# --- the draw --------------------------------------------------------------------------


def test_the_draw_is_proportional_without_repeats_and_seeded():
    bank = {1: list(range(100, 110)), 2: list(range(200, 205)), 3: list(range(300, 305))}
    drawn = exam.exam_draw(bank=bank, size=8, seed="a")
    by_chapter = {c: sum(1 for q in drawn if q in ids) for c, ids in bank.items()}
    assert by_chapter == {1: 4, 2: 2, 3: 2}
    assert len(set(drawn)) == len(drawn) == 8
    assert exam.exam_draw(bank=bank, size=8, seed="a") == drawn
    assert exam.exam_draw(bank=bank, size=8, seed="b") != drawn


def test_every_chapter_is_represented_when_the_size_allows():
    bank = {1: list(range(100, 130)), 2: [200], 3: [300]}
    drawn = exam.exam_draw(bank=bank, size=3, seed="x")
    assert {200, 300} <= set(drawn) and len(drawn) == 3


def test_never_more_than_the_bank():
    assert sorted(exam.exam_draw(bank={1: [1, 2], 2: [3]}, size=10, seed="x")) == [1, 2, 3]
    assert exam.exam_draw(bank={}, size=10, seed="x") == []


def test_a_started_attempt_keeps_its_draw(client):
    course = exam_course()
    learner = make_user()
    client.force_login(learner)
    attempt = start(client, course)
    url = reverse("learning:exam_take", args=[course.slug, attempt.pk])

    def page() -> str:
        html = client.get(url).content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    first, second = page(), page()
    assert first == second
    assert "Question 1 of 4" in first and "Question 4 of 4" in first
    assert start(client, course) == attempt  # starting again continues the same one


# --- the clock -------------------------------------------------------------------------


def test_answers_after_the_deadline_count_as_unanswered(client):
    course = exam_course(exam_time_limit_minutes=10)
    learner = make_user()
    client.force_login(learner)
    attempt = start(client, course)
    assert attempt.deadline is not None
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    html = take(client, course, attempt, right=4).content.decode()
    attempt.refresh_from_db()
    assert (attempt.score_percent, attempt.passed, attempt.late) == (0, False, True)
    assert "arrived after the time limit" in html


def test_an_abandoned_attempt_is_graded_when_the_learner_comes_back(client):
    course = exam_course(exam_time_limit_minutes=5)
    learner = make_user()
    client.force_login(learner)
    attempt = start(client, course)
    ExamAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=2))
    client.get(reverse("learning:exam", args=[course.slug]))
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and attempt.passed is False


# --- attempts and cool-down -----------------------------------------------------------


def test_attempts_per_day_then_a_grant(client):
    course = exam_course(exam_attempts_per_day=2)
    learner = make_user()
    client.force_login(learner)
    for _ in range(2):
        take(client, course, start(client, course), right=0)
    page = client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    assert "You have no attempts left for now" in page and "Start the exam" not in page
    admin = make_user(username="boss")
    exam.exam_grant(learner=learner, course=course, granted_by=admin, reason="power cut")
    assert ExamGrant.objects.get().granted_by == admin
    assert (
        "Start the exam"
        in client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    )


def test_a_cool_down_follows_a_failed_attempt(client):
    course = exam_course(exam_cooldown_minutes=30, exam_attempts_per_day=5)
    learner = make_user()
    client.force_login(learner)
    take(client, course, start(client, course), right=1)
    page = client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    assert "You can try again at" in page and "Start the exam" not in page


def test_the_grant_command_records_who_and_why():
    course = exam_course()
    make_user(username="ada")
    make_user(username="boss")
    call_command("exam_grant", "ada", course.slug, "--reason", "browser crashed", "--by", "boss")
    grant = ExamGrant.objects.get()
    assert (grant.learner.username, grant.granted_by.username, grant.reason) == (
        "ada",
        "boss",
        "browser crashed",
    )


# --- completion ------------------------------------------------------------------------


def test_completion_needs_the_exam_passed_and_the_certificate_carries_the_score(client):
    course = exam_course(exam_opens="after_reading")
    learner = make_user()
    finish_chapters(learner, course)
    assert not course_is_complete(learner=learner, course=course)
    assert not Certificate.objects.exists()
    client.force_login(learner)
    html = take(client, course, start(client, course), right=3).content.decode()
    assert "Your result: 75%" in html and "You passed" in html
    assert course_is_complete(learner=learner, course=course)
    certificate = Certificate.objects.get(learner=learner)
    assert certificate.exam_score == 75
    payload = credential_build(certificate=certificate)
    assert payload["credentialSubject"]["result"][0]["value"] == "75"
    assert (
        "passed the final exam with at least 75%"
        in (payload["credentialSubject"]["achievement"]["criteria"]["narrative"])
    )


def test_without_an_exam_the_rule_is_unchanged():
    course = exam_course(exam_enabled=False)
    learner = make_user()
    finish_chapters(learner, course)
    assert course_is_complete(learner=learner, course=course)


def test_exam_answers_never_pass_a_chapter_exercise(client):
    course = exam_course()
    learner = make_user()
    client.force_login(learner)
    take(client, course, start(client, course), right=4)
    assert Attempt.objects.filter(context="exam", correct=True).count() == 4
    assert course_progress(learner=learner, course=course).passed_ids == set()


# --- page states -----------------------------------------------------------------------


def test_not_open_until_every_chapter_is_read(client):
    course = exam_course(exam_opens="after_reading")
    learner = make_user()
    client.force_login(learner)
    page = client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    assert "The exam opens once you have read every chapter." in page
    assert client.post(reverse("learning:exam", args=[course.slug])).status_code == 302
    assert not ExamAttempt.objects.exists()
    overview = client.get(course.get_absolute_url()).content.decode()
    assert "The exam opens once you have read every chapter." in overview


def test_open_in_progress_and_the_last_chapter_links_to_it(client):
    course = exam_course()
    learner = make_user()
    client.force_login(learner)
    intro = client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    assert "4 questions" in intro and "Pass mark: 75%" in intro and "Start the exam" in intro
    start(client, course)
    assert (
        "Continue the exam"
        in client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    )
    last = course.chapters.order_by("-position").first()
    assert "Next: the final exam" in client.get(last.get_absolute_url()).content.decode()


def test_failed_with_attempts_left_hides_the_right_answers(client):
    course = exam_course(exam_attempts_per_day=3)
    learner = make_user()
    client.force_login(learner)
    html = take(client, course, start(client, course), right=1).content.decode()
    assert "Not passed" in html and "Try again" in html
    assert "Questions you missed" in html and "Read the passage again" in html
    assert "Right answer:" not in html and "Your answer:" not in html
    assert "The right answers are shown once you pass." in html


def test_a_pass_shows_each_missed_question_with_the_learners_answer_beside_the_right_one(client):
    course = exam_course(exam_questions=4, exam_pass_percent=75)
    learner = make_user()
    client.force_login(learner)
    html = take(client, course, start(client, course), right=3).content.decode()
    assert "You passed" in html
    missed = html.split("Questions you missed")[1]
    assert "Your answer: <span" in missed and "Raising your voice" in missed
    assert missed.index("Your answer:") < missed.index("Right answer:")
    assert "Active listening" in missed.split("Right answer:")[1]


def test_the_exam_page_lists_its_questions_to_jump_to(client):
    course = exam_course()
    client.force_login(make_user())
    attempt = start(client, course)
    html = client.get(reverse("learning:exam_take", args=[course.slug, attempt.pk])).content
    jump = html.decode().split('aria-label="Questions"')[1].split("</nav>")[0]
    assert [f'href="#exam-q-{n}"' in jump for n in range(1, 5)] == [True] * 4
    assert 'class="exam-answered" aria-live="polite" hidden' in jump


def test_no_attempts_left_today_still_hides_the_right_answers(client):
    # Attempts come back the next day: showing the answers to a learner out of attempts
    # today let anyone harvest them by failing on purpose (issue 26).
    course = exam_course(exam_attempts_per_day=1)
    learner = make_user()
    client.force_login(learner)
    html = take(client, course, start(client, course), right=1).content.decode()
    assert "Right answer:" not in html
    assert "The right answers are shown once you pass." in html


def test_passed_shows_the_result(client):
    course = exam_course()
    learner = make_user()
    client.force_login(learner)
    take(client, course, start(client, course), right=4)
    page = client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    assert "You passed the exam with 100%" in page and "Start the exam" not in page
    assert "Attempts left" not in page  # nothing left to attempt (issue 25)


# --- leaks, replays, other learners ------------------------------------------------------


def test_the_exam_page_tells_nothing_before_submission(client):
    course = exam_course()
    learner = make_user()
    client.force_login(learner)
    attempt = start(client, course)
    html = client.get(
        reverse("learning:exam_take", args=[course.slug, attempt.pk])
    ).content.decode()
    form = html.split('id="exam-form"')[1]
    for question_id in attempt.question_ids:
        for choice in Question.objects.get(pk=question_id).choices.all():
            assert choice.key not in form
    for leak in ["fraction", "correct", "data-right", "That escalates."]:
        assert leak not in form
    # Inputs differ only in value and id: no attribute tells the right one.
    shapes = {
        re.sub(r'(id|value)="[^"]*"', "", tag)
        for tag in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", form)
    }
    assert len({re.sub(r'name="[^"]*"', "", s) for s in shapes}) == 1


def test_a_double_submission_is_graded_once(client):
    course = exam_course()
    learner = make_user()
    client.force_login(learner)
    attempt = start(client, course)
    take(client, course, attempt, right=4)
    take(client, course, attempt, right=0)  # a replayed POST, other answers
    attempt.refresh_from_db()
    assert attempt.score_percent == 100
    assert Attempt.objects.filter(context_key=f"exam:{attempt.pk}").count() == 4


def test_another_learners_attempt_is_not_found(client):
    course = exam_course()
    owner = make_user()
    client.force_login(owner)
    attempt = start(client, course)
    client.force_login(make_user())
    assert (
        client.get(reverse("learning:exam_take", args=[course.slug, attempt.pk])).status_code == 404
    )
    assert (
        client.post(reverse("learning:exam_take", args=[course.slug, attempt.pk]), {}).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_sixteen_simultaneous_submissions_give_one_grade_and_one_certificate():
    course = exam_course()
    learner = make_user(full_name="Grace Hopper")
    finish_chapters(learner, course)
    attempt = exam.exam_start(learner=learner, course=course, all_read=True)
    data = posted(attempt, right=4)
    url = reverse("learning:exam_take", args=[course.slug, attempt.pk])
    clients = []
    for _ in range(16):
        client = Client()
        client.force_login(learner)
        clients.append(client)
    barrier = threading.Barrier(16)
    statuses = []

    def submit(client):
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [302] * 16
    assert Attempt.objects.filter(context_key=f"exam:{attempt.pk}").count() == 4
    assert Certificate.objects.filter(learner=learner, course=course).count() == 1


# --- the admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.com", "pw"))
    return client


def _sit(course, learner, right):
    """One sitting graded through the real form parser, without a browser or client."""
    attempt = exam.exam_start(learner=learner, course=course, all_read=True)
    query = QueryDict(mutable=True)
    query.update(posted(attempt, right=right))
    responses = {}
    for question_id in attempt.question_ids:
        question = Question.objects.get(pk=question_id)
        responses[question_id] = response_from_post(
            question=question,
            data=query,
            seed=f"exam:{attempt.pk}:{attempt.seed}",
            prefix=f"q{question_id}-",
            required=False,
        )
    return exam.exam_submit(attempt=attempt, responses=responses)


def test_exam_attempts_export_as_csv_and_grants_record_who_and_why(admin_client):
    course = exam_course()
    learner = make_user(username="ada")
    attempt = _sit(course, learner, right=2)
    changelist = reverse("admin:learning_examattempt_changelist")
    listing = admin_client.get(changelist).content.decode()
    assert "Ada Lovelace" in listing and "50%" in listing
    csv_text = admin_client.post(
        changelist, {"action": "export_csv", "_selected_action": [attempt.pk]}
    ).content.decode()
    assert csv_text.splitlines()[0].startswith("learner,course,started,submitted,score %")
    assert ",50,no," in csv_text
    admin_client.post(
        changelist,
        {"action": "grant_attempt", "_selected_action": [attempt.pk], "reason": "outage",
         "grant": "Grant"},
    )  # fmt: skip
    grant = ExamGrant.objects.get()
    assert (grant.learner, grant.granted_by.username, grant.reason) == (learner, "admin", "outage")


def test_question_statistics_say_which_questions_discriminate(admin_client):
    course = exam_course(exam_questions=6, exam_attempts_per_day=10)
    scores = [6, 6, 5, 1, 0, 0]
    for n, right in enumerate(scores):
        _sit(course, make_user(username=f"s{n}"), right=right)
    index = exam_discrimination(question_ids=list(course.questions.values_list("pk", flat=True)))
    assert index and max(index.values()) > 0
    html = admin_client.get(reverse("admin:quizzes_question_changelist")).content.decode()
    assert "Discrimination (exam, upper − lower third)" in html


def test_the_exam_draws_a_chapters_bank_items_not_its_exercise():
    course = make_course(chapters=2)
    first, second = course.chapters.order_by("position")
    exercise = make_question(chapter=first, stem="Which technique is the exercise?")
    bank_item = make_question(course=course, stem="Which technique is in the exam bank?")
    Question.objects.filter(pk=bank_item.pk).update(source_chapter=first)
    only_exercise = make_question(chapter=second, stem="Which technique is the only one?")
    draft = make_question(course=course, stem="Which technique is a draft?", status="draft")
    Question.objects.filter(pk=draft.pk).update(source_chapter=second)

    bank = exam._bank(course)

    # The first chapter is examined on its bank item, not on the exercise already answered;
    # the second has nothing else published, so its exercise is drawn.
    assert bank == {first.pk: [bank_item.pk], second.pk: [only_exercise.pk]}
    assert exercise.pk not in exam.exam_draw(bank=bank, size=10, seed="x")


def test_a_retake_asks_questions_not_asked_before_while_the_bank_has_them():
    # Issue 26: each attempt drew afresh, so retakes showed the same questions again.
    bank = {1: [1, 2, 3, 4], 2: [5, 6, 7, 8]}
    first = exam.exam_draw(bank=bank, size=4, seed="a")
    second = exam.exam_draw(bank=bank, size=4, seed="b", seen=frozenset(first))
    assert not set(first) & set(second)
    third = exam.exam_draw(bank=bank, size=4, seed="c", seen=frozenset(first + second))
    assert len(third) == 4  # the bank is used up: asked questions come back


def test_my_learning_points_at_the_exam_when_only_the_exam_is_left(client):
    # Issue 25: a grey "Review the course" and "Not complete yet" when the next step was the
    # final exam.
    course = exam_course()
    learner = make_user()
    finish_chapters(learner, course)
    client.force_login(learner)
    page = client.get(reverse("learning:my_learning")).content.decode()
    assert "Every chapter is done; the final exam comes next." in page
    assert reverse("learning:exam", args=[course.slug]) in page
    assert "Not complete yet" not in page


def test_the_last_page_leads_to_the_exam_and_marks_itself_read(client):
    # Issue 25: the last page offered "Finish the course" (back to an overview saying "not
    # complete yet") and a developer's note "(it says when it opens and why)".
    course = exam_course()
    learner = make_user()
    client.force_login(learner)
    last = course.chapters.order_by("-position").first()
    page = client.get(last.get_absolute_url()).content.decode()
    assert "it says when it opens" not in page and "Finish the course" not in page
    done = client.post(
        reverse("learning:chapter_done", args=[course.slug, last.slug]), {"next": "exam"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("learning:exam", args=[course.slug])
    assert ChapterProgress.objects.filter(
        enrollment__learner=learner, chapter=last, read_at__isnull=False
    ).exists()


def test_a_bank_smaller_than_twice_the_draw_keeps_the_exam_closed_unless_accepted(client):
    """Issue 26: failing on purpose twice showed the whole bank, and the third sitting passed
    from memory. 6 questions for a draw of 4: closed, until an admin accepts it."""
    course = exam_course(exam_small_bank_accepted=False)
    learner = make_user()
    client.force_login(learner)
    page = client.get(reverse("learning:exam", args=[course.slug])).content.decode()
    assert "The exam is not open yet: it needs more questions." in page
    with pytest.raises(exam.ExamError):
        exam.exam_start(learner=learner, course=course, all_read=True)

    course.exam_questions = 3  # 6 questions for a draw of 3: twice the draw
    course.save()
    assert exam.exam_start(learner=learner, course=course, all_read=True).question_ids

    other = exam_course(exam_small_bank_accepted=True)
    assert exam.exam_start(learner=learner, course=other, all_read=True).question_ids
