"""Server-side grading rules, one behaviour per test, for every question type."""

from decimal import Decimal

import pytest

from quizzes.services import response_grade
from quizzes.services.grading import short_answer_matches
from tests.conftest import choice_key, make_course, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return make_course(chapters=1)


def test_single_choice_right_answer_scores_full(course):
    q = make_question(course=course)
    grade = response_grade(question=q, response={"choice": choice_key(q, "Active listening")})
    assert grade.correct and grade.score == 1


def test_single_choice_wrong_answer_scores_zero_with_its_feedback(course):
    q = make_question(course=course)
    grade = response_grade(question=q, response={"choice": choice_key(q, "Raising your voice")})
    assert not grade.correct and grade.score == 0
    assert grade.feedback_html == ["<p>That escalates.</p>"]


def test_unknown_choice_key_scores_zero(course):
    q = make_question(course=course)
    assert response_grade(question=q, response={"choice": "forged"}).score == 0
    assert response_grade(question=q, response={}).score == 0


def test_single_choice_partial_credit_is_not_correct(course):
    q = make_question(
        course=course,
        choices=[{"text": "Best", "fraction": 1}, {"text": "Half", "fraction": Decimal("0.5")}],
    )
    grade = response_grade(question=q, response={"choice": choice_key(q, "Half")})
    assert grade.score == Decimal("0.5") and not grade.correct


def _multi(course):
    return make_question(
        course=course,
        qtype="multiple",
        choices=[
            {"text": "Listen", "fraction": Decimal("0.5")},
            {"text": "Empathise", "fraction": Decimal("0.5")},
            {"text": "Shout", "fraction": Decimal("-1")},
            {"text": "Wait", "fraction": 0},
        ],
    )


def test_multiple_response_sums_chosen_weights(course):
    q = _multi(course)
    both = [choice_key(q, "Listen"), choice_key(q, "Empathise")]
    assert response_grade(question=q, response={"choices": both}).correct
    one = response_grade(question=q, response={"choices": both[:1]})
    assert one.score == Decimal("0.5") and not one.correct


def test_multiple_response_score_is_floored_at_zero(course):
    q = _multi(course)
    keys = [choice_key(q, "Listen"), choice_key(q, "Shout")]
    assert response_grade(question=q, response={"choices": keys}).score == 0


def test_multiple_response_counts_a_repeated_key_once(course):
    q = _multi(course)
    key = choice_key(q, "Listen")
    assert response_grade(question=q, response={"choices": [key, key]}).score == Decimal("0.5")


def test_multiple_response_thirds_add_up_to_right(course):
    third = Decimal("0.3333333")
    q = make_question(
        course=course,
        qtype="multiple",
        choices=[
            {"text": "A", "fraction": third},
            {"text": "B", "fraction": third},
            {"text": "C", "fraction": third},
            {"text": "D", "fraction": -1},
        ],
    )
    keys = [choice_key(q, t) for t in "ABC"]
    assert response_grade(question=q, response={"choices": keys}).correct


def test_true_false_feedback_depends_on_the_answer(course):
    q = make_question(
        course=course,
        qtype="truefalse",
        choices=[
            {"text": "True", "fraction": 1, "feedback": "Right: calm is contagious."},
            {"text": "False", "fraction": 0, "feedback": "No: staying calm helps."},
        ],
    )
    right = response_grade(question=q, response={"choice": choice_key(q, "True")})
    wrong = response_grade(question=q, response={"choice": choice_key(q, "False")})
    assert right.correct and "calm is contagious" in right.feedback_html[0]
    assert not wrong.correct and "staying calm helps" in wrong.feedback_html[0]


def test_short_answer_is_case_insensitive_and_weighted(course):
    q = make_question(
        course=course,
        qtype="shortanswer",
        choices=[
            {"text": "active listening", "fraction": 1},
            {"text": "listening", "fraction": Decimal("0.5")},
        ],
    )
    assert response_grade(question=q, response={"text": "  Active   LISTENING "}).correct
    half = response_grade(question=q, response={"text": "Listening"})
    assert half.score == Decimal("0.5")
    assert response_grade(question=q, response={"text": "shouting"}).score == 0


def test_short_answer_wildcard_matches_any_text():
    assert short_answer_matches("*listen*", "Active listening")
    assert short_answer_matches("em*thy", "Empathy")
    assert not short_answer_matches("em*thy", "apathy")
    assert not short_answer_matches("a.c", "abc")  # regex characters are literal


def test_short_answer_empty_text_scores_zero(course):
    q = make_question(course=course, qtype="shortanswer", choices=[{"text": "*", "fraction": 1}])
    assert response_grade(question=q, response={"text": "   "}).score == 0


def test_numerical_accepts_value_within_tolerance(course):
    q = make_question(
        course=course,
        qtype="numerical",
        choices=[{"value": 3.14, "tolerance": 0.01, "fraction": 1}],
    )
    assert response_grade(question=q, response={"number": "3.15"}).correct
    assert response_grade(question=q, response={"number": "3,141"}).correct
    assert not response_grade(question=q, response={"number": "3.16"}).correct


def test_numerical_range_is_stored_as_midpoint_and_half_width(course):
    q = make_question(
        course=course, qtype="numerical", choices=[{"value": 3.0, "tolerance": 2.0, "fraction": 1}]
    )  # 1..5
    assert response_grade(question=q, response={"number": "1"}).correct
    assert response_grade(question=q, response={"number": "5"}).correct
    assert not response_grade(question=q, response={"number": "5.01"}).correct


def test_numerical_best_weighted_answer_wins(course):
    q = make_question(
        course=course,
        qtype="numerical",
        choices=[
            {"value": 1822, "tolerance": 0, "fraction": 1},
            {"value": 1822, "tolerance": 2, "fraction": Decimal("0.5")},
        ],
    )
    assert response_grade(question=q, response={"number": "1822"}).score == 1
    assert response_grade(question=q, response={"number": "1823"}).score == Decimal("0.5")


def test_numerical_rejects_non_numbers(course):
    q = make_question(
        course=course, qtype="numerical", choices=[{"value": 1, "tolerance": 0, "fraction": 1}]
    )
    for junk in ["", "one", "nan", "inf", "1e999999"]:
        assert response_grade(question=q, response={"number": junk}).score == 0


def _matching(course):
    return make_question(
        course=course,
        qtype="matching",
        choices=[
            {"text": "Empathy", "match_text": "Sharing feelings"},
            {"text": "Patience", "match_text": "Letting them finish"},
            {"text": "", "match_text": "Raising your voice"},
        ],
    )


def test_matching_all_pairs_right_is_correct(course):
    q = _matching(course)
    keys = {c.match_text: c.key for c in q.choices.all()}
    subs = {c.text: c.key for c in q.choices.all() if c.text}
    response = {
        "matches": {
            subs["Empathy"]: keys["Sharing feelings"],
            subs["Patience"]: keys["Letting them finish"],
        }
    }
    assert response_grade(question=q, response=response).correct


def test_matching_scores_share_of_right_pairs_and_distractor_is_wrong(course):
    q = _matching(course)
    keys = {c.match_text: c.key for c in q.choices.all()}
    subs = {c.text: c.key for c in q.choices.all() if c.text}
    response = {
        "matches": {
            subs["Empathy"]: keys["Sharing feelings"],
            subs["Patience"]: keys["Raising your voice"],
        }
    }
    grade = response_grade(question=q, response=response)
    assert grade.score == Decimal("0.5") and not grade.correct


def test_missing_word_is_graded_like_single_choice(course):
    q = make_question(
        course=course,
        qtype="missingword",
        stem="Stay _____ and professional.",
        choices=[{"text": "calm", "fraction": 1}, {"text": "loud", "fraction": 0}],
    )
    assert response_grade(question=q, response={"choice": choice_key(q, "calm")}).correct
    assert not response_grade(question=q, response={"choice": choice_key(q, "loud")}).correct


def test_numerical_catch_all_answer_gives_its_feedback_to_other_numbers(course):
    q = make_question(
        course=course,
        qtype="numerical",
        choices=[
            {"value": 24, "tolerance": 0, "fraction": 1, "feedback": "Yes, 24."},
            {"text": "*", "fraction": 0, "feedback": "Count the sections again."},
        ],
    )
    wrong = response_grade(question=q, response={"number": "20"})
    assert not wrong.correct and "Count the sections again." in wrong.feedback_html[0]
    right = response_grade(question=q, response={"number": "24"})
    assert right.correct and right.feedback_html == ["<p>Yes, 24.</p>"]
