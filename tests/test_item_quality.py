"""Items that earn their place (issue 24, point 5): per-item statistics from generated
learners' answers, learners' reports, and the automatic return to review, on the real
database (both SQLite and PostgreSQL run this file)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from quizzes.models import Attempt, Question, QuestionReport
from quizzes.services import (
    item_statistics,
    question_report,
    question_send_to_review,
    questions_audit,
    review_reasons,
)
from tests.conftest import inside_one_window, make_course, make_question, make_user

pytestmark = pytest.mark.django_db

CHOICES = [
    {"text": "Active listening", "fraction": 1},
    {"text": "Raising your voice", "fraction": 0},
    {"text": "Ignoring the customer", "fraction": 0},
    {"text": "Changing the subject", "fraction": 0},
]


def answer(learner, question, text: str, *, context=Attempt.Context.EXERCISE, key="") -> None:
    choice = question.choices.get(text=text)
    Attempt.objects.create(
        learner=learner,
        question=question,
        response={"choice": choice.key},
        score=choice.fraction,
        correct=choice.fraction == 1,
        context=context,
        context_key=key,
    )


def exercise():
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    return course, chapter, make_question(chapter=chapter, choices=CHOICES)


def test_statistics_count_first_tries_picks_and_the_top_third():
    _course, _chapter, question = exercise()
    learners = [make_user() for _ in range(6)]
    # Two learners right at once, two wrong then right, two wrong twice.
    for learner in learners[:2]:
        answer(learner, question, "Active listening")
    for learner in learners[2:4]:
        answer(learner, question, "Raising your voice")
        answer(learner, question, "Active listening")  # a second try: not counted
    for learner in learners[4:]:
        answer(learner, question, "Ignoring the customer")
        answer(learner, question, "Changing the subject")

    stats = item_statistics(questions=[question])[question.pk]

    assert (stats.first_tries, stats.first_right) == (6, 2)
    assert stats.facility == pytest.approx(2 / 6)
    assert stats.key == "Active listening"
    assert stats.picks == {
        "Active listening": pytest.approx(2 / 6),
        "Raising your voice": pytest.approx(2 / 6),
        "Ignoring the customer": pytest.approx(2 / 6),
    }
    # The top third (2 of 6 learners) are the two right at once.
    assert stats.top_picks == {"Active listening": 1.0}
    assert review_reasons(stats) == []  # too few first tries to judge the facility


@pytest.mark.parametrize(
    ("right", "reason"),
    [
        (30, "facility 1.00 after 30 first tries: nearly everyone gets it right"),
        (5, "facility 0.17 after 30 first tries: most learners miss it (check the key)"),
        (15, None),
    ],
)
def test_facility_sends_an_item_back_after_thirty_first_tries(right, reason):
    _course, _chapter, question = exercise()
    for index in range(30):
        answer(make_user(), question, "Active listening" if index < right else "Raising your voice")
    reasons = review_reasons(item_statistics(questions=[question])[question.pk])
    if reason is None:
        assert not any(r.startswith("facility") for r in reasons)
    else:
        assert reasons and reasons[0].startswith(reason)


def test_a_distractor_the_strongest_learners_prefer_flags_the_item():
    course, chapter, flawed = exercise()
    others = [
        make_question(course=course, stem=f"Which technique calms {n}?", choices=CHOICES)
        for n in range(2)
    ]
    strong, weak = [make_user() for _ in range(9)], [make_user() for _ in range(9)]
    for learner in strong:  # right on the other items, and all pick one distractor here
        for other in others:
            answer(learner, other, "Active listening")
        answer(learner, flawed, "Raising your voice")
    for learner in weak:
        for other in others:
            answer(learner, other, "Changing the subject")
        answer(learner, flawed, "Active listening")

    reasons = review_reasons(item_statistics(questions=[flawed, *others])[flawed.pk])

    assert any(
        "“Raising your voice”" in reason and "more often than the key" in reason
        for reason in reasons
    )


def test_an_exercise_sent_back_to_review_is_replaced_from_the_bank():
    course, chapter, exercise_item = exercise()
    bank_item = make_question(course=course, stem="Which technique is in the bank?")
    Question.objects.filter(pk=bank_item.pk).update(source_chapter=chapter)

    replacement = question_send_to_review(question=exercise_item, reason="reported by 3 learners")

    exercise_item.refresh_from_db()
    assert replacement.pk == bank_item.pk
    assert (exercise_item.status, exercise_item.chapter_id) == ("draft", None)
    assert exercise_item.review_reason == "reported by 3 learners"
    assert exercise_item.source_chapter_id == chapter.pk
    assert list(Question.objects.filter(chapter=chapter).values_list("pk", flat=True)) == [
        bank_item.pk
    ]


def test_the_audit_moves_flagged_items_and_keeps_the_others():
    course, chapter, easy = exercise()
    fine = make_question(course=course, stem="Which technique is fine?", choices=CHOICES)
    for index in range(30):
        learner = make_user()
        answer(learner, easy, "Active listening")
        answer(learner, fine, "Active listening" if index % 2 else "Raising your voice")

    moved = questions_audit(course=course)

    assert [question.pk for question, _reason in moved] == [easy.pk]
    easy.refresh_from_db()
    fine.refresh_from_db()
    assert easy.status == "draft" and easy.review_reason.startswith("facility 1.00")
    assert fine.status == "published"


def test_the_audit_command_reports_what_it_moved():
    course, _chapter, easy = exercise()
    for _ in range(30):
        answer(make_user(), easy, "Active listening")
    out = StringIO()
    call_command("audit_questions", course.slug, stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 question(s) sent back to review."


def test_three_learners_reports_send_an_item_back_once_each():
    _course, _chapter, question = exercise()
    first, second, third = make_user(), make_user(), make_user()
    assert question_report(question=question, learner=first, reason="wrong_key")
    assert not question_report(question=question, learner=first, reason="unclear")  # once
    question_report(question=question, learner=second, reason="two_answers")
    question.refresh_from_db()
    assert question.status == "published"
    question_report(question=question, learner=third, reason="unclear")
    question.refresh_from_db()
    assert (question.status, question.review_reason) == ("draft", "reported by 3 learners")
    with pytest.raises(ValueError, match="unknown reason"):
        question_report(question=question, learner=first, reason="free text")


def report_url(question) -> str:
    chapter = question.chapter
    return reverse(
        "learning:question_report", args=[chapter.course.slug, chapter.slug, question.pk]
    )


def test_a_learner_reports_a_question_from_the_chapter_page():
    _course, chapter, question = exercise()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    page = client.get(chapter.get_absolute_url()).content.decode()
    assert report_url(question) in page

    form = client.get(report_url(question))
    html = form.content.decode()
    assert form.status_code == 200
    assert "<textarea" not in html and 'type="text"' not in html  # no free text
    assert html.count('type="radio"') == len(QuestionReport.Reason.values)
    assert form["Cache-Control"].startswith("max-age=0")

    assert client.post(report_url(question), {"reason": "unclear"}).status_code == 403  # CSRF
    token = form.cookies["csrftoken"].value
    sent = client.post(report_url(question), {"reason": "unclear", "csrfmiddlewaretoken": token})
    assert sent.status_code == 302 and sent["Location"].endswith(f"#exercise-{question.pk}")
    assert QuestionReport.objects.get().reason == "unclear"


def test_reports_need_an_account_and_a_question_of_that_chapter():
    course, chapter, question = exercise()
    anonymous = Client().get(report_url(question))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    elsewhere = make_question(course=make_course(chapters=1), stem="Which is elsewhere?")
    client = Client()
    client.force_login(make_user())
    wrong = reverse("learning:question_report", args=[course.slug, chapter.slug, elsewhere.pk])
    assert client.get(wrong).status_code == 404


@override_settings(RATE_LIMITS={"report": (2, 3600)})
def test_reports_are_rate_limited():
    inside_one_window()
    course = make_course(chapters=1)
    chapter = course.chapters.get()
    questions = [make_question(chapter=chapter, stem=f"Which is number {n}?") for n in range(3)]
    client = Client()
    client.force_login(make_user())
    codes = [client.post(report_url(q), {"reason": "unclear"}).status_code for q in questions]
    assert codes == [302, 302, 429]
    assert QuestionReport.objects.count() == 2


def test_reports_are_in_the_learners_data_and_go_with_the_account(client):
    from learning.learner_data import learner_data_export, learner_erase

    _course, _chapter, question = exercise()
    learner = make_user()
    question_report(question=question, learner=learner, reason="unclear")
    exported = learner_data_export(learner=learner)
    assert [r["reason"] for r in exported["question_reports"]] == ["unclear"]
    learner_erase(learner=learner, via="test")
    assert not QuestionReport.objects.exists()


def test_a_single_choice_bank_item_replaces_the_exercise_before_other_kinds():
    course, chapter, exercise_item = exercise()
    statement = make_question(
        course=course,
        qtype="truefalse",
        stem="Active listening means hearing the customer out.",
        choices=[{"text": "True", "fraction": 1}, {"text": "False", "fraction": 0}],
    )
    single = make_question(course=course, stem="Which technique is in the bank?")
    Question.objects.filter(pk__in=[statement.pk, single.pk]).update(source_chapter=chapter)
    replacement = question_send_to_review(question=exercise_item, reason="reported")
    assert replacement.pk == single.pk


def test_publishing_again_clears_the_reason_an_item_was_sent_back():
    from quizzes.services import questions_set_status

    _course, _chapter, question = exercise()
    question_send_to_review(question=question, reason="reported by 3 learners")
    questions_set_status(questions=Question.objects.filter(pk=question.pk), status="published")
    question.refresh_from_db()
    assert (question.status, question.review_reason) == ("published", "")
