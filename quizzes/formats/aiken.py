"""Aiken, read as Moodle reads it (question/format/aiken/format.php).

A question line, options ``A)`` or ``A.`` one per line, then ``ANSWER: X``. Every
question is single choice and its text is plain (Moodle escapes HTML in it).
"""

import re
from decimal import Decimal
from pathlib import Path

from quizzes.models import Question

from .common import FormatError, ParsedChoice, ParsedQuestion, ParseResult, markdown_from, php_trim

_OPTION = re.compile(r"([A-Z])[).][ \t]+(.*)")
_ANSWER = re.compile(r"ANSWER:(.*)")


def parse_aiken(text: str, *, path: Path) -> ParseResult:
    result = ParseResult()
    question: ParsedQuestion | None = None
    letters: list[str] = []

    def finish_or_fail(line: int) -> None:
        if question is not None:
            raise FormatError(
                path,
                question.line,
                f"question '{_short(question.stem)}' has no ANSWER line "
                f"(expected one before line {line})",
            )

    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        line = php_trim(raw)
        # Moodle ignores lines shorter than two characters.
        if len(line) < 2:
            continue
        if option := _OPTION.fullmatch(line):
            if question is None:
                raise FormatError(path, number, f"option '{line[:2]}' comes before any question")
            letter = option.group(1)
            if letter in letters:
                raise FormatError(path, number, f"option {letter} appears twice")
            letters.append(letter)
            question.choices.append(ParsedChoice(text=_text(option.group(2))))
        elif answer := _ANSWER.match(line):
            if question is None:
                raise FormatError(path, number, "ANSWER line without a question above it")
            if len(question.choices) < 2:
                raise FormatError(
                    path,
                    number,
                    f"a question needs at least two options (found {len(question.choices)})",
                )
            letter = php_trim(answer.group(1))[:1].upper()
            if letter not in letters:
                shown = letter or "nothing"
                raise FormatError(
                    path,
                    number,
                    f"answer {shown} is not one of the options {', '.join(letters)}",
                )
            question.choices[letters.index(letter)].fraction = Decimal(1)
            result.questions.append(question)
            question, letters = None, []
        elif question is not None and not question.choices:
            # A question may run over several lines until its first option.
            question.stem += "\n" + _text(line)
        else:
            finish_or_fail(number)
            question = ParsedQuestion(qtype=Question.Type.SINGLE, stem=_text(line), line=number)
    finish_or_fail(len(lines))
    if not result.questions:
        raise FormatError(path, 1, "no Aiken questions found (a question, options, ANSWER: X)")
    return result


def _text(text: str) -> str:
    return php_trim(markdown_from(text, "plain"))


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
