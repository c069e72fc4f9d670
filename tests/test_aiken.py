"""Aiken parsing on files in tests/data/aiken."""

from pathlib import Path

import pytest

from quizzes.formats import FormatError, parse_file
from quizzes.formats.aiken import parse_aiken

DATA = Path(__file__).parent / "data" / "aiken"


@pytest.fixture(scope="module")
def questions():
    return parse_file(path=DATA / "sample.aiken.txt").questions


def test_questions_are_single_choice_with_the_answer_letter_right(questions):
    first = questions[0]
    assert first.qtype == "single"
    assert first.line == 1
    assert first.stem == "What should you do first with an angry customer?"
    assert [(c.text, c.fraction) for c in first.choices] == [
        ("Offer a refund", 0),
        ("Listen without interrupting", 1),
        ("Call a manager", 0),
        ("Explain the policy", 0),
    ]


def test_dot_labels_work_and_text_is_plain_not_html(questions):
    second = questions[1]
    assert second.line == 8
    assert second.stem == "Which tag shows &lt;b>bold&lt;/b> text &amp; why?"
    assert [c.text for c in second.choices] == ["The &lt;b> tag", "The &lt;i> tag"]
    assert second.choices[0].fraction == 1


def test_question_text_may_run_over_several_lines(questions):
    assert questions[2].stem == "A question whose text\ngoes on for two lines?"


def test_aiken_extension_is_detected(tmp_path):
    path = tmp_path / "quiz.aiken"
    path.write_text("Sky?\nA) blue\nB) green\nANSWER: A\n")
    assert len(parse_file(path=path).questions) == 1


def test_lower_case_answer_letter_and_windows_line_ends(tmp_path):
    path = tmp_path / "quiz.aiken"
    path.write_bytes(b"Sky?\r\nA) blue\r\nB) green\r\nANSWER: b\r\n")
    (question,) = parse_file(path=path).questions
    assert [c.fraction for c in question.choices] == [0, 1]


@pytest.mark.parametrize(
    ("filename", "line", "reason"),
    [
        ("answer_not_an_option.aiken", 4, "answer C is not one of the options A, B"),
        ("option_before_question.aiken", 1, "option 'A)' comes before any question"),
        ("missing_answer.aiken", 1, "question 'Question one?' has no ANSWER line"),
        ("missing_answer_at_end.aiken", 1, "has no ANSWER line"),
        ("one_option.aiken", 3, "at least two options (found 1)"),
        ("empty.aiken", None, "the file is empty"),
    ],
)
def test_bad_aiken_file_is_refused_with_file_line_and_reason(filename, line, reason):
    with pytest.raises(FormatError) as caught:
        parse_file(path=DATA / "errors" / filename)
    where = f" line {line}" if line else ""
    assert str(caught.value).startswith(f"{filename}{where}: ")
    assert reason in str(caught.value)


def test_answer_line_without_a_question_is_refused():
    with pytest.raises(FormatError, match="line 1: ANSWER line without a question"):
        parse_aiken("ANSWER: A\n", path=Path("x.aiken"))


def test_repeated_option_letter_is_refused():
    with pytest.raises(FormatError, match="line 3: option A appears twice"):
        parse_aiken("Q?\nA) one\nA) two\nANSWER: A\n", path=Path("x.aiken"))
