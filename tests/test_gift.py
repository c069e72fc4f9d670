"""GIFT parsing, feature by feature and error by error, on files in tests/data/gift."""

from decimal import Decimal
from pathlib import Path

import pytest

from quizzes.formats import FormatError, parse_file
from quizzes.formats.gift import parse_gift, write_gift
from quizzes.models import BLANK

DATA = Path(__file__).parent / "data" / "gift"


@pytest.fixture(scope="module")
def parsed():
    return parse_file(path=DATA / "all_types.gift")


@pytest.fixture(scope="module")
def by_name(parsed):
    return {question.name or question.stem: question for question in parsed.questions}


def gift(text: str):
    return parse_gift(text, path=Path("inline.gift"))


def test_every_item_of_the_sample_is_read_with_its_line(parsed):
    assert [q.line for q in parsed.questions] == [4, 11, 17, 19, 21, 23, 27, 29, 31, 37, 44, 51, 53]
    assert parsed.warnings == []


def test_single_choice_with_feedback_and_general_feedback(by_name):
    question = by_name["Calm voice"]
    assert question.qtype == "single"
    assert question.stem == "What helps most when a customer is angry?"
    assert [(c.text, c.fraction, c.feedback) for c in question.choices] == [
        ("Raising your voice", 0, "That escalates."),
        ("Active listening", 1, "Yes: people calm down when heard."),
        ("Changing the subject", 0, ""),
    ]
    assert question.general_feedback == "Listening first, solutions second."


def test_tilde_only_answers_make_a_multiple_response_with_weights(by_name):
    question = by_name["Two right"]
    assert question.qtype == "multiple"
    assert [c.fraction for c in question.choices] == [Decimal("0.5"), Decimal("0.5"), Decimal("-1")]
    assert question.choices[1].text == "Admitting mistakes"
    assert question.choices[1].feedback == "honest"


def test_text_after_the_answers_makes_a_missing_word_question(by_name):
    question = by_name[f"Active listening means {BLANK} to the speaker."]
    assert question.qtype == "missingword"
    assert [c.text for c in question.choices if c.fraction == 1] == ["paying attention"]


def test_true_false_feedback_goes_to_the_choice_that_shows_it(by_name):
    question = by_name["Truth"]
    assert question.qtype == "truefalse"
    true, false = question.choices
    assert (true.text, true.fraction, true.feedback) == ("True", 1, "Right: a pause helps.")
    assert (false.text, false.fraction, false.feedback) == ("False", 0, "Think again.")
    assert question.general_feedback == "Pauses let people think."


def test_short_letter_f_is_false(by_name):
    question = by_name["Interrupting shows respect."]
    assert question.qtype == "truefalse"
    assert [c.fraction for c in question.choices] == [0, 1]


def test_short_answer_keeps_weights_and_the_wildcard(by_name):
    question = by_name["Capital"]
    assert question.qtype == "shortanswer"
    assert [(c.text, c.fraction, c.feedback) for c in question.choices] == [
        ("Paris", 1, ""),
        ("paris, France", Decimal("0.5"), "Close enough."),
        ("*", 0, "Not a city we know."),
    ]
    assert question.category == "$course$/Listening skills"


def test_numerical_answer_with_tolerance(by_name):
    question = by_name["Pi"]
    assert question.qtype == "numerical"
    (choice,) = question.choices
    assert (choice.value, choice.tolerance, choice.feedback) == (3.14, 0.005, "Good.")
    assert question.category == "$course$/Numbers"


def test_numerical_range_is_stored_as_midpoint_and_half_width(by_name):
    (choice,) = by_name["A number from 1 to 5:"].choices
    assert (choice.value, choice.tolerance) == (3.0, 2.0)


def test_several_weighted_numerical_answers_and_wrong_answer_feedback(by_name):
    choices = by_name["Weighted"].choices
    assert [(c.value, c.tolerance, c.fraction, c.feedback) for c in choices[:2]] == [
        (1989.0, 0.0, 1, "Exactly."),
        (1990.0, 1.0, Decimal("0.5"), "Close."),
    ]
    catch_all = choices[2]
    assert (catch_all.text, catch_all.value, catch_all.fraction) == ("*", None, 0)
    assert catch_all.feedback == "Look it up."


def test_matching_pairs_and_a_distractor_with_html_stem(by_name):
    question = by_name["Match"]
    assert question.qtype == "matching"
    assert question.stem == "Match the <b>word</b> to its meaning."
    assert [(c.text, c.match_text) for c in question.choices] == [
        ("Empathy", "Feeling with someone"),
        ("Sympathy", "Feeling for someone"),
        ("", "Feeling nothing"),
    ]


def test_escaped_control_characters_and_multi_line_stem(by_name):
    question = by_name["Escapes: all of them"]
    assert question.stem == "Which one is a *literal* {brace}\nin GIFT\nsyntax?"
    assert [(c.text, c.feedback) for c in question.choices] == [
        ("{ }", "Right: braces are escaped."),
        ("~ and =", "Those # too."),
        ("a back\\slash", ""),
    ]


def test_plain_text_is_escaped_so_markdown_shows_it_literally(by_name):
    question = by_name["Which is bigger: 2\\*3 or &lt;7>?"]
    assert [c.text for c in question.choices] == ["&lt;7>", "2\\*3"]


def test_weights_rounded_like_moodle_are_accepted_as_thirds(by_name):
    question = by_name["Plain Moodle text with 33.333 weights."]
    assert [c.fraction for c in question.choices] == [
        Decimal("0.3333333"),
        Decimal("0.3333333"),
        Decimal("0.3333333"),
        Decimal("-1"),
    ]


def test_comments_and_names_never_reach_the_text(parsed):
    assert all("//" not in q.stem and "::" not in q.stem for q in parsed.questions)


def test_descriptions_and_essays_are_skipped_with_a_warning_naming_the_line():
    result = parse_file(path=DATA / "description_and_essay.gift")
    assert [q.name for q in result.questions] == ["Kept"]
    assert len(result.warnings) == 2
    assert result.warnings[0].startswith("line 2: description")
    assert result.warnings[1].startswith("line 4: essay question 'Reflect'")


def test_text_format_tags_are_removed_from_answers_and_feedback():
    (question,) = gift("Colour?{\n=[html]<i>yellow</i> # [plain]right\n~[moodle]red\n}").questions
    assert [(c.text, c.feedback) for c in question.choices] == [
        ("<i>yellow</i>", "right"),
        ("red", ""),
    ]


def test_unknown_bracket_word_stays_in_the_text():
    (question,) = gift("[note] Is this kept?{T}").questions
    assert question.stem == "\\[note\\] Is this kept?"


def test_category_line_directly_above_a_question_does_not_swallow_it():
    (question,) = gift("$CATEGORY: tom/dick\n::Q::Yes?{T}").questions
    assert (question.category, question.name) == ("tom/dick", "Q")


def test_backslash_before_a_control_character_can_itself_be_escaped():
    (question,) = gift("Path?{=C\\\\~%50%D ~E}").questions
    # "\\\\" is a literal backslash, so the "~" after it starts a new answer.
    assert [(c.text, c.fraction) for c in question.choices] == [
        ("C\\\\", 1),
        ("D", Decimal("0.5")),
        ("E", 0),
    ]


def test_newline_escape_becomes_a_line_break():
    (question,) = gift("One\\ntwo?{T}").questions
    assert question.stem == "One\ntwo?"


@pytest.mark.parametrize(
    ("filename", "line", "reason"),
    [
        ("unclosed_brace.gift", 3, "'{' is never closed"),
        ("stray_closing.gift", 1, "'}' before the answers' '{'"),
        ("two_blocks.gift", 2, "a second '{' in one question"),
        ("one_choice.gift", 1, "needs at least two choices (found 1)"),
        ("bad_weight.gift", 3, "weight 45% is not one Moodle allows"),
        ("multiple_not_100.gift", 1, "must add up to 100%"),
        ("not_a_number.gift", 3, "'three' is not a number"),
        ("one_pair.gift", 1, "needs at least two pairs (found 1)"),
        ("empty.gift", None, "the file is empty"),
        ("only_comments.gift", 1, "no GIFT questions found"),
        ("latin1.gift", 1, "not UTF-8 text"),
        ("binary.gift", 1, "binary data"),
    ],
)
def test_bad_file_is_refused_with_file_line_and_reason(filename, line, reason):
    with pytest.raises(FormatError) as caught:
        parse_file(path=DATA / "errors" / filename)
    message = str(caught.value)
    where = f" line {line}" if line else ""
    assert message.startswith(f"{filename}{where}: ")
    assert reason in message
    assert "\n" not in message


def test_matching_item_without_arrow_is_refused():
    with pytest.raises(FormatError, match=r"line 3: matching pair 'three' has no '->'"):
        gift("Match.{\n=one -> 1 =two -> 2\n=three\n}")


def test_short_answer_without_full_marks_is_refused():
    with pytest.raises(FormatError, match="no answer is worth 100%"):
        gift("Name?{=%50%half}")


def test_missing_file_is_a_format_error_not_a_traceback(tmp_path):
    with pytest.raises(FormatError, match=r"^nothing\.gift: cannot be read"):
        parse_file(path=tmp_path / "nothing.gift")


def test_unknown_extension_asks_for_a_format(tmp_path):
    path = tmp_path / "questions.txt"
    path.write_text("Q?{T}")
    with pytest.raises(FormatError, match="cannot tell the format"):
        parse_file(path=path)
    assert len(parse_file(path=path, fmt="gift").questions) == 1


def test_writing_then_reading_gives_the_same_questions(parsed):
    again = parse_gift(write_gift(parsed.questions), path=Path("export.gift"))
    for question in [*parsed.questions, *again.questions]:
        question.line = 0
    assert again.questions == parsed.questions


def test_written_gift_escapes_control_characters_and_marks_markdown(by_name):
    text = write_gift([by_name["Escapes: all of them"]])
    assert "::Escapes\\: all of them::[markdown]Which one is a *literal* \\{brace\\}\\nin" in text
    assert "\t=\\{ \\}#Right\\: braces are escaped.\n" in text


@pytest.mark.parametrize("answers", ["{#1e400}", "{#5:1e400}", "{#1..1e400}"])
def test_numbers_beyond_a_float_are_refused_with_their_line(answers):
    # 1e400 imported as infinity: an infinite tolerance graded every answer right and the
    # export then crashed (issue 26).
    with pytest.raises(FormatError, match=r"inline.gift line 2: '1e400' is too large a number"):
        gift(f"// a comment\n::Big::How big? {answers}\n")
