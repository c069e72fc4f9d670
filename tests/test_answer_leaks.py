"""Nothing in an exercise's markup tells a right option from a wrong one (issue 9, item 1).

Every question type is stored the way GIFT writes it, right answer first, and then attacked
with the guess a hostile learner would make from the page: the first option, names equal to
values, positions. Each attack must miss (or, for a guess among options, be right no more
often than chance), on SQLite and PostgreSQL alike.
"""

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests.conftest import make_course, make_question, make_user
from tests.exercise_form import exercise_form

pytestmark = pytest.mark.django_db

# Learners per test, each with their own shuffle. With 24 the chance tests failed about once
# in 80 runs (no right pick at all, (5/6)**24 = 1.3%, seen once); with 64 that is (5/6)**64,
# under 1 in 100,000, and the bounds below stay as wide.
LEARNERS = 64

SINGLE = [
    {"text": "Active listening", "fraction": 1},
    {"text": "Raising your voice", "fraction": 0},
    {"text": "Ignoring the customer", "fraction": 0},
    {"text": "Changing the subject", "fraction": 0},
]
MULTIPLE = [
    {"text": "Stay calm", "fraction": 0.5},
    {"text": "Listen", "fraction": 0.5},
    {"text": "Shout", "fraction": -1},
    {"text": "Hang up", "fraction": -1},
]
MATCH = [
    {"text": "cat", "match_text": "meow"},
    {"text": "dog", "match_text": "woof"},
    {"text": "cow", "match_text": "moo"},
]


@pytest.fixture
def course():
    return make_course(chapters=1)


def _page(client, course) -> str:
    chapter = course.chapters.get()
    return client.get(
        reverse("learning:chapter", args=[course.slug, chapter.slug])
    ).content.decode()


def _post(client, course, question, data) -> bool:
    chapter = course.chapters.get()
    client.post(
        reverse("learning:answer", args=[course.slug, chapter.slug]),
        {"question": question.pk, **data},
    )
    return Attempt.objects.filter(question=question).order_by("-pk").first().correct


def _as_new_learner(client):
    learner = make_user()
    client.force_login(learner)
    return learner


def _same_but_values(attrs: list[dict[str, str]]) -> set:
    return {tuple(sorted((k, v) for k, v in a.items() if k not in ("value", "id"))) for a in attrs}


def test_matching_select_names_do_not_name_their_right_option(client, course):
    question = make_question(
        chapter=course.chapters.get(), qtype="matching", stem="Match the sounds", choices=MATCH
    )
    _as_new_learner(client)
    html = _page(client, course)
    form = exercise_form(html, question.pk)
    values = {v for _, options in form.selects.values() for v in options.values()}
    names = {name.removeprefix("match-") for name, _ in form.selects.values()}
    assert not names & values
    for choice in question.choices.all():
        assert choice.key not in html
    # The attack of the report: every select answered with its own name's key.
    attack = {name: name.removeprefix("match-") for name, _ in form.selects.values()}
    assert _post(client, course, question, attack) is False
    # The stored keys, which the old page showed, are not accepted either.
    stored = {f"match-{c.key}": c.key for c in question.choices.all()}
    assert _post(client, course, question, stored) is False


def test_matching_options_in_the_same_position_are_not_the_answer(client, course):
    question = make_question(
        chapter=course.chapters.get(), qtype="matching", stem="Match the sounds", choices=MATCH
    )
    rights = 0
    for _ in range(LEARNERS):
        _as_new_learner(client)
        form = exercise_form(_page(client, course), question.pk)
        assert len(_same_but_values(form.options)) == 1
        # Sub-question n takes option n: a positional guess.
        guess = {
            name: list(options.values())[n]
            for n, (name, options) in enumerate(form.selects.values())
        }
        rights += _post(client, course, question, guess)
    assert rights < LEARNERS / 2


@pytest.mark.parametrize(
    ("qtype", "stem", "choices", "right_share"),
    [
        ("single", "Which technique helps?", SINGLE, 1 / 4),
        ("missingword", "Good service starts with _____ to the customer.", SINGLE, 1 / 4),
        ("multiple", "Which two help?", MULTIPLE, 1 / 6),
    ],
)
def test_the_first_options_in_the_markup_are_right_only_by_chance(
    client, course, qtype, stem, choices, right_share
):
    question = make_question(chapter=course.chapters.get(), qtype=qtype, stem=stem, choices=choices)
    picks = 2 if qtype == "multiple" else 1
    rights = 0
    for _ in range(LEARNERS):
        _as_new_learner(client)
        form = exercise_form(_page(client, course), question.pk)
        assert len(_same_but_values(form.inputs)) == 1  # alike apart from value and id
        rights += _post(client, course, question, form.choose(*list(form.choices)[:picks]))
    # Stored right-first, yet the first options are right about as often as chance says.
    assert 0 < rights <= LEARNERS * right_share * 2.5


def test_true_false_reads_the_same_whichever_answer_is_right(client):
    pages = []
    learner = make_user()
    client.force_login(learner)
    for answer in (True, False):
        course = make_course(chapters=1)
        question = make_question(
            chapter=course.chapters.get(),
            qtype="truefalse",
            stem="Calm helps.",
            choices=[
                {"text": "True", "fraction": 1 if answer else 0},
                {"text": "False", "fraction": 0 if answer else 1},
            ][:: 1 if answer else -1],  # stored in either order
        )
        form = exercise_form(_page(client, course), question.pk)
        pages.append((list(form.choices), _same_but_values(form.inputs)))
        # The obvious guess, the first option, is "True": right only for the true statement.
        assert _post(client, course, question, form.choose(list(form.choices)[0])) is answer
    assert pages[0] == pages[1]
    assert pages[0][0] == ["True", "False"]


@pytest.mark.parametrize(
    ("qtype", "choices", "secret"),
    [
        ("shortanswer", [{"text": "empathy", "fraction": 1}], "empathy"),
        ("numerical", [{"value": 2417.125, "tolerance": 0, "fraction": 1}], "2417"),
    ],
)
def test_typed_answers_are_nowhere_in_the_page(client, course, qtype, choices, secret):
    question = make_question(
        chapter=course.chapters.get(), qtype=qtype, stem="Type it.", choices=choices
    )
    _as_new_learner(client)
    html = _page(client, course)
    card = html.split(f'id="exercise-{question.pk}"')[1].split("</form>")[0]
    assert secret not in card
    assert _post(client, course, question, {"text": "", "number": "0"}) is False


def test_option_names_differ_between_learners(client, course):
    question = make_question(chapter=course.chapters.get(), choices=SINGLE)
    seen = []
    for _ in range(2):
        _as_new_learner(client)
        seen.append(
            set(v for _, v in exercise_form(_page(client, course), question.pk).choices.values())
        )
    assert not seen[0] & seen[1]


def test_another_learners_names_are_not_accepted(client, course):
    question = make_question(chapter=course.chapters.get(), choices=SINGLE)
    _as_new_learner(client)
    theirs = exercise_form(_page(client, course), question.pk).choose("Active listening")
    _as_new_learner(client)
    assert _post(client, course, question, theirs) is False
