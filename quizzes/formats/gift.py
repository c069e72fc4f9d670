"""GIFT, read as Moodle reads it (question/format/gift/format.php), and written back.

Reading follows Moodle's rules so that a file Moodle imports gives the same questions
here: blank lines separate items, ``//`` lines are comments, the first ``{`` and ``}``
hold the answers, text after the ``}`` makes a missing-word blank, and the question type
is decided from the answer text in Moodle's order (numerical, choice, matching,
true/false, short answer). Where Moodle would silently import something broken (no
closing brace, a weight outside its list, a number that is not a number) this parser
refuses the whole file with the line that is wrong.
"""

import math
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from quizzes.models import BLANK, Question

from .common import (
    FormatError,
    ParsedChoice,
    ParsedQuestion,
    ParseResult,
    markdown_from,
    php_trim,
)

Type = Question.Type

TEXT_FORMATS = ("moodle", "html", "plain", "markdown")

# Moodle's question_bank::fraction_options_full(), as fractions.
_ALLOWED_PERCENTS = (
    "100",
    "90",
    "83.33333",
    "80",
    "75",
    "70",
    "66.66667",
    "60",
    "50",
    "40",
    "33.33333",
    "30",
    "25",
    "20",
    "16.66667",
    "14.28571",
    "12.5",
    "11.11111",
    "10",
    "5",
    "0",
)
ALLOWED_FRACTIONS = sorted(
    {sign * Decimal(p) / 100 for p in _ALLOWED_PERCENTS for sign in (1, -1)}, reverse=True
)
# Moodle's match_grade_options() accepts a fraction this close to an allowed one (33.333%).
_FRACTION_SLACK = Decimal("0.00001")

ONE = Decimal(1)
ZERO = Decimal(0)
_SEVEN_PLACES = Decimal("0.0000001")

# Escaped control characters become private-use placeholders while the structure is
# read, and the characters they stand for afterwards.
_PLACEHOLDERS = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
}
_UNESCAPE = {ph: ("\n" if ch == "n" else ch) for ch, ph in _PLACEHOLDERS.items()}
_ESCAPE_RE = re.compile(r"\\(.)")
_UNESCAPE_RE = re.compile("[" + "".join(_UNESCAPE) + "]")
_WEIGHT_RE = re.compile(r"%([^%\s]*)%")
_FORMAT_RE = re.compile(r"\[(\w+)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _escape_pre(line: str) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char == "\\":
            return "\\"
        return _PLACEHOLDERS.get(char, match.group(0))

    return _ESCAPE_RE.sub(replace, line)


def _unescape(text: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPE[m.group(0)], text)


def _split_format(text: str, default: str) -> tuple[str, str]:
    """Moodle's parse_text_with_format(): a leading [html] etc. sets the text's format."""
    match = _FORMAT_RE.match(text)
    if match and match.group(1) in TEXT_FORMATS:
        return match.group(1), text[match.end() :]
    return default, text


def _rich(text: str, default: str) -> str:
    """Answer, feedback or sub-question text as Markdown."""
    text_format, body = _split_format(php_trim(text), default)
    return php_trim(markdown_from(_unescape(body), text_format))


def _plain(text: str, default: str) -> str:
    """Text compared with what a learner types: format tag dropped, nothing escaped."""
    _, body = _split_format(php_trim(text), default)
    return php_trim(_unescape(body))


class _Item:
    """One blank-line separated block of the file, with the line number of every line."""

    def __init__(self, path: Path, lines: list[tuple[int, str]]):
        self.path = path
        self.linenos = [number for number, _ in lines]
        self.text = "\n".join(content for _, content in lines)

    def line(self, offset: int) -> int:
        return self.linenos[self.text.count("\n", 0, max(offset, 0))]

    def error(self, offset: int, message: str) -> FormatError:
        return FormatError(self.path, self.line(offset), message)


def _items(path: Path, text: str):
    """Blocks separated by blank lines; comment lines are kept empty so lines still count."""
    block: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = php_trim(raw)
        if not line:
            if block:
                yield block
            block = []
            continue
        block.append((number, "" if line.startswith("//") else _escape_pre(line)))
    if block:
        yield block


def _trimmed_block(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    start, end = 0, len(block)
    while start < end and not block[start][1]:
        start += 1
    while end > start and not block[end - 1][1]:
        end -= 1
    return block[start:end]


def parse_gift(text: str, *, path: Path) -> ParseResult:
    result = ParseResult()
    category = ""
    for block in _items(path, text):
        block = _trimmed_block(block)
        if not block:
            continue
        if block[0][1].startswith("$CATEGORY:"):
            category = _unescape(php_trim(block[0][1][len("$CATEGORY:") :]))
            # Moodle wants a blank line after the category; a question straight under it
            # is read rather than swallowed into the category name.
            block = _trimmed_block(block[1:])
            if not block:
                continue
        question = _parse_item(_Item(path, block), result.warnings)
        if question is not None:
            question.category = category
            result.questions.append(question)
    return result


def _parse_item(item: _Item, warnings: list[str]) -> ParsedQuestion | None:
    text = item.text
    first_line = item.line(0)
    pos = 0
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end == -1:
            pos = 2
        else:
            name = php_trim(_unescape(text[2:end]))[:255]
            pos = end + 2
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1

    opening, closing = text.find("{", pos), text.find("}", pos)
    if opening == -1 and closing == -1:
        label = f" '{name}'" if name else ""
        warnings.append(
            f"line {first_line}: description{label} not imported: it has no answer block, "
            "and only gradable questions are imported"
        )
        return None
    if opening == -1:
        raise item.error(closing, "'}' without an opening '{' (write a literal brace as \\})")
    if closing == -1:
        raise item.error(opening, "'{' is never closed (write a literal brace as \\{)")
    if closing < opening:
        raise item.error(closing, "'}' before the answers' '{' (write a literal brace as \\})")
    extra = min(
        (i for i in (text.find("{", opening + 1), text.find("}", closing + 1)) if i != -1),
        default=-1,
    )
    if extra != -1:
        raise item.error(
            extra,
            f"a second '{text[extra]}' in one question: separate questions with a blank "
            f"line, or write a literal brace as \\{text[extra]}",
        )

    answers_at = opening + 1
    answers = text[answers_at:closing]
    stem_before = text[pos:opening]
    stem_after = text[closing + 1 :]
    has_blank = php_trim(stem_after) != ""

    general_feedback = ""
    separator = answers.rfind("####")
    if separator != -1:
        general_feedback = answers[separator + 4 :]
        answers = answers[:separator]

    text_format, stem_before = _split_format(stem_before, "moodle")
    stem = markdown_from(_unescape(stem_before), text_format)
    if has_blank:
        stem += BLANK + markdown_from(_unescape(stem_after), text_format)
    question = ParsedQuestion(
        qtype="",
        stem=php_trim(stem),
        line=first_line,
        name=name,
        general_feedback=_rich(general_feedback, text_format),
    )

    stripped = php_trim(answers)
    if not stripped:
        label = f" '{name}'" if name else ""
        warnings.append(
            f"line {first_line}: essay question{label} not imported: essays cannot be "
            "graded automatically"
        )
        return None
    # Offsets below are into ``text`` so that errors name the right line.
    parser = _AnswerParser(item, answers, answers_at, text_format)
    if stripped.startswith("#"):
        parser.numerical(question)
    elif "~" in stripped:
        parser.choices(question, has_blank=has_blank)
    elif "=" in stripped and "->" in stripped:
        parser.matching(question)
    else:
        head = php_trim(stripped.split("#", 1)[0])
        if head in _TRUE_FALSE:
            parser.true_false(question, answer=_TRUE_FALSE[head])
        else:
            parser.short_answer(question)
    return question


class _AnswerParser:
    def __init__(self, item: _Item, answers: str, offset: int, text_format: str):
        self.item = item
        self.answers = answers
        self.offset = offset
        self.text_format = text_format

    def error(self, at: int, message: str) -> FormatError:
        return self.item.error(self.offset + at, message)

    def pieces(self, markers: str, text: str | None = None, start: int = 0):
        """(marker, body, offset) for each answer; a leading unmarked answer has marker ''."""
        text = self.answers if text is None else text
        cuts = [m.start() for m in re.finditer(f"[{re.escape(markers)}]", text)]
        head = text[: cuts[0]] if cuts else text
        if php_trim(head):
            yield "", head, start + len(head) - len(head.lstrip(" \t\n"))
        for index, cut in enumerate(cuts):
            end = cuts[index + 1] if index + 1 < len(cuts) else len(text)
            yield text[cut], text[cut + 1 : end], start + cut

    def weight(self, body: str, at: int) -> tuple[Decimal | None, str]:
        """A leading %N% weight as an allowed fraction, or None when there is none."""
        body = php_trim(body)
        match = _WEIGHT_RE.match(body)
        if not match:
            return None, body
        raw = _unescape(match.group(1))
        try:
            fraction = Decimal(raw) / 100
        except InvalidOperation:
            raise self.error(at, f"weight %{raw}% is not a number") from None
        for allowed in ALLOWED_FRACTIONS:
            if abs(fraction - allowed) <= _FRACTION_SLACK:
                return allowed.quantize(_SEVEN_PLACES), body[match.end() :]
        raise self.error(
            at,
            f"weight {raw}% is not one Moodle allows (100, 90, 83.33333, 80, 75, 70, "
            "66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, "
            "11.11111, 10, 5, 0 or their negatives)",
        )

    def choices(self, question: ParsedQuestion, *, has_blank: bool) -> None:
        single = "=" in self.answers
        for marker, body, at in self.pieces("~="):
            # Moodle reads "=%50%x" as a right answer whose text is "%50%x"; a weight is
            # what the author meant, so it is read as one here.
            fraction, body = self.weight(body, at)
            if fraction is None:
                fraction = ONE if marker == "=" else ZERO
            text, _, feedback = body.partition("#")
            text = _rich(text, self.text_format)
            if not text:
                continue  # Moodle drops answers with no text.
            question.choices.append(
                ParsedChoice(
                    text=text, fraction=fraction, feedback=_rich(feedback, self.text_format)
                )
            )
        if len(question.choices) < 2:
            raise self.error(
                0, f"a choice question needs at least two choices (found {len(question.choices)})"
            )
        if single:
            question.qtype = Type.MISSING_WORD if has_blank else Type.SINGLE
        else:
            question.qtype = Type.MULTIPLE
            total = sum((c.fraction for c in question.choices if c.fraction > 0), ZERO)
            if abs(total - ONE) > Decimal("0.005"):
                raise self.error(
                    0,
                    f"multiple-response weights must add up to 100% (the positive ones add "
                    f"up to {(total * 100).normalize():f}%); mark a single right answer "
                    "with '='",
                )

    def matching(self, question: ParsedQuestion) -> None:
        question.qtype = Type.MATCHING
        pairs = 0
        for _, body, at in self.pieces("="):
            if "->" not in body:
                raise self.error(at, f"matching pair '{php_trim(_unescape(body))}' has no '->'")
            sub, _, answer = body.partition("->")
            answer = php_trim(_unescape(answer))
            if not answer:
                raise self.error(at, "matching pair has nothing after '->'")
            if len(answer) > 255:
                raise self.error(at, "matching answer is longer than 255 characters")
            text = _rich(sub, self.text_format)
            pairs += bool(text)
            question.choices.append(ParsedChoice(text=text, match_text=answer))
        if pairs < 2:
            raise self.error(0, f"a matching question needs at least two pairs (found {pairs})")

    def true_false(self, question: ParsedQuestion, *, answer: bool) -> None:
        question.qtype = Type.TRUE_FALSE
        parts = self.answers.split("#", 2) + ["", ""]
        wrong, right = (_rich(part, self.text_format) for part in parts[1:3])
        question.choices = [
            ParsedChoice(
                text="True", fraction=ONE if answer else ZERO, feedback=right if answer else wrong
            ),
            ParsedChoice(
                text="False", fraction=ZERO if answer else ONE, feedback=wrong if answer else right
            ),
        ]

    def short_answer(self, question: ParsedQuestion) -> None:
        question.qtype = Type.SHORT_ANSWER
        for _, body, at in self.pieces("="):
            fraction, body = self.weight(body, at)
            text, _, feedback = body.partition("#")
            text = _plain(text, self.text_format)
            if not text:
                continue
            question.choices.append(
                ParsedChoice(
                    text=text,
                    fraction=ONE if fraction is None else fraction,
                    feedback=_rich(feedback, self.text_format),
                )
            )
        if not question.choices:
            raise self.error(0, "a short-answer question needs at least one accepted answer")
        self._needs_full_marks(question)

    def numerical(self, question: ParsedQuestion) -> None:
        question.qtype = Type.NUMERICAL
        start = self.answers.index("#") + 1
        answers = self.answers[start:]
        wrong_at = answers.find("~")
        wrong = None
        if wrong_at != -1:
            wrong = answers[wrong_at:]
            answers = answers[:wrong_at]
        for _, body, at in self.pieces("=", answers, start):
            fraction, body = self.weight(body, at)
            text, _, feedback = body.partition("#")
            text = _plain(text, self.text_format)
            choice = ParsedChoice(
                fraction=ONE if fraction is None else fraction,
                feedback=_rich(feedback, self.text_format),
            )
            if text == "*":
                choice.text = "*"
            else:
                choice.value, choice.tolerance = self._number_and_tolerance(text, at)
            question.choices.append(choice)
        if not question.choices:
            raise self.error(start, "a numerical question needs at least one answer")
        self._needs_full_marks(question)
        if wrong is not None:
            # Moodle keeps "~#feedback" as a catch-all answer worth nothing.
            question.choices.append(
                ParsedChoice(text="*", feedback=_rich(wrong.partition("#")[2], self.text_format))
            )

    def _number_and_tolerance(self, text: str, at: int) -> tuple[float, float]:
        if text.find("..") > 0:
            low, _, high = text.partition("..")
            low, high = self._number(low, at), self._number(high, at)
            if low > high:
                raise self.error(at, f"range {text} goes from high to low")
            middle = (low + high) / 2
            return float(middle), float(high - middle)
        if text.find(":") > 0:
            value, _, tolerance = text.partition(":")
            tolerance = self._number(tolerance, at)
            if tolerance < 0:
                raise self.error(at, f"tolerance {tolerance} is negative")
            return float(self._number(value, at)), float(tolerance)
        return float(self._number(text, at)), 0.0

    def _number(self, text: str, at: int) -> Decimal:
        text = php_trim(text)
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise self.error(at, f"'{text}' is not a number")
        if not math.isfinite(float(number)):
            # 1e400 is a Decimal, but infinite as the float a grade is computed with: an
            # infinite tolerance would grade every answer right (issue 26).
            raise self.error(at, f"'{text}' is too large a number")
        return number

    def _needs_full_marks(self, question: ParsedQuestion) -> None:
        if max(c.fraction for c in question.choices) != ONE:
            raise self.error(0, "no answer is worth 100%")


# Writing ------------------------------------------------------------------------------

_GIFT_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "#": "\\#",
        "=": "\\=",
        "~": "\\~",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)
# A blank at the very end of a stem cannot be written as GIFT (text ending in "}" has no
# blank), so a no-break space follows it: PHP's trim() and ours keep it.
_KEEP_BLANK = "\u00a0"

HEADER = "// Chapterwise GIFT export, format_version 1. Import with Moodle or import_questions.\n"


def _esc(text: str) -> str:
    return text.translate(_GIFT_SPECIAL)


def _text(text: str) -> str:
    """Answer or feedback text; a leading [ would read as a format tag, so say it's Markdown."""
    text = php_trim(text)
    return ("[markdown]" if text.startswith("[") else "") + _esc(text)


def _feedback(text: str) -> str:
    return f"#{_text(text)}" if php_trim(text) else ""


def _percent(fraction: Decimal) -> str:
    return f"{(Decimal(fraction) * 100).quantize(Decimal('0.00001')).normalize():f}"


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def write_gift(questions: list[ParsedQuestion]) -> str:
    out = [HEADER, "\n"]
    category = ""
    for question in questions:
        if question.category != category:
            category = question.category
            out.append(f"$CATEGORY: {_esc(category)}".rstrip() + "\n\n")
        out.append(_write_question(question) + "\n")
    return "".join(out)


def _write_question(question: ParsedQuestion) -> str:
    stem = php_trim(question.stem)
    before, after = stem, ""
    if BLANK in stem:
        before, _, after = stem.partition(BLANK)
        after = after or _KEEP_BLANK
    head = f"::{_esc(question.name)}::" if question.name else ""
    head += "[markdown]" + _esc(before)
    general = php_trim(question.general_feedback)
    if question.qtype == Type.TRUE_FALSE:
        return (
            head
            + "{"
            + _true_false(question)
            + (f"####{_text(general)}" if general else "")
            + "}"
            + _esc(after)
            + "\n"
        )
    lines = _answer_lines(question)
    if general:
        lines.append(f"\t####{_text(general)}")
    opening = "{#\n" if question.qtype == Type.NUMERICAL else "{\n"
    return head + opening + "".join(line + "\n" for line in lines) + "}" + _esc(after) + "\n"


def _true_false(question: ParsedQuestion) -> str:
    choices = question.choices
    true = next((c for c in choices if c.text.lower() == "true"), choices[0])
    false = next((c for c in choices if c is not true), None)
    answer_true = true.fraction >= ONE
    right, wrong = (true, false) if answer_true else (false, true)
    right_fb = php_trim(right.feedback) if right else ""
    wrong_fb = php_trim(wrong.feedback) if wrong else ""
    out = "TRUE" if answer_true else "FALSE"
    if wrong_fb:
        out += f"#{_text(wrong_fb)}"
    elif right_fb:
        out += "#"
    if right_fb:
        out += f"#{_text(right_fb)}"
    return out


def _answer_lines(question: ParsedQuestion) -> list[str]:
    lines = []
    match question.qtype:
        case Type.SINGLE | Type.MISSING_WORD:
            marked = False
            for choice in question.choices:
                if choice.fraction == ONE and not marked:
                    marker, marked = "=", True
                elif choice.fraction == 0:
                    marker = "~"
                else:
                    marker = f"~%{_percent(choice.fraction)}%"
                lines.append(f"\t{marker}{_text(choice.text)}{_feedback(choice.feedback)}")
        case Type.MULTIPLE:
            for choice in question.choices:
                marker = "~" if choice.fraction == 0 else f"~%{_percent(choice.fraction)}%"
                lines.append(f"\t{marker}{_text(choice.text)}{_feedback(choice.feedback)}")
        case Type.SHORT_ANSWER:
            for choice in question.choices:
                weight = "" if choice.fraction == ONE else f"%{_percent(choice.fraction)}%"
                lines.append(f"\t={weight}{_text(choice.text)}{_feedback(choice.feedback)}")
        case Type.NUMERICAL:
            catch_all = None
            for choice in question.choices:
                weight = "" if choice.fraction == ONE else f"%{_percent(choice.fraction)}%"
                if choice.value is None:
                    if choice.fraction == 0 and catch_all is None:
                        catch_all = choice
                        continue
                    lines.append(f"\t={weight}*{_feedback(choice.feedback)}")
                    continue
                number = f"{_number(choice.value)}:{_number(choice.tolerance or 0.0)}"
                lines.append(f"\t={weight}{number}{_feedback(choice.feedback)}")
            if catch_all is not None:
                lines.append(f"\t~#{_text(catch_all.feedback)}")
        case Type.MATCHING:
            for choice in question.choices:
                lines.append(f"\t={_text(choice.text)} -> {_esc(php_trim(choice.match_text))}")
    return lines
